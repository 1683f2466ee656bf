import { useState, type FormEvent } from 'react';
import { PARTNER_AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import { ChoiceField, ErrorSummary, isDate, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import {
  EMPTY_FINDING,
  FindingFields,
  findingFields,
  findingMissing,
  useFindingWords,
  useStoredDrafts,
  type FindingDraft,
} from '../components/walk-finding';
import {
  PersonalDataConfirm,
  Recorded,
  SubmitButton,
  swedishToday,
  TextField,
  useSubmission,
  type FieldOf,
  DayField,
} from '../components/walk-form';
import type { RegisteredPlace } from '../components/walk-place';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { useAllPages, useApi } from '../use-api';
import { WALK_ORGANISERS } from './safety-walks';
import '../styles/walks.css';

interface WalkFinding {
  readonly findingId: string;
  readonly placeIds: readonly string[];
  readonly kind: string;
  readonly description: string;
  readonly responsibleParty: string;
  readonly addressed: boolean;
  readonly addressedOn?: string;
  readonly action?: string;
}

interface Walk {
  readonly walkId: string;
  readonly status: 'planned' | 'conducted';
  readonly areaId: string | null;
  readonly route: readonly string[];
  readonly plannedOn: string;
  readonly invitedParties: readonly string[];
  readonly participants: readonly string[];
  readonly conductedOn?: string;
  readonly residentsTakingPart?: number;
  readonly findings: readonly WalkFinding[];
}

/** One safety walk: its route and parties, and once walked, its findings and what became of them. */
export function SafetyWalkPage({ walkId }: { walkId: string }) {
  const { t, date, agency } = useI18n();
  const { state } = useSession();
  const own = state.status === 'signed-in' ? state.session.agency : '';
  const walk = useApi<Walk>(`/safety-walks/${encodeURIComponent(walkId)}`);
  const places = useAllPages<RegisteredPlace>('/places');
  const [recorded, setRecorded] = useState(false);
  const words = useFindingWords(places.status === 'ok' ? places.data.items : []);

  if (walk.status === 'loading' || places.status === 'loading') return <Loading />;
  if (walk.status === 'failed') {
    if (walk.problem.status === 404) {
      return (
        <>
          <PageTitle>{t('walks.notFound')}</PageTitle>
          <p>{t('walks.notFoundBody')}</p>
          <p>
            <Link to="/trygghetsvandringar">{t('walks.back')}</Link>
          </p>
        </>
      );
    }
    return <Failed problem={walk.problem} retry={walk.retry} />;
  }
  if (places.status === 'failed') return <Failed problem={places.problem} retry={places.retry} />;
  const w = walk.data;
  const area = words.places(w.areaId ? [w.areaId] : []);

  return (
    <>
      <PageTitle>{t('walks.walkTitle', { area: area || w.walkId })}</PageTitle>
      <p>
        <Link to="/trygghetsvandringar">{t('walks.back')}</Link>
      </p>
      {recorded && (
        <Recorded
          message={t('walks.conducted')}
          links={[
            { to: '/brister?ansvarig=alla', label: t('walks.toFindings') },
            { to: '/trygghetsvandringar', label: t('walks.back') },
          ]}
        />
      )}
      <dl className="facts">
        <dt>{t('walks.statusLabel')}</dt>
        <dd>{t(`walks.status.${w.status}`)}</dd>
        <dt>{t('walks.plannedOnLabel')}</dt>
        <dd>{date(w.plannedOn)}</dd>
        {w.conductedOn && (
          <>
            <dt>{t('walks.conductedOnLabel')}</dt>
            <dd>{date(w.conductedOn)}</dd>
          </>
        )}
        <dt>{t('walks.invited')}</dt>
        <dd>
          {w.invitedParties.length > 0
            ? w.invitedParties.map(agency).join(', ')
            : t('walks.invitedNone')}
        </dd>
        {w.status === 'conducted' && (
          <>
            <dt>{t('walks.participants')}</dt>
            <dd>{w.participants.map(agency).join(', ')}</dd>
            <dt>{t('walks.residents')}</dt>
            <dd>{w.residentsTakingPart ?? 0}</dd>
          </>
        )}
      </dl>
      <h2>{t('walks.route')}</h2>
      <ol className="walk-route">
        {w.route.map((id) => (
          <li key={id}>{words.places([id])}</li>
        ))}
      </ol>
      {w.status === 'conducted' && (
        <section aria-labelledby="walk-findings">
          <h2 id="walk-findings">{t('walks.findings')}</h2>
          {w.findings.length === 0 ? (
            <p>{t('walks.findingsNone')}</p>
          ) : (
            <ul className="plain-list finding-list">
              {w.findings.map((f) => (
                <li key={f.findingId} className="finding-card" data-finding-id={f.findingId}>
                  <h3 className="finding-card__title">
                    <Link
                      to={`/brister/${encodeURIComponent(f.findingId)}?vandring=${encodeURIComponent(w.walkId)}`}
                    >
                      {words.places(f.placeIds)}: {words.kind(f.kind)}
                    </Link>
                  </h3>
                  <p>{f.description}</p>
                  <p className="meta">
                    {t('findings.responsibleIs', { agency: agency(f.responsibleParty) })} ·{' '}
                    <span className={`tag${f.addressed ? '' : ' tag--behind'}`}>
                      {t(f.addressed ? 'findings.status.addressed' : 'findings.status.open')}
                    </span>
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {w.status === 'planned' && WALK_ORGANISERS.includes(own) && (
        <ConductWalk
          walk={w}
          own={own}
          places={places.data.items}
          onConducted={() => {
            setRecorded(true);
            walk.retry();
          }}
        />
      )}
    </>
  );
}

const FIELDS = ['conductedOn', 'participants', 'residentsTakingPart', 'findings'];
const CODE_FIELD: Readonly<Record<string, string>> = {
  'WALK.ORGANISER_ABSENT': 'participants',
  'WALK.DATE_IN_FUTURE': 'conductedOn',
  'WALK.INVALID_COUNT': 'residentsTakingPart',
  'WALK.PARTY_NOT_INVITED': 'findings',
};
/** `findings[2].description` is the third finding in the list. */
const fieldOf: FieldOf = (path) => {
  const inFinding = /^findings\[(\d+)\]/.exec(path);
  if (inFinding) return `finding-${inFinding[1]}`;
  return path.split(/[.[]/)[0]!;
};

function ConductWalk({
  walk,
  own,
  places,
  onConducted,
}: {
  walk: Walk;
  own: string;
  places: readonly RegisteredPlace[];
  onConducted: () => void;
}) {
  const { t, agency } = useI18n();
  const words = useFindingWords(places);
  const [conductedOn, setConductedOn] = useState(swedishToday);
  const [participants, setParticipants] = useState<string[]>([own]);
  const [residents, setResidents] = useState('0');
  const [drafts, setDrafts] = useStoredDrafts(`samverkan.walk.${walk.walkId}.findings`);
  const [draft, setDraft] = useState<FindingDraft>(EMPTY_FINDING);
  const [draftErrors, setDraftErrors] = useState<FieldErrors>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const submission = useSubmission('walks');
  const parties = [...PARTNER_AGENCIES, ...walk.invitedParties.filter((p) => p !== 'joint')];
  const labels = new Map<string, string>([
    ['conductedOn', t('walks.conductedOnLabel')],
    ['participants', t('walks.participants')],
    ['residentsTakingPart', t('walks.residents')],
    ['findings', t('walks.findings')],
    ...drafts.map((_, i) => [`finding-${i}`, t('walks.findingNumber', { n: i + 1 })] as const),
  ]);

  function addFinding(event: FormEvent) {
    event.preventDefault();
    const found = findingMissing(draft, 'new-', t);
    setDraftErrors(found);
    const first = findingFields('new-').find((f) => found[f]);
    if (first) {
      document.getElementById(first)?.focus();
      return;
    }
    setDrafts([...drafts, { ...draft, findingId: `brist-${crypto.randomUUID().slice(0, 8)}` }]);
    setDraft(EMPTY_FINDING);
    submission.textChanged();
    document.getElementById('walk-finding-added')?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!isDate(conductedOn)) found['conductedOn'] = t('walks.error.date');
    if (participants.length === 0) found['participants'] = t('walks.error.participants');
    if (!/^\d{1,5}$/.test(residents.trim()))
      found['residentsTakingPart'] = t('walks.error.residentsTakingPart');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send(
      `/safety-walks/${encodeURIComponent(walk.walkId)}/conducted`,
      {
        conductedOn,
        participants,
        residentsTakingPart: Number(residents.trim()),
        findings: drafts.map((d) => ({
          findingId: d.findingId,
          placeIds: [d.placeId],
          kind: d.kind,
          description: d.description,
          responsibleParty: d.responsibleParty,
        })),
      },
      fieldOf,
      CODE_FIELD,
    );
    setErrors(problems);
    if (!result) return;
    setDrafts([]);
    onConducted();
  }

  return (
    <section aria-labelledby="conduct-walk" className="walk-form">
      <h2 id="conduct-walk">{t('walks.conduct')}</h2>
      <p>{t('walks.conductLead')}</p>
      <ErrorSummary errors={errors} order={[...FIELDS, ...labels.keys()]} labels={labels} />
      <h3 id="walk-finding-added" tabIndex={-1}>
        {t('walks.findingsAdded', { count: drafts.length })}
      </h3>
      {errors['findings'] && (
        <p className="field-error" id="findings" tabIndex={-1}>
          {errors['findings']}
        </p>
      )}
      {drafts.length > 0 && (
        <ol className="plain-list finding-list">
          {drafts.map((d, i) => (
            <li
              key={d.findingId}
              id={`finding-${i}`}
              tabIndex={-1}
              className={`finding-card${errors[`finding-${i}`] ? ' field--error' : ''}`}
            >
              <p>
                <strong>
                  {i + 1}. {words.places([d.placeId])}: {words.kind(d.kind)}
                </strong>
              </p>
              <p>{d.description}</p>
              <p className="meta">
                {t('findings.responsibleIs', { agency: agency(d.responsibleParty) })}
              </p>
              {errors[`finding-${i}`] && <p className="field-error">{errors[`finding-${i}`]}</p>}
              <ul className="button-row">
                <li>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setDraft(d);
                      setDrafts(drafts.filter((x) => x !== d));
                      submission.textChanged();
                      document.getElementById('new-placeId')?.focus();
                    }}
                  >
                    {t('walks.findingEdit', { n: i + 1 })}
                  </button>
                </li>
                <li>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setDrafts(drafts.filter((x) => x !== d));
                      submission.textChanged();
                    }}
                  >
                    {t('walks.findingRemove', { n: i + 1 })}
                  </button>
                </li>
              </ul>
            </li>
          ))}
        </ol>
      )}
      <form noValidate className="walk-finding-form" onSubmit={addFinding}>
        <fieldset className="fieldset">
          <legend className="legend">{t('walks.addFinding')}</legend>
          <FindingFields
            prefix="new-"
            draft={draft}
            onChange={setDraft}
            errors={draftErrors}
            places={places}
            parties={parties}
          />
          <button type="submit" className="button button--secondary">
            {t('walks.addFindingSubmit')}
          </button>
        </fieldset>
      </form>
      <form noValidate onSubmit={(e) => void submit(e)}>
        <DayField
          id="conductedOn"
          label={t('walks.conductedOnLabel')}
          error={errors['conductedOn']}
          value={conductedOn}
          onChange={setConductedOn}
        />
        <ChoiceField
          id="participants"
          type="checkbox"
          legend={t('walks.participants')}
          error={errors['participants']}
          value={participants}
          onChange={setParticipants}
          options={parties.map((a) => ({ value: a, label: agency(a) }))}
        />
        <TextField
          id="residentsTakingPart"
          label={t('walks.residents')}
          hint={t('walks.residentsHint')}
          error={errors['residentsTakingPart']}
          value={residents}
          onChange={setResidents}
          inputMode="numeric"
          maxLength={5}
        />
        <PersonalDataConfirm submission={submission} />
        <SubmitButton id="conduct-submit" submitting={submission.submitting}>
          {t('walks.conductSubmit')}
        </SubmitButton>
      </form>
    </section>
  );
}

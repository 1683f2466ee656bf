import { useState, type FormEvent } from 'react';
import { PARTNER_AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import {
  ChoiceField,
  ErrorSummary,
  isDate,
  SelectField,
  type FieldErrors,
} from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import {
  EMPTY_FINDING,
  FindingFields,
  findingFields,
  findingMissing,
  useFindingWords,
  type FindingDraft,
} from '../components/walk-finding';
import {
  ALL_AGENCIES,
  PersonalDataConfirm,
  Recorded,
  SubmitButton,
  swedishToday,
  useSubmission,
  type FieldOf,
  DayField,
} from '../components/walk-form';
import { WithPlaces, type RegisteredPlace } from '../components/walk-place';
import { useI18n } from '../i18n';
import { useLive } from '../live';
import { Link, useRoute } from '../router';
import { useSession } from '../session';
import { useAllPages, useApi } from '../use-api';
import '../styles/walks.css';

export interface FindingListItem {
  readonly findingId: string;
  readonly walkId: string | null;
  readonly placeIds: readonly string[];
  readonly unresolvedPlace?: string;
  readonly kind: string;
  readonly description: string;
  readonly responsibleParty: string;
  readonly reportingAgency: string | null;
  readonly foundOn: string;
  readonly status: 'open' | 'addressed';
  readonly addressedOn: string | null;
}

/** The page of one finding: one reported outside a walk by its id, one of a walk with the walk. */
export const findingPath = (f: { findingId: string; walkId: string | null }) =>
  `/brister/${encodeURIComponent(f.findingId)}${f.walkId ? `?vandring=${encodeURIComponent(f.walkId)}` : ''}`;

/** Partners and housing companies report findings outside a walk. */
const REPORTERS = [...PARTNER_AGENCIES, 'housing-company'];
const STATUSES = ['open', 'addressed', 'alla'] as const;

/**
 * Findings from safety walks and reported outside them: by default the open ones the user's
 * agency is to put right (`?ansvarig=` an agency or `alla`, `?status=open|addressed|alla`),
 * and a form to report a finding outside a walk.
 */
export function FindingsPage() {
  const { t, date, agency } = useI18n();
  const { state } = useSession();
  const { search, navigate } = useRoute();
  const own = state.status === 'signed-in' ? state.session.agency : '';
  const responsible = search.get('ansvarig') ?? own;
  const status = (STATUSES as readonly string[]).includes(search.get('status') ?? '')
    ? search.get('status')!
    : 'open';
  const [filter, setFilter] = useState({ responsible, status });
  const query = new URLSearchParams({ limit: '100' });
  if (status !== 'alla') query.set('status', status);
  if (responsible !== 'alla') query.set('agency', responsible);
  const findings = useApi<{ items: FindingListItem[] }>(`/findings?${query.toString()}`);
  const places = useAllPages<RegisteredPlace>('/places');
  const words = useFindingWords(places.status === 'ok' ? places.data.items : []);
  useLive((n) => {
    if (n === null || n.streamId.startsWith('finding-') || n.streamId.startsWith('safety-walk-'))
      findings.retry();
  });

  function show(event: FormEvent) {
    event.preventDefault();
    navigate(
      `/brister?${new URLSearchParams({ ansvarig: filter.responsible, status: filter.status }).toString()}`,
    );
  }

  return (
    <>
      <PageTitle>{t('findings.title')}</PageTitle>
      <p className="lead">{t('findings.lead')}</p>
      <form className="filters" onSubmit={show}>
        <SelectField
          id="filter-responsible"
          label={t('findings.filterResponsible')}
          value={filter.responsible}
          onChange={(v) => setFilter((f) => ({ ...f, responsible: v || 'alla' }))}
          placeholder={t('findings.filterAll')}
          options={ALL_AGENCIES.map((a) => ({ value: a, label: agency(a) }))}
        />
        <ChoiceField
          id="filter-status"
          type="radio"
          inline
          legend={t('findings.filterStatus')}
          value={[filter.status]}
          onChange={([v]) => setFilter((f) => ({ ...f, status: v ?? 'open' }))}
          options={STATUSES.map((s) => ({ value: s, label: t(`findings.filter.${s}`) }))}
        />
        <button type="submit" className="button button--secondary">
          {t('findings.filterShow')}
        </button>
      </form>
      <h2 id="findings-shown">
        {t(`findings.shown.${status as (typeof STATUSES)[number]}`, {
          agency: responsible === 'alla' ? t('findings.filterAll') : agency(responsible),
        })}
      </h2>
      {findings.status === 'loading' && <Loading />}
      {findings.status === 'failed' && <Failed problem={findings.problem} retry={findings.retry} />}
      {findings.status === 'ok' &&
        (findings.data.items.length === 0 ? (
          <p>{t('findings.none')}</p>
        ) : (
          <ul className="plain-list finding-list" aria-labelledby="findings-shown">
            {findings.data.items.map((f) => (
              <li
                key={`${f.walkId ?? ''}/${f.findingId}`}
                className="finding-card"
                data-finding-id={f.findingId}
              >
                <h3 className="finding-card__title">
                  <Link to={findingPath(f)}>
                    {words.places(f.placeIds, f.unresolvedPlace)}: {words.kind(f.kind)}
                  </Link>
                </h3>
                <p>{f.description}</p>
                <p className="meta">
                  {t(f.walkId ? 'findings.foundOnWalk' : 'findings.reportedOn', {
                    date: date(f.foundOn),
                  })}{' '}
                  · {t('findings.responsibleIs', { agency: agency(f.responsibleParty) })} ·{' '}
                  <span className={`tag${f.status === 'open' ? ' tag--behind' : ''}`}>
                    {t(`findings.status.${f.status}`)}
                  </span>
                </p>
              </li>
            ))}
          </ul>
        ))}
      {REPORTERS.includes(own) && (
        <WithPlaces places={places}>
          {(items) => <ReportFinding places={items} onReported={findings.retry} />}
        </WithPlaces>
      )}
    </>
  );
}

const FIELDS = [...findingFields(''), 'reportedOn'];
const CODE_FIELD: Readonly<Record<string, string>> = {
  'FINDING.DATE_IN_FUTURE': 'reportedOn',
  'FINDING.INVALID_DATE': 'reportedOn',
  'FINDING.NO_PLACE': 'placeId',
  'FINDING.NO_DESCRIPTION': 'description',
};
const fieldOf: FieldOf = (path) =>
  path.startsWith('placeIds') ? 'placeId' : path.split(/[.[]/)[0]!;

function ReportFinding({
  places,
  onReported,
}: {
  places: readonly RegisteredPlace[];
  onReported: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<FindingDraft>(EMPTY_FINDING);
  const [reportedOn, setReportedOn] = useState(swedishToday);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [reported, setReported] = useState<string | undefined>();
  const submission = useSubmission('findings');
  const labels = new Map<string, string>([
    ['placeId', t('findings.place')],
    ['kind', t('findings.kind')],
    ['description', t('findings.description')],
    ['responsibleParty', t('findings.responsible')],
    ['reportedOn', t('findings.reportedOnLabel')],
  ]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = findingMissing(draft, '', t);
    if (!isDate(reportedOn)) found['reportedOn'] = t('walks.error.date');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send<{ id?: string; streamId: string }>(
      '/findings',
      {
        placeIds: [draft.placeId],
        kind: draft.kind,
        description: draft.description,
        responsibleParty: draft.responsibleParty,
        reportedOn,
      },
      fieldOf,
      CODE_FIELD,
    );
    setErrors(problems);
    if (!result) return;
    setReported(result.id ?? result.streamId.replace(/^finding-/, ''));
    setDraft(EMPTY_FINDING);
    onReported();
  }

  return (
    <section aria-labelledby="report-finding" className="walk-form">
      <h2 id="report-finding">{t('findings.report')}</h2>
      <p>{t('findings.reportLead')}</p>
      {reported && (
        <Recorded
          message={t('findings.reported')}
          links={[
            { to: findingPath({ findingId: reported, walkId: null }), label: t('findings.open') },
          ]}
        />
      )}
      <ErrorSummary errors={errors} order={FIELDS} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <FindingFields
          prefix=""
          draft={draft}
          onChange={setDraft}
          errors={errors}
          places={places}
          parties={ALL_AGENCIES}
          onTextChange={submission.textChanged}
        />
        <PersonalDataConfirm submission={submission} />
        <DayField
          id="reportedOn"
          label={t('findings.reportedOnLabel')}
          error={errors['reportedOn']}
          value={reportedOn}
          onChange={setReportedOn}
        />
        <SubmitButton id="report-submit" submitting={submission.submitting}>
          {t('findings.reportSubmit')}
        </SubmitButton>
      </form>
    </section>
  );
}

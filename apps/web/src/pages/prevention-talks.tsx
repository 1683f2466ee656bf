import { useState, type FormEvent } from 'react';
import { ChoiceField, ErrorSummary, isDate, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import {
  PurposeForm,
  TALK_SEATS,
  useReadPurpose,
  useSeatName,
  useTalkSeat,
} from '../components/talk-purpose';
import {
  PersonalDataConfirm,
  Recorded,
  SubmitButton,
  swedishToday,
  TextField,
  useSubmission,
  type FieldOf,
  DayField,
  FreeTextField,
} from '../components/walk-form';
import { useI18n } from '../i18n';
import { useLive } from '../live';
import { Link, useRoute } from '../router';
import { useApi } from '../use-api';
import '../styles/talks.css';

interface TalkListItem {
  readonly talkId: string;
  readonly plannedFor: string;
  readonly heldOn: string | null;
  readonly status: 'planned' | 'held' | 'closed';
  readonly legalBasis: 'consent' | 'osl-10-18a';
  readonly participants: readonly { agency: string; role: string }[];
  readonly agreedFollowUps: readonly { responsibleAgency: string; dueOn: string }[];
}

/** The agencies that plan a talk, and the only two 10 kap. 18 a § OSL lets share. */
const PLANNERS = ['police', 'social-services'];

/**
 * The prevention talks the user takes part in, in their agency and role (the API lists no
 * other), read only with a stated purpose; `?visa=uppfoljningar` shows only those with a
 * follow-up of the user's agency due. Police and social services plan a talk here.
 */
export function PreventionTalksPage() {
  const { t, date } = useI18n();
  const seat = useTalkSeat();
  const { purpose, withPurpose } = useReadPurpose();
  const { search } = useRoute();
  const dueOnly = search.get('visa') === 'uppfoljningar';
  const talks = useApi<{ items: TalkListItem[] }>(
    seat.takesPart && purpose
      ? `/prevention-talks?limit=100&purpose=${encodeURIComponent(purpose)}`
      : undefined,
  );
  useLive((n) => {
    if (purpose && (n === null || n.streamId.startsWith('prevention-talk-'))) talks.retry();
  });
  const seatName = useSeatName();
  const today = swedishToday();
  const due = (talk: TalkListItem) =>
    talk.status === 'held'
      ? talk.agreedFollowUps.filter((f) => f.responsibleAgency === seat.agency && f.dueOn <= today)
      : [];

  if (!seat.takesPart) {
    return (
      <>
        <PageTitle>{t('talks.title')}</PageTitle>
        <p className="lead">{t('talks.lead')}</p>
        <p className="notice">{t('talks.notInTalks')}</p>
      </>
    );
  }
  const shown =
    talks.status === 'ok'
      ? talks.data.items.filter((talk) => !dueOnly || due(talk).length > 0)
      : [];
  return (
    <>
      <PageTitle>{t('talks.title')}</PageTitle>
      <p className="lead">{t('talks.lead')}</p>
      {!purpose ? (
        <PurposeForm />
      ) : (
        <>
          <p className="meta">
            {t('talks.readPurposeGiven', { purpose })}{' '}
            <Link
              to={dueOnly ? withPurpose('/samtal') : `${withPurpose('/samtal')}&visa=uppfoljningar`}
            >
              {t(dueOnly ? 'talks.showAll' : 'talks.showDue')}
            </Link>
          </p>
          <h2 id="talks-shown">{t(dueOnly ? 'talks.dueTitle' : 'talks.mine')}</h2>
          {talks.status === 'loading' && <Loading />}
          {talks.status === 'failed' && <Failed problem={talks.problem} retry={talks.retry} />}
          {talks.status === 'ok' &&
            (shown.length === 0 ? (
              <p>{t(dueOnly ? 'talks.noneDue' : 'talks.none')}</p>
            ) : (
              <ul className="plain-list talk-list" aria-labelledby="talks-shown">
                {shown.map((talk) => (
                  <li key={talk.talkId} className="talk-card" data-talk-id={talk.talkId}>
                    <h3 className="talk-card__title">
                      <Link to={withPurpose(`/samtal/${encodeURIComponent(talk.talkId)}`)}>
                        {t('talks.cardTitle', { date: date(talk.plannedFor) })}
                      </Link>
                    </h3>
                    <p className="meta">
                      <span className={`tag${talk.status === 'planned' ? ' tag--behind' : ''}`}>
                        {t(`talks.status.${talk.status}`)}
                      </span>{' '}
                      {t(`talks.ground.${talk.legalBasis}`)}
                    </p>
                    <p>{talk.participants.map(seatName).join(' · ')}</p>
                    {due(talk).map((f, i) => (
                      <p key={i} className="talk-due">
                        {t('talks.followUpDue', { date: date(f.dueOn) })}
                      </p>
                    ))}
                  </li>
                ))}
              </ul>
            ))}
        </>
      )}
      {PLANNERS.includes(seat.agency) && (
        <PlanTalk
          seat={`${seat.agency}/${seat.role}`}
          onPlanned={(talkId) => withPurpose(`/samtal/${encodeURIComponent(talkId)}`)}
          afterPlanned={talks.retry}
        />
      )}
    </>
  );
}

const FIELDS = [
  'subjectRef',
  'plannedFor',
  'participants',
  'purpose',
  'legalGround',
  'subjectUnder21',
  'preventivePurpose',
];
const CODE_FIELD: Readonly<Record<string, string>> = {
  'TALK.SUBJECT_NOT_PSEUDONYMOUS': 'subjectRef',
  'TALK.INVALID_DATE': 'plannedFor',
  'TALK.NOT_JOINT': 'participants',
  'TALK.INVALID_PARTICIPANT': 'participants',
  'TALK.PLANNER_NOT_PARTICIPANT': 'participants',
  'TALK.GROUND_EXCLUDES_AGENCY': 'participants',
  'TALK.GROUND_REQUIRES_UNDER_21': 'subjectUnder21',
  'TALK.GROUND_REQUIRES_PURPOSE': 'preventivePurpose',
};
const fieldOf: FieldOf = (path) => {
  if (path.startsWith('legalGround.')) {
    const inner = path.slice('legalGround.'.length);
    return inner === 'basis' ? 'legalGround' : inner;
  }
  return path.split(/[.[]/)[0]!;
};
const SUBJECT_REF = /^[A-Z]{2,6}-[A-Z0-9]{4,16}$/;

function PlanTalk({
  seat,
  onPlanned,
  afterPlanned,
}: {
  seat: string;
  onPlanned: (talkId: string) => string;
  afterPlanned: () => void;
}) {
  const { t } = useI18n();
  const seatName = useSeatName();
  const [subjectRef, setSubjectRef] = useState('');
  const [plannedFor, setPlannedFor] = useState('');
  const [participants, setParticipants] = useState<string[]>([seat]);
  const [purpose, setPurpose] = useState('');
  const [basis, setBasis] = useState('');
  const [under21, setUnder21] = useState<string[]>([]);
  const [preventivePurpose, setPreventivePurpose] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [planned, setPlanned] = useState<{ path: string; consent: boolean } | undefined>();
  const submission = useSubmission('talks');
  const labels = new Map<string, string>([
    ['subjectRef', t('talks.subjectRef')],
    ['plannedFor', t('talks.plannedFor')],
    ['participants', t('talks.participants')],
    ['purpose', t('talks.purpose')],
    ['legalGround', t('talks.legalGround')],
    ['subjectUnder21', t('talks.subjectUnder21Legend')],
    ['preventivePurpose', t('talks.preventivePurpose')],
  ]);

  function missing(): Record<string, string> {
    const found: Record<string, string> = {};
    if (!SUBJECT_REF.test(subjectRef.trim())) found['subjectRef'] = t('talks.error.subjectRef');
    if (!isDate(plannedFor)) found['plannedFor'] = t('talks.error.date');
    const agencies = new Set(participants.map((p) => p.split('/')[0]));
    if (!agencies.has('police') || !agencies.has('social-services'))
      found['participants'] = t('talks.problem.TALK.NOT_JOINT');
    else if (!participants.includes(seat))
      found['participants'] = t('talks.problem.TALK.PLANNER_NOT_PARTICIPANT');
    else if (basis === 'osl-10-18a' && [...agencies].some((a) => !PLANNERS.includes(a!)))
      found['participants'] = t('talks.problem.TALK.GROUND_EXCLUDES_AGENCY');
    if (!purpose.trim()) found['purpose'] = t('talks.error.purpose');
    if (!basis) found['legalGround'] = t('talks.error.legalGround');
    if (basis === 'osl-10-18a') {
      if (under21.length === 0)
        found['subjectUnder21'] = t('talks.problem.TALK.GROUND_REQUIRES_UNDER_21');
      if (preventivePurpose.trim().length < 10)
        found['preventivePurpose'] = t('talks.problem.TALK.GROUND_REQUIRES_PURPOSE');
    }
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = missing();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send<{ id?: string; streamId: string }>(
      '/prevention-talks',
      {
        subjectRef: subjectRef.trim(),
        plannedFor,
        participants: participants.map((p) => {
          const [agency, role] = p.split('/');
          return { agency, role };
        }),
        purpose,
        legalGround:
          basis === 'consent'
            ? { basis }
            : { basis, subjectUnder21: under21.length > 0, preventivePurpose },
      },
      fieldOf,
      CODE_FIELD,
    );
    setErrors(problems);
    if (!result) return;
    setPlanned({
      path: onPlanned(result.id ?? result.streamId.replace(/^prevention-talk-/, '')),
      consent: basis === 'consent',
    });
    setSubjectRef('');
    setPlannedFor('');
    setParticipants([seat]);
    setPurpose('');
    setBasis('');
    setUnder21([]);
    setPreventivePurpose('');
    afterPlanned();
  }

  return (
    <section aria-labelledby="plan-talk" className="talk-form">
      <h2 id="plan-talk">{t('talks.plan')}</h2>
      <p>{t('talks.planLead')}</p>
      {planned && (
        <Recorded
          message={t(planned.consent ? 'talks.plannedConsent' : 'talks.planned')}
          links={[{ to: planned.path, label: t('talks.openPlanned') }]}
        />
      )}
      <ErrorSummary errors={errors} order={FIELDS} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <TextField
          id="subjectRef"
          label={t('talks.subjectRef')}
          hint={t('talks.subjectRefHint')}
          error={errors['subjectRef']}
          value={subjectRef}
          onChange={(v) => setSubjectRef(v.toUpperCase())}
          maxLength={30}
        />
        <DayField
          id="plannedFor"
          label={t('talks.plannedFor')}
          error={errors['plannedFor']}
          value={plannedFor}
          onChange={setPlannedFor}
        />
        <ChoiceField
          id="legalGround"
          type="radio"
          legend={t('talks.legalGround')}
          hint={t('talks.legalGroundHint')}
          error={errors['legalGround']}
          value={[basis]}
          onChange={([v]) => setBasis(v ?? '')}
          options={(['consent', 'osl-10-18a'] as const).map((b) => ({
            value: b,
            label: t(`talks.ground.${b}`),
            hint: t(`talks.groundHint.${b}`),
          }))}
        />
        {basis === 'osl-10-18a' && (
          <>
            <ChoiceField
              id="subjectUnder21"
              type="checkbox"
              legend={t('talks.subjectUnder21Legend')}
              error={errors['subjectUnder21']}
              value={under21}
              onChange={setUnder21}
              options={[{ value: 'yes', label: t('talks.subjectUnder21') }]}
            />
            <FreeTextField
              id="preventivePurpose"
              label={t('talks.preventivePurpose')}
              hint={t('talks.preventivePurposeHint')}
              error={errors['preventivePurpose']}
              value={preventivePurpose}
              submission={submission}
              onChange={setPreventivePurpose}
              maxLength={2000}
            />
          </>
        )}
        <ChoiceField
          id="participants"
          type="checkbox"
          legend={t('talks.participants')}
          hint={t(basis === 'osl-10-18a' ? 'talks.participantsHintOsl' : 'talks.participantsHint')}
          error={errors['participants']}
          value={participants}
          onChange={setParticipants}
          options={TALK_SEATS.map((s) => ({ value: s, label: seatName(s) }))}
        />
        <FreeTextField
          id="purpose"
          label={t('talks.purpose')}
          hint={t('talks.freeTextHint')}
          error={errors['purpose']}
          value={purpose}
          submission={submission}
          onChange={setPurpose}
          maxLength={2000}
        />
        <PersonalDataConfirm submission={submission} />
        <SubmitButton id="plan-talk-submit" submitting={submission.submitting}>
          {t('talks.planSubmit')}
        </SubmitButton>
      </form>
    </section>
  );
}

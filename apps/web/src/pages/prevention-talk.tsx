import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
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
import { Link } from '../router';
import { useApi } from '../use-api';
// The facts list (.facts) is the walks' style, shared.
import '../styles/walks.css';
import '../styles/talks.css';

interface Seat {
  readonly agency: string;
  readonly role: string;
}
interface AgreedFollowUp {
  readonly action: string;
  readonly responsibleAgency: string;
  readonly dueOn: string;
}
interface Talk {
  readonly talkId: string;
  readonly status: 'planned' | 'held' | 'closed';
  readonly subjectRef: string;
  readonly plannedFor: string;
  readonly purpose: string;
  readonly legalGround:
    | { readonly basis: 'consent' }
    | { readonly basis: 'osl-10-18a'; readonly preventivePurpose: string };
  readonly participants: readonly Seat[];
  readonly consentInForce: boolean;
  readonly consents: readonly {
    consentId: string;
    recordedOn: string;
    givenBy: readonly string[];
    subjectAged15OrOver: boolean;
    scope: string;
    withdrawnOn: string | null;
    withdrawalReason: string | null;
  }[];
  readonly held: {
    heldOn: string;
    participants: readonly Seat[];
    guardiansPresent: boolean;
    outcome: string;
    agreedFollowUp: readonly AgreedFollowUp[];
  } | null;
  readonly followUps: readonly { followedUpOn: string; notes: string; closed: boolean }[];
}

const seatKey = (s: Seat) => `${s.agency}/${s.role}`;
const byPath = (path: string) => path.split(/[.[]/)[0]!;

/**
 * One prevention talk, for those who take part in it in their role, read with a purpose: its
 * legal ground, consent, the talk as held and its follow-ups, and the next thing to record. To
 * anyone else the API answers as for a talk that does not exist, and so does this page.
 */
export function PreventionTalkPage({ talkId }: { talkId: string }) {
  const { t, date, agency } = useI18n();
  const seat = useTalkSeat();
  const seatName = useSeatName();
  const { purpose, withPurpose } = useReadPurpose();
  const talk = useApi<Talk>(
    seat.takesPart && purpose
      ? `/prevention-talks/${encodeURIComponent(talkId)}?purpose=${encodeURIComponent(purpose)}`
      : undefined,
  );
  const [recorded, setRecorded] = useState<string | undefined>();
  const back = withPurpose('/samtal');

  const refused = (
    <>
      <PageTitle>{t('talks.refused')}</PageTitle>
      <p>{t('talks.refusedBody')}</p>
      <p>
        <Link to={back}>{t('talks.back')}</Link>
      </p>
    </>
  );
  if (!seat.takesPart) return refused;
  if (!purpose) {
    return (
      <>
        <PageTitle>{t('talks.talkTitle')}</PageTitle>
        <PurposeForm />
      </>
    );
  }
  if (talk.status === 'loading') return <Loading />;
  if (talk.status === 'failed') {
    return talk.problem.status === 404 ? (
      refused
    ) : (
      <Failed problem={talk.problem} retry={talk.retry} />
    );
  }
  const k = talk.data;
  const today = swedishToday();
  const done = (message: string) => {
    setRecorded(message);
    talk.retry();
  };
  const consentNeeded = k.legalGround.basis === 'consent' && !k.consentInForce;

  return (
    <>
      <PageTitle>{t('talks.talkTitle')}</PageTitle>
      <p>
        <Link to={back}>{t('talks.back')}</Link>
      </p>
      {recorded && <Recorded message={recorded} links={[{ to: back, label: t('talks.back') }]} />}
      <dl className="facts">
        <dt>{t('talks.subjectRef')}</dt>
        <dd>{k.subjectRef}</dd>
        <dt>{t('talks.statusLabel')}</dt>
        <dd>{t(`talks.status.${k.status}`)}</dd>
        <dt>{t('talks.plannedFor')}</dt>
        <dd>{date(k.plannedFor)}</dd>
        <dt>{t('talks.legalGround')}</dt>
        <dd>
          {t(`talks.ground.${k.legalGround.basis}`)}
          {k.legalGround.basis === 'osl-10-18a' && (
            <>
              <br />
              {t('talks.preventivePurposeIs', { purpose: k.legalGround.preventivePurpose })}
            </>
          )}
        </dd>
        <dt>{t('talks.purpose')}</dt>
        <dd>{k.purpose}</dd>
        <dt>{t('talks.participants')}</dt>
        <dd>{k.participants.map(seatName).join(' · ')}</dd>
      </dl>

      {k.legalGround.basis === 'consent' && (
        <section aria-labelledby="talk-consent">
          <h2 id="talk-consent">{t('talks.consent')}</h2>
          {k.consents.length === 0 ? (
            <p>{t('talks.consentNone')}</p>
          ) : (
            <ul className="plain-list">
              {k.consents.map((c) => (
                <li key={c.consentId} className="talk-card">
                  <p>
                    {t('talks.consentGiven', {
                      date: date(c.recordedOn),
                      by: c.givenBy.map((g) => t(`talks.givenBy.${g as 'guardian'}`)).join(', '),
                    })}
                  </p>
                  <p>{c.scope}</p>
                  {c.withdrawnOn && (
                    <p className="meta">
                      {t('talks.consentWithdrawnOn', { date: date(c.withdrawnOn) })}:{' '}
                      {c.withdrawalReason}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          {consentNeeded && k.status !== 'closed' && (
            <RecordConsent talkId={k.talkId} onDone={() => done(t('talks.consentRecorded'))} />
          )}
          {k.consentInForce && (
            <WithdrawConsent talkId={k.talkId} onDone={() => done(t('talks.consentWithdrawn'))} />
          )}
        </section>
      )}

      {k.held && (
        <section aria-labelledby="talk-held">
          <h2 id="talk-held">{t('talks.held')}</h2>
          <dl className="facts">
            <dt>{t('talks.heldOn')}</dt>
            <dd>{date(k.held.heldOn)}</dd>
            <dt>{t('talks.heldParticipants')}</dt>
            <dd>{k.held.participants.map(seatName).join(' · ')}</dd>
            <dt>{t('talks.guardiansPresent')}</dt>
            <dd>{t(k.held.guardiansPresent ? 'talks.yes' : 'talks.no')}</dd>
            <dt>{t('talks.outcome')}</dt>
            <dd>{k.held.outcome}</dd>
          </dl>
          <h3>{t('talks.agreed')}</h3>
          {k.held.agreedFollowUp.length === 0 ? (
            <p>{t('talks.agreedNone')}</p>
          ) : (
            <ul className="plain-list">
              {k.held.agreedFollowUp.map((f, i) => (
                <li key={i} className="talk-card">
                  <p>{f.action}</p>
                  <p className="meta">
                    {t('talks.agreedBy', {
                      agency: agency(f.responsibleAgency),
                      date: date(f.dueOn),
                    })}
                    {k.status === 'held' &&
                      f.responsibleAgency === seat.agency &&
                      f.dueOn <= today && (
                        <>
                          {' '}
                          <span className="tag tag--behind">{t('talks.dueForYou')}</span>
                        </>
                      )}
                  </p>
                </li>
              ))}
            </ul>
          )}
          <h3>{t('talks.followUps')}</h3>
          {k.followUps.length === 0 ? (
            <p>{t('talks.followUpsNone')}</p>
          ) : (
            <ul className="plain-list">
              {k.followUps.map((f, i) => (
                <li key={i} className="talk-card">
                  <p className="meta">
                    {date(f.followedUpOn)}
                    {f.closed && ` · ${t('talks.closedWith')}`}
                  </p>
                  <p>{f.notes}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {k.status === 'planned' &&
        (consentNeeded ? (
          <p className="notice">{t('talks.consentFirst')}</p>
        ) : (
          <RecordHeld talk={k} onDone={() => done(t('talks.heldRecorded'))} />
        ))}
      {k.status === 'held' &&
        (consentNeeded ? (
          <p className="notice">{t('talks.consentFirstFollowUp')}</p>
        ) : (
          <FollowUp
            talk={k}
            onDone={(closed) => done(t(closed ? 'talks.closedRecorded' : 'talks.followUpRecorded'))}
          />
        ))}
    </>
  );
}

/** A form of the talk page: its heading, error summary, fields and button, one submission. */
function TalkForm({
  id,
  title,
  errors,
  order,
  labels,
  submitting,
  submit,
  onSubmit,
  children,
  className = 'talk-form',
}: {
  id: string;
  title: string;
  errors: FieldErrors;
  order: readonly string[];
  labels: ReadonlyMap<string, string>;
  submitting: boolean;
  submit: string;
  onSubmit: () => Promise<void>;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section aria-labelledby={id} className={className}>
      <h2 id={id} tabIndex={-1}>
        {title}
      </h2>
      <ErrorSummary errors={errors} order={order} labels={labels} />
      <form
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onSubmit();
        }}
      >
        {children}
        <SubmitButton id={`${id}-submit`} submitting={submitting}>
          {submit}
        </SubmitButton>
      </form>
    </section>
  );
}

function RecordConsent({ talkId, onDone }: { talkId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [recordedOn, setRecordedOn] = useState(swedishToday);
  const [givenBy, setGivenBy] = useState<string[]>([]);
  const [aged15, setAged15] = useState('');
  const [scope, setScope] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const submission = useSubmission('talks');
  const labels = new Map([
    ['recordedOn', t('talks.consentDate')],
    ['subjectAged15OrOver', t('talks.aged15')],
    ['givenBy', t('talks.givenByLegend')],
    ['scope', t('talks.scope')],
  ]);
  async function submit() {
    const found: Record<string, string> = {};
    if (!isDate(recordedOn)) found['recordedOn'] = t('talks.error.date');
    if (!aged15) found['subjectAged15OrOver'] = t('talks.error.aged15');
    if (!givenBy.includes('guardian') || (aged15 === 'yes' && !givenBy.includes('young-person')))
      found['givenBy'] = t(
        aged15 === 'yes' ? 'talks.error.givenBy15' : 'talks.error.givenByGuardian',
      );
    if (!scope.trim()) found['scope'] = t('talks.error.scope');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send(
      `/prevention-talks/${encodeURIComponent(talkId)}/consent`,
      {
        consentId: `samtycke-${crypto.randomUUID().slice(0, 8)}`,
        recordedOn,
        givenBy,
        subjectAged15OrOver: aged15 === 'yes',
        scope,
      },
      byPath,
      { 'TALK.CONSENT_INCOMPLETE': 'givenBy', 'TALK.DATE_IN_FUTURE': 'recordedOn' },
    );
    setErrors(problems);
    if (result) onDone();
  }
  return (
    <TalkForm
      id="record-consent"
      title={t('talks.recordConsent')}
      errors={errors}
      order={[...labels.keys()]}
      labels={labels}
      submitting={submission.submitting}
      submit={t('talks.recordConsentSubmit')}
      onSubmit={submit}
    >
      <DayField
        id="recordedOn"
        label={t('talks.consentDate')}
        error={errors['recordedOn']}
        value={recordedOn}
        onChange={setRecordedOn}
      />
      <ChoiceField
        id="subjectAged15OrOver"
        type="radio"
        inline
        legend={t('talks.aged15')}
        error={errors['subjectAged15OrOver']}
        value={[aged15]}
        onChange={([v]) => setAged15(v ?? '')}
        options={[
          { value: 'yes', label: t('talks.yes') },
          { value: 'no', label: t('talks.no') },
        ]}
      />
      <ChoiceField
        id="givenBy"
        type="checkbox"
        legend={t('talks.givenByLegend')}
        hint={t('talks.givenByHint')}
        error={errors['givenBy']}
        value={givenBy}
        onChange={setGivenBy}
        options={(['guardian', 'young-person'] as const).map((g) => ({
          value: g,
          label: t(`talks.givenBy.${g}`),
        }))}
      />
      <FreeTextField
        id="scope"
        label={t('talks.scope')}
        hint={t('talks.scopeHint')}
        error={errors['scope']}
        value={scope}
        submission={submission}
        onChange={setScope}
        maxLength={2000}
      />
      <PersonalDataConfirm submission={submission} />
    </TalkForm>
  );
}

/** Withdrawal is a right: asked in a panel opened on purpose, with the date and why. */
function WithdrawConsent({ talkId, onDone }: { talkId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [withdrawnOn, setWithdrawnOn] = useState(swedishToday);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const submission = useSubmission('talks');
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) document.getElementById('withdraw-consent')?.focus();
  }, [open]);
  if (!open) {
    return (
      <p>
        <button
          ref={opener}
          type="button"
          className="button button--secondary"
          onClick={() => setOpen(true)}
        >
          {t('talks.withdrawConsent')}
        </button>
      </p>
    );
  }
  const labels = new Map([
    ['withdrawnOn', t('talks.withdrawnOn')],
    ['reason', t('talks.withdrawReason')],
  ]);
  async function submit() {
    const found: Record<string, string> = {};
    if (!isDate(withdrawnOn)) found['withdrawnOn'] = t('talks.error.date');
    if (!reason.trim()) found['reason'] = t('talks.error.reason');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send(
      `/prevention-talks/${encodeURIComponent(talkId)}/consent/withdrawal`,
      { withdrawnOn, reason },
      byPath,
      { 'TALK.DATE_IN_FUTURE': 'withdrawnOn', 'TALK.DATE_OUT_OF_ORDER': 'withdrawnOn' },
    );
    setErrors(problems);
    if (result) onDone();
  }
  return (
    <TalkForm
      id="withdraw-consent"
      title={t('talks.withdrawConsent')}
      className="talk-form panel panel--warning"
      errors={errors}
      order={['withdrawnOn', 'reason']}
      labels={labels}
      submitting={submission.submitting}
      submit={t('talks.withdrawSubmit')}
      onSubmit={submit}
    >
      <p>{t('talks.withdrawLead')}</p>
      <DayField
        id="withdrawnOn"
        label={t('talks.withdrawnOn')}
        error={errors['withdrawnOn']}
        value={withdrawnOn}
        onChange={setWithdrawnOn}
      />
      <FreeTextField
        id="reason"
        label={t('talks.withdrawReason')}
        hint={t('talks.freeTextHint')}
        error={errors['reason']}
        value={reason}
        submission={submission}
        onChange={setReason}
        maxLength={2000}
      />
      <PersonalDataConfirm submission={submission} />
      <p>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setOpen(false);
            requestAnimationFrame(() => opener.current?.focus());
          }}
        >
          {t('talks.cancel')}
        </button>
      </p>
    </TalkForm>
  );
}

/** `agreedFollowUp[1].dueOn` is the second agreed follow-up's due date. */
const heldFieldOf: FieldOf = (path) => {
  const row = /^agreedFollowUp\[(\d+)\]\.(\w+)/.exec(path);
  if (row) return `agreed-${row[1]}-${row[2]}`;
  return byPath(path);
};

function RecordHeld({ talk, onDone }: { talk: Talk; onDone: () => void }) {
  const { t, agency } = useI18n();
  const seatName = useSeatName();
  const planned = talk.participants.map(seatKey);
  const agencies = [...new Set(talk.participants.map((p) => p.agency))];
  const [heldOn, setHeldOn] = useState(swedishToday);
  const [participants, setParticipants] = useState<string[]>(planned);
  const [guardians, setGuardians] = useState('');
  const [outcome, setOutcome] = useState('');
  const [agreed, setAgreed] = useState<AgreedFollowUp[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const submission = useSubmission('talks');
  const labels = new Map<string, string>([
    ['heldOn', t('talks.heldOn')],
    ['participants', t('talks.heldParticipants')],
    ['guardiansPresent', t('talks.guardiansPresent')],
    ['outcome', t('talks.outcome')],
    ...agreed.flatMap((_, i) =>
      (['action', 'responsibleAgency', 'dueOn'] as const).map(
        (f) =>
          [
            `agreed-${i}-${f}`,
            `${t('talks.agreedNumber', { n: i + 1 })}, ${t(`talks.agreed.${f}`)}`,
          ] as const,
      ),
    ),
  ]);
  const setRow = (i: number, change: Partial<AgreedFollowUp>) =>
    setAgreed(agreed.map((row, j) => (j === i ? { ...row, ...change } : row)));

  async function submit() {
    const found: Record<string, string> = {};
    if (!isDate(heldOn)) found['heldOn'] = t('talks.error.date');
    const present = new Set(participants.map((p) => p.split('/')[0]));
    if (!present.has('police') || !present.has('social-services'))
      found['participants'] = t('talks.problem.TALK.NOT_JOINT');
    if (!guardians) found['guardiansPresent'] = t('talks.error.guardiansPresent');
    if (!outcome.trim()) found['outcome'] = t('talks.error.outcome');
    agreed.forEach((row, i) => {
      if (!row.action.trim()) found[`agreed-${i}-action`] = t('talks.error.agreedAction');
      if (!row.responsibleAgency)
        found[`agreed-${i}-responsibleAgency`] = t('talks.error.agreedAgency');
      if (!isDate(row.dueOn)) found[`agreed-${i}-dueOn`] = t('talks.error.date');
      else if (isDate(heldOn) && row.dueOn < heldOn)
        found[`agreed-${i}-dueOn`] = t('talks.problem.TALK.DATE_BEFORE_TALK');
    });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send(
      `/prevention-talks/${encodeURIComponent(talk.talkId)}/held`,
      {
        heldOn,
        participants: participants.map((p) => {
          const [a, r] = p.split('/');
          return { agency: a, role: r };
        }),
        guardiansPresent: guardians === 'yes',
        outcome,
        agreedFollowUp: agreed,
      },
      heldFieldOf,
      {
        'TALK.DATE_IN_FUTURE': 'heldOn',
        'TALK.HELD_BEFORE_CONSENT': 'heldOn',
        'TALK.NOT_JOINT': 'participants',
        'TALK.INVALID_PARTICIPANT': 'participants',
        'TALK.GROUND_EXCLUDES_AGENCY': 'participants',
      },
    );
    setErrors(problems);
    if (result) onDone();
  }

  return (
    <TalkForm
      id="record-held"
      title={t('talks.recordHeld')}
      errors={errors}
      order={[...labels.keys()]}
      labels={labels}
      submitting={submission.submitting}
      submit={t('talks.recordHeldSubmit')}
      onSubmit={submit}
    >
      <DayField
        id="heldOn"
        label={t('talks.heldOn')}
        error={errors['heldOn']}
        value={heldOn}
        onChange={setHeldOn}
      />
      <ChoiceField
        id="participants"
        type="checkbox"
        legend={t('talks.heldParticipants')}
        error={errors['participants']}
        value={participants}
        onChange={setParticipants}
        options={TALK_SEATS.filter((s) => agencies.includes(s.split('/')[0]!)).map((s) => ({
          value: s,
          label: seatName(s),
        }))}
      />
      <ChoiceField
        id="guardiansPresent"
        type="radio"
        inline
        legend={t('talks.guardiansPresent')}
        error={errors['guardiansPresent']}
        value={[guardians]}
        onChange={([v]) => setGuardians(v ?? '')}
        options={[
          { value: 'yes', label: t('talks.yes') },
          { value: 'no', label: t('talks.no') },
        ]}
      />
      <FreeTextField
        id="outcome"
        label={t('talks.outcome')}
        hint={t('talks.freeTextHint')}
        error={errors['outcome']}
        value={outcome}
        submission={submission}
        onChange={setOutcome}
      />
      <h3>{t('talks.agreed')}</h3>
      {agreed.map((row, i) => (
        <fieldset key={i} className="fieldset talk-agreed">
          <legend className="legend">{t('talks.agreedNumber', { n: i + 1 })}</legend>
          <TextField
            id={`agreed-${i}-action`}
            label={t('talks.agreed.action')}
            error={errors[`agreed-${i}-action`]}
            value={row.action}
            onChange={(v) => {
              setRow(i, { action: v });
              submission.textChanged();
            }}
            maxLength={2000}
          />
          <SelectField
            id={`agreed-${i}-responsibleAgency`}
            label={t('talks.agreed.responsibleAgency')}
            error={errors[`agreed-${i}-responsibleAgency`]}
            value={row.responsibleAgency}
            onChange={(v) => setRow(i, { responsibleAgency: v })}
            placeholder={t('talks.agreedAgencyChoose')}
            options={agencies.map((a) => ({ value: a, label: agency(a) }))}
          />
          <DayField
            id={`agreed-${i}-dueOn`}
            label={t('talks.agreed.dueOn')}
            error={errors[`agreed-${i}-dueOn`]}
            value={row.dueOn}
            onChange={(v) => setRow(i, { dueOn: v })}
          />
          <button
            type="button"
            className="link-button"
            onClick={() => setAgreed(agreed.filter((_, j) => j !== i))}
          >
            {t('talks.agreedRemove', { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setAgreed([...agreed, { action: '', responsibleAgency: '', dueOn: '' }]);
            const next = agreed.length;
            requestAnimationFrame(() => document.getElementById(`agreed-${next}-action`)?.focus());
          }}
        >
          {t('talks.agreedAdd')}
        </button>
      </p>
      <PersonalDataConfirm submission={submission} />
    </TalkForm>
  );
}

function FollowUp({ talk, onDone }: { talk: Talk; onDone: (closed: boolean) => void }) {
  const { t } = useI18n();
  const [followedUpOn, setFollowedUpOn] = useState(swedishToday);
  const [notes, setNotes] = useState('');
  const [closed, setClosed] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const submission = useSubmission('talks');
  const labels = new Map([
    ['followedUpOn', t('talks.followedUpOn')],
    ['notes', t('talks.notes')],
  ]);
  async function submit() {
    const found: Record<string, string> = {};
    if (!isDate(followedUpOn)) found['followedUpOn'] = t('talks.error.date');
    if (!notes.trim()) found['notes'] = t('talks.error.notes');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send(
      `/prevention-talks/${encodeURIComponent(talk.talkId)}/follow-ups`,
      { followedUpOn, notes, closed: closed.length > 0 },
      byPath,
      {
        'TALK.DATE_IN_FUTURE': 'followedUpOn',
        'TALK.DATE_BEFORE_TALK': 'followedUpOn',
        'TALK.NO_CONSENT': 'followedUpOn',
      },
    );
    setErrors(problems);
    if (!result) return;
    setNotes('');
    setClosed([]);
    onDone(closed.length > 0);
  }
  return (
    <TalkForm
      id="follow-up"
      title={t('talks.followUp')}
      errors={errors}
      order={['followedUpOn', 'notes', 'closed']}
      labels={labels}
      submitting={submission.submitting}
      submit={t('talks.followUpSubmit')}
      onSubmit={submit}
    >
      <DayField
        id="followedUpOn"
        label={t('talks.followedUpOn')}
        error={errors['followedUpOn']}
        value={followedUpOn}
        onChange={setFollowedUpOn}
      />
      <FreeTextField
        id="notes"
        label={t('talks.notes')}
        hint={t('talks.freeTextHint')}
        error={errors['notes']}
        value={notes}
        submission={submission}
        onChange={setNotes}
      />
      <ChoiceField
        id="closed"
        type="checkbox"
        legend={t('talks.closeLegend')}
        value={closed}
        onChange={setClosed}
        options={[{ value: 'yes', label: t('talks.close'), hint: t('talks.closeHint') }]}
      />
      <PersonalDataConfirm submission={submission} />
    </TalkForm>
  );
}

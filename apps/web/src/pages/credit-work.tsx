import { useState, type FormEvent } from 'react';
import { isTalkRole, type AgencyCode } from '../../../../libs/domain/src/agencies/agencies';
import {
  ChoiceField,
  ErrorSummary,
  SelectField,
  TextAreaField,
  type FieldErrors,
} from '../components/form';
import { PageTitle } from '../components/layout';
import {
  mayRecord,
  PersonalDataConfirmation,
  RecordedPanel,
  RecordRefusal,
  useSubmission,
  type ProblemMap,
} from '../components/record-parts';
import { carriedBy, swedishToday, usePromiseInForce } from '../components/record-promise';
import { Failed, Loading } from '../components/status';
import { useI18n, type MessageKey } from '../i18n';
import { kindLabel } from '../labels';
import { Link, useRoute } from '../router';
import { useSession } from '../session';
import { useAllPages, useApi } from '../use-api';
import '../styles/record.css';

type WorkKind = 'safety-walk' | 'situation-picture-confirmation' | 'activity' | 'prevention-talk';

interface Timeline {
  readonly commitments: readonly {
    readonly commitmentId: string;
    readonly description: string;
    readonly creditedWork: readonly {
      readonly workKind: Exclude<WorkKind, 'prevention-talk'>;
      readonly kind: string;
      readonly id: string;
      readonly date: string;
    }[];
  }[];
}
interface Walk {
  readonly walkId: string;
  readonly conductedOn: string | null;
  readonly route: readonly string[];
  readonly areaId: string | null;
}
interface Confirmations {
  readonly confirmations: readonly { confirmationId: string; meetingOn: string; summary: string }[];
}
interface Talk {
  readonly talkId: string;
  readonly heldOn: string | null;
}

interface Work {
  readonly id: string;
  readonly date: string;
  readonly label: string;
}

const FIELDS = ['kind', 'purpose', 'workId', 'commitmentId'];

const CODES: ProblemMap['codes'] = {
  'CREDIT.OUTSIDE_PERIOD': ['workId', 'credit.error.outsidePeriod'],
  'CREDIT.NOT_DONE_YET': ['workId', 'credit.error.notDoneYet'],
  'CREDIT.ALREADY_CREDITED': ['commitmentId', 'credit.error.alreadyCredited'],
  'CREDIT.OWN_COMMITMENT': ['commitmentId', 'credit.error.ownCommitment'],
  'CREDIT.UNKNOWN_COMMITMENT': ['commitmentId', 'credit.error.unknownCommitment'],
  'CREDIT.NOT_COMMITMENT_OWNER': ['commitmentId', 'credit.error.notOwner'],
  'CREDIT.PROMISE_NOT_IN_FORCE': ['form', 'credit.error.notInForce'],
  'CREDIT.NOT_CREDITED': ['form', 'credit.error.notCredited'],
  'CREDIT.REASON_REQUIRED': ['reason', 'credit.error.reason'],
};
const PROBLEMS: ProblemMap = {
  field: (path) =>
    path === 'commitmentId'
      ? 'commitmentId'
      : path.startsWith('work')
        ? 'workId'
        : path === 'reason'
          ? 'reason'
          : undefined,
  codes: CODES,
};

const KIND_WORDS: Readonly<Record<WorkKind, MessageKey>> = {
  'safety-walk': 'credit.kind.safety-walk',
  'situation-picture-confirmation': 'credit.kind.situation-picture-confirmation',
  activity: 'credit.kind.activity',
  'prevention-talk': 'credit.kind.prevention-talk',
};

interface Recorded {
  readonly withdrawn: boolean;
  readonly kind: WorkKind;
  readonly work: string;
  readonly commitment: string;
}

/**
 * Crediting work done elsewhere to a commitment of the promise it fulfils (a conducted safety
 * walk, a confirmed situation picture, an activity under another commitment, a held prevention
 * talk the user took part in), chosen from what the API lists for this user; and taking a
 * credit back, with a reason. Opened as `/tillgodorakna?commitment=…`.
 */
export function CreditWorkPage() {
  const { t, language, agency, date } = useI18n();
  const { state } = useSession();
  const { search } = useRoute();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const today = swedishToday();
  const { list, promise, promiseId } = usePromiseInForce(today);
  const timeline = useApi<Timeline>(
    promiseId ? `/promises/${encodeURIComponent(promiseId)}/timeline` : undefined,
  );
  const walks = useAllPages<Walk>('/safety-walks?status=conducted');
  const places = useAllPages<{ placeId: string; name: string }>('/places');
  const confirmations = useApi<Confirmations>('/situation-picture/confirmations');
  const [kind, setKind] = useState<WorkKind | ''>('');
  const [workId, setWorkId] = useState('');
  const [commitmentId, setCommitmentId] = useState(search.get('commitment') ?? '');
  const [purpose, setPurpose] = useState('');
  const [talksAsked, setTalksAsked] = useState<string | undefined>();
  const talks = useApi<{ items: Talk[] }>(
    talksAsked
      ? `/prevention-talks?limit=100&purpose=${encodeURIComponent(talksAsked)}`
      : undefined,
  );
  const [withdrawing, setWithdrawing] = useState<
    { commitmentId: string; kind: WorkKind; workId: string; label: string } | undefined
  >();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [recorded, setRecorded] = useState<Recorded | undefined>();
  const submission = useSubmission(PROBLEMS);

  if (!session || !mayRecord(session.activeRole)) {
    return <RecordRefusal title={t('credit.title')} reason={t('record.refusedReadOnly')} />;
  }
  if (list.status === 'loading' || places.status === 'loading') return <Loading />;
  if (list.status === 'failed') return <Failed problem={list.problem} retry={list.retry} />;
  if (places.status === 'failed') return <Failed problem={places.problem} retry={places.retry} />;
  if (!promiseId) {
    return <RecordRefusal title={t('credit.title')} reason={t('record.noPromise')} />;
  }
  if (promise.status === 'loading' || timeline.status === 'loading') return <Loading />;
  if (promise.status === 'failed')
    return <Failed problem={promise.problem} retry={promise.retry} />;
  if (timeline.status === 'failed') {
    return <Failed problem={timeline.problem} retry={timeline.retry} />;
  }
  const doc = promise.data;
  const commitments = carriedBy(doc, session.agency);
  if (commitments.length === 0) {
    return (
      <RecordRefusal
        title={t('credit.title')}
        reason={t('credit.noCommitments', { agency: agency(session.agency) })}
      />
    );
  }
  const talkRole = isTalkRole(session.agency as AgencyCode, session.activeRole ?? '');
  const kinds: WorkKind[] = [
    'safety-walk',
    'situation-picture-confirmation',
    'activity',
    ...(talkRole ? (['prevention-talk'] as const) : []),
  ];
  const placeName = (id: string) => places.data.items.find((p) => p.placeId === id)?.name ?? id;
  const inPeriod = (d: string | null): d is string =>
    d !== null && doc.period.from <= d && d <= doc.period.to;
  const ours = new Set(commitments.map((c) => c.commitmentId));

  /** The work of a kind this user may credit, done within the promise's period, newest first. */
  const worksOf = (k: WorkKind | ''): Work[] | 'loading' | 'failed' => {
    let works: Work[] = [];
    if (k === 'safety-walk') {
      if (walks.status !== 'ok') return walks.status;
      works = walks.data.items
        .filter((w) => inPeriod(w.conductedOn))
        .map((w) => ({
          id: w.walkId,
          date: w.conductedOn!,
          label: t('credit.walkLabel', {
            date: date(w.conductedOn!),
            where: (w.areaId ? [w.areaId] : w.route).map(placeName).join(', '),
          }),
        }));
    } else if (k === 'situation-picture-confirmation') {
      if (confirmations.status !== 'ok') return confirmations.status;
      works = confirmations.data.confirmations
        .filter((c) => inPeriod(c.meetingOn))
        .map((c) => ({
          id: c.confirmationId,
          date: c.meetingOn,
          label: t('credit.confirmationLabel', { date: date(c.meetingOn) }),
        }));
    } else if (k === 'activity') {
      works = doc.activities
        .filter((a) => a.status !== 'withdrawn' && ours.has(a.commitmentId))
        .map((a) => ({
          id: a.activityId,
          date: a.date,
          label: `${date(a.date)}: ${kindLabel(a.kind, language)}, ${a.placeIds.map(placeName).join(', ')}`,
        }));
    } else if (k === 'prevention-talk') {
      if (!talksAsked) return [];
      if (talks.status !== 'ok') return talks.status;
      works = talks.data.items
        .filter((x) => inPeriod(x.heldOn))
        .map((x) => ({
          id: x.talkId,
          date: x.heldOn!,
          label: t('credit.talkLabel', { date: date(x.heldOn!), id: x.talkId }),
        }));
    }
    return works.sort((a, b) => (a.date < b.date ? 1 : -1));
  };
  const works = worksOf(kind);
  const chosenWork = Array.isArray(works) ? works.find((w) => w.id === workId) : undefined;
  const commitmentName = (id: string) =>
    doc.commitments.find((c) => c.commitmentId === id)?.description ?? id;
  const credited = timeline.data.commitments
    .filter((c) => ours.has(c.commitmentId))
    .flatMap((c) => c.creditedWork.map((w) => ({ commitment: c, work: w })));

  const labels = new Map<string, string>([
    ['kind', t('credit.kind')],
    ['purpose', t('credit.purpose')],
    ['workId', t('credit.work')],
    ['commitmentId', t('credit.commitment')],
    ['reason', t('credit.reason')],
  ]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!kind) found['kind'] = t('credit.error.kind');
    else if (kind === 'prevention-talk' && !talksAsked)
      found['purpose'] = t('credit.error.purpose');
    else if (!workId) found['workId'] = t('credit.error.workId');
    if (!commitmentId) found['commitmentId'] = t('credit.error.commitmentId');
    setErrors(found);
    if (Object.keys(found).length > 0 || !kind) return;
    const sent = await submission.send(`/promises/${encodeURIComponent(doc.promiseId)}/credits`, {
      commitmentId,
      work: { kind, workId },
    });
    if (!sent.ok) {
      setErrors(sent.errors);
      return;
    }
    setRecorded({
      withdrawn: false,
      kind,
      work: chosenWork?.label ?? workId,
      commitment: commitmentName(commitmentId),
    });
    setKind('');
    setWorkId('');
    setCommitmentId('');
    timeline.retry();
  }

  async function withdraw(event: FormEvent) {
    event.preventDefault();
    if (!withdrawing) return;
    if (!reason.trim()) {
      setErrors({ reason: t('credit.error.reason') });
      return;
    }
    setErrors({});
    const sent = await submission.send(
      `/promises/${encodeURIComponent(doc.promiseId)}/credits/withdrawal`,
      {
        commitmentId: withdrawing.commitmentId,
        work: { kind: withdrawing.kind, workId: withdrawing.workId },
        reason,
      },
    );
    if (!sent.ok) {
      setErrors(sent.errors);
      return;
    }
    setRecorded({
      withdrawn: true,
      kind: withdrawing.kind,
      work: withdrawing.label,
      commitment: commitmentName(withdrawing.commitmentId),
    });
    setWithdrawing(undefined);
    setReason('');
    timeline.retry();
  }

  if (recorded) {
    return (
      <RecordedPanel
        title={t(recorded.withdrawn ? 'credit.doneWithdrawn' : 'credit.done')}
        facts={[
          [t('credit.kind'), t(KIND_WORDS[recorded.kind])],
          [t('credit.work'), recorded.work],
          [t('credit.commitment'), recorded.commitment],
        ]}
      >
        <li>
          <button type="button" className="button" onClick={() => setRecorded(undefined)}>
            {t('credit.another')}
          </button>
        </li>
        <li>
          <Link
            to={`/medborgarlofte/${encodeURIComponent(doc.promiseId)}`}
            className="button button--secondary"
          >
            {t('activity.toPromise')}
          </Link>
        </li>
      </RecordedPanel>
    );
  }

  if (withdrawing) {
    return (
      <>
        <PageTitle>{t('credit.withdrawTitle')}</PageTitle>
        <p className="lead">
          {t('credit.withdrawLead', {
            work: withdrawing.label,
            commitment: commitmentName(withdrawing.commitmentId),
          })}
        </p>
        <ErrorSummary errors={errors} order={['reason']} labels={labels} />
        <form noValidate onSubmit={(e) => void withdraw(e)} className="record-form">
          <TextAreaField
            id="reason"
            label={t('credit.reason')}
            hint={t('credit.reasonHint')}
            error={errors['reason']}
            value={reason}
            onChange={(v) => {
              setReason(v);
              submission.textChanged();
            }}
            maxLength={2000}
          />
          <PersonalDataConfirmation
            shown={submission.confirming !== undefined}
            confirmed={submission.confirmed}
            onChange={submission.setConfirmed}
          />
          <ul className="button-row">
            <li>
              <button
                id="submit"
                type="submit"
                className="button"
                disabled={submission.submitting}
                aria-disabled={submission.submitting}
              >
                {t('credit.withdrawSubmit')}
              </button>
            </li>
            <li>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setWithdrawing(undefined);
                  setErrors({});
                  setReason('');
                }}
              >
                {t('credit.cancel')}
              </button>
            </li>
          </ul>
        </form>
      </>
    );
  }

  return (
    <>
      <PageTitle>{t('credit.title')}</PageTitle>
      <p className="lead">{t('credit.lead', { title: doc.title })}</p>
      <ErrorSummary errors={errors} order={FIELDS} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)} className="record-form">
        <ChoiceField
          id="kind"
          type="radio"
          legend={t('credit.kind')}
          error={errors['kind']}
          value={[kind]}
          onChange={([v]) => {
            setKind((v ?? '') as WorkKind | '');
            setWorkId('');
          }}
          options={kinds.map((k) => ({
            value: k,
            label: t(KIND_WORDS[k]),
            ...(k === 'prevention-talk' ? { hint: t('credit.kind.prevention-talkHint') } : {}),
          }))}
        />
        {kind === 'prevention-talk' && !talksAsked && (
          <div className={`field${errors['purpose'] ? ' field--error' : ''}`}>
            <label className="label" htmlFor="purpose">
              {t('credit.purpose')}
            </label>
            <p className="hint" id="purpose-hint">
              {t('credit.purposeHint')}
            </p>
            {errors['purpose'] && (
              <p className="field-error" id="purpose-error">
                <span className="visually-hidden">{t('form.errorPrefix')} </span>
                {errors['purpose']}
              </p>
            )}
            <div className="inline-form__row">
              <input
                id="purpose"
                name="purpose"
                className="input"
                maxLength={200}
                aria-describedby={`purpose-hint${errors['purpose'] ? ' purpose-error' : ''}`}
                aria-invalid={errors['purpose'] ? true : undefined}
                value={purpose}
                onChange={(e) => setPurpose(e.target.value)}
              />
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  if (purpose.trim()) setTalksAsked(purpose.trim());
                  else setErrors({ purpose: t('credit.error.purpose') });
                }}
              >
                {t('credit.showTalks')}
              </button>
            </div>
          </div>
        )}
        {kind !== '' && works === 'loading' && <Loading />}
        {kind !== '' && works === 'failed' && (
          <p className="field-error">{t('credit.worksFailed')}</p>
        )}
        {kind !== '' && Array.isArray(works) && (kind !== 'prevention-talk' || talksAsked) && (
          <SelectField
            id="workId"
            label={t('credit.work')}
            hint={t('credit.workHint', { from: date(doc.period.from), to: date(doc.period.to) })}
            error={errors['workId']}
            value={workId}
            onChange={setWorkId}
            placeholder={t(works.length === 0 ? 'credit.workNone' : 'credit.workChoose')}
            options={works.map((w) => ({ value: w.id, label: w.label }))}
          />
        )}
        <SelectField
          id="commitmentId"
          label={t('credit.commitment')}
          hint={t('credit.commitmentHint', { agency: agency(session.agency) })}
          error={errors['commitmentId']}
          value={commitmentId}
          onChange={setCommitmentId}
          placeholder={t('credit.commitmentChoose')}
          options={commitments.map((c) => ({ value: c.commitmentId, label: c.description }))}
        />
        <button
          id="submit"
          type="submit"
          className="button"
          disabled={submission.submitting}
          aria-disabled={submission.submitting}
        >
          {t('credit.submit')}
        </button>
      </form>
      <section className="record-credited" aria-labelledby="credited-title">
        <h2 id="credited-title">{t('credit.creditedTitle')}</h2>
        {credited.length === 0 ? (
          <p>{t('credit.creditedNone')}</p>
        ) : (
          <ul className="plain-list">
            {credited.map(({ commitment, work }) => {
              const label = `${t(KIND_WORDS[work.workKind])} ${date(work.date)} (${work.id})`;
              return (
                <li key={`${commitment.commitmentId}/${work.id}`} className="record-credit">
                  <span>
                    <strong>{label}</strong>
                    <span className="meta"> → {commitment.description}</span>
                  </span>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setErrors({});
                      setWithdrawing({
                        commitmentId: commitment.commitmentId,
                        kind: work.workKind,
                        workId: work.id,
                        label,
                      });
                    }}
                  >
                    {t('credit.withdraw')}
                    <span className="visually-hidden">
                      {' '}
                      {t('credit.withdrawWhat', { work: label })}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <p className="meta">{t('credit.talksNotListed')}</p>
      </section>
    </>
  );
}

import { useState, type FormEvent } from 'react';
import { AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import { ApiProblem } from '../api';
import {
  ChoiceField,
  ErrorSummary,
  isDate,
  SelectField,
  TextAreaField,
  type FieldErrors,
} from '../components/form';
import { PageTitle } from '../components/layout';
import { ReportAssessmentFields } from '../components/report-assessment';
import { Failed, Loading } from '../components/status';
import { useI18n, type MessageKey } from '../i18n';
import { useIdempotentPost } from '../submission';
import { Link } from '../router';
import { useSession } from '../session';
import { useAllPages, useApi } from '../use-api';

interface Places {
  readonly items: readonly { placeId: string; name: string }[];
}
interface PromiseDoc {
  readonly problemAreas: readonly { rank: number; code: string; name: string }[];
}
interface PromiseList {
  readonly items: readonly { promiseId: string }[];
}

/** One's own report as the API answers it, to correct it. */
interface ExistingReport {
  readonly status: 'reported' | 'retracted';
  readonly placeIds: readonly string[];
  readonly problemArea: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly trend: string;
  readonly severity: string;
  readonly description: string | null;
  readonly source: string;
  readonly sensitivity: string;
  readonly sharedWith: readonly string[];
}

/**
 * Retracting a report (its reporter only), with a reason: the report leaves the picture, and
 * what it said stays with its reporter and the auditors.
 */
function RetractReport({ reportId }: { reportId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [retracted, setRetracted] = useState(false);
  const submission = useIdempotentPost();
  async function retract(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) return setError(t('correct.error.reason'));
    try {
      const sent = await submission.post(
        `/situation-reports/${encodeURIComponent(reportId)}/retraction`,
        { reason },
      );
      if (sent) setRetracted(true);
    } catch (e) {
      if (!(e instanceof ApiProblem)) throw e;
      setError(e.errors[0]?.reason ?? (e.detail || e.title));
    }
  }
  if (retracted) {
    return (
      <div className="panel panel--success" role="status">
        <p>{t('correct.retracted')}</p>
      </div>
    );
  }
  return (
    <section aria-labelledby="retract-title" className="card">
      <h2 id="retract-title">{t('correct.retractTitle')}</h2>
      <p>{t('correct.retractBody')}</p>
      {!open ? (
        <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
          {t('correct.retractOpen')}
        </button>
      ) : (
        <form noValidate onSubmit={(e) => void retract(e)}>
          <TextAreaField
            id="retractReason"
            label={t('correct.retractReason')}
            hint={t('correct.reasonHint')}
            error={error}
            value={reason}
            onChange={setReason}
            maxLength={2000}
          />
          <button type="submit" className="button button--warning" disabled={submission.submitting}>
            {t('correct.retract')}
          </button>
        </form>
      )}
    </section>
  );
}

const FIELDS = [
  'placeId',
  'problemArea',
  'periodFrom',
  'periodTo',
  'trend',
  'severity',
  'description',
  'source',
  'sensitivity',
  'sharedWith',
  'reason',
] as const;
type Field = (typeof FIELDS)[number];

/** Where the API names a field (`period.from`), the form's id for it (`periodFrom`). */
const FIELD_OF_PATH: Readonly<Record<string, Field>> = {
  placeIds: 'placeId',
  problemArea: 'problemArea',
  'period.from': 'periodFrom',
  'period.to': 'periodTo',
  period: 'periodFrom',
  trend: 'trend',
  severity: 'severity',
  description: 'description',
  source: 'source',
  sensitivity: 'sensitivity',
  sharedWith: 'sharedWith',
  reason: 'reason',
};

interface Draft {
  placeId: string;
  problemArea: string;
  periodFrom: string;
  periodTo: string;
  trend: string;
  severity: string;
  description: string;
  source: string;
  sensitivity: string;
  sharedWith: string[];
}

const EMPTY: Draft = {
  placeId: '',
  problemArea: '',
  periodFrom: '',
  periodTo: '',
  trend: '',
  severity: '',
  description: '',
  source: '',
  sensitivity: '',
  sharedWith: [],
};

/** What is missing, in the words of each field, before anything is sent. */
function missing(draft: Draft, t: (key: MessageKey) => string): Record<string, string> {
  const errors: Record<string, string> = {};
  const need: [Field, MessageKey][] = [
    ['placeId', 'report.error.placeId'],
    ['problemArea', 'report.error.problemArea'],
    ['periodFrom', 'report.error.periodFrom'],
    ['periodTo', 'report.error.periodTo'],
    ['trend', 'report.error.trend'],
    ['severity', 'report.error.severity'],
    ['description', 'report.error.description'],
    ['source', 'report.error.source'],
    ['sensitivity', 'report.error.sensitivity'],
  ];
  for (const [field, message] of need) {
    const value = draft[field as keyof Draft];
    if (typeof value === 'string' && value.trim() === '') errors[field] = t(message);
  }
  if (!errors['periodFrom'] && !isDate(draft.periodFrom))
    errors['periodFrom'] = t('report.error.date');
  if (!errors['periodTo'] && !isDate(draft.periodTo)) errors['periodTo'] = t('report.error.date');
  if (!errors['periodFrom'] && !errors['periodTo'] && draft.periodTo < draft.periodFrom) {
    errors['periodTo'] = t('report.error.periodOrder');
  }
  if (draft.sensitivity === 'restricted' && draft.sharedWith.length === 0) {
    errors['sharedWith'] = t('report.error.sharedWith');
  }
  return errors;
}

/**
 * Reporting an observation to the situation picture: one form, checked here first and by the
 * API after, its problems shown at the top and at each field; one Idempotency-Key per report, so
 * a double click or a retry after a lost answer records it once.
 */
export function ReportSituationPage({ reportId }: { reportId?: string } = {}) {
  const { t, has, agency } = useI18n();
  // Correcting one's own report: read it, stating why (a restricted report's read is logged).
  const existing = useApi<ExistingReport>(
    reportId
      ? `/situation-reports/${encodeURIComponent(reportId)}?purpose=${encodeURIComponent(t('correct.purpose'))}`
      : undefined,
  );
  const [reason, setReason] = useState('');
  const [redacts, setRedacts] = useState(false);
  const [prefilled, setPrefilled] = useState(false);
  const { state } = useSession();
  const places = useAllPages<Places['items'][number]>('/places');
  const promises = useApi<PromiseList>('/promises');
  const promiseId = promises.status === 'ok' ? promises.data.items[0]?.promiseId : undefined;
  const promise = useApi<PromiseDoc>(
    promiseId ? `/promises/${encodeURIComponent(promiseId)}` : undefined,
  );
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const submission = useIdempotentPost();
  const { submitting, confirm, confirmed, setConfirmed } = submission;
  const [done, setDone] = useState<string | undefined>();
  const own = state.status === 'signed-in' ? state.session.agency : undefined;

  if (reportId && existing.status === 'ok' && !prefilled) {
    const r = existing.data;
    setPrefilled(true);
    setDraft({
      placeId: r.placeIds[0] ?? '',
      problemArea: r.problemArea,
      periodFrom: r.period.from,
      periodTo: r.period.to,
      trend: r.trend,
      severity: r.severity,
      description: r.description ?? '',
      source: r.source,
      sensitivity: r.sensitivity,
      sharedWith: [...r.sharedWith],
    });
  }
  if (reportId && existing.status === 'loading') return <Loading />;
  if (reportId && existing.status === 'failed') {
    return <Failed problem={existing.problem} retry={existing.retry} />;
  }
  if (reportId && existing.status === 'ok' && existing.data.status === 'retracted') {
    return (
      <>
        <PageTitle>{t('correct.title')}</PageTitle>
        <p>{t('correct.retractedAlready')}</p>
        <Link to="/lagesbild">{t('nav.situation')}</Link>
      </>
    );
  }
  if (places.status === 'loading' || promises.status === 'loading') return <Loading />;
  if (places.status === 'failed') return <Failed problem={places.problem} retry={places.retry} />;
  if (promises.status === 'failed')
    return <Failed problem={promises.problem} retry={promises.retry} />;

  const set = <K extends keyof Draft>(field: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const labels = new Map<string, string>([
    ['placeId', t('report.place')],
    ['problemArea', t('report.problemArea')],
    ['periodFrom', t('report.periodFrom')],
    ['periodTo', t('report.periodTo')],
    ['trend', t('report.trend')],
    ['severity', t('report.severity')],
    ['description', t('report.description')],
    ['source', t('report.source')],
    ['sensitivity', t('report.sensitivity')],
    ['sharedWith', t('report.sharedWith')],
    ['reason', t('correct.reason')],
  ]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = missing(draft, t);
    if (reportId && !reason.trim()) found['reason'] = t('correct.error.reason');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const path = reportId
        ? `/situation-reports/${encodeURIComponent(reportId)}/corrections`
        : '/situation-reports';
      const sent = await submission.post<{ streamId: string }>(path, {
        ...(reportId ? { reason, ...(redacts ? { redactsEarlierText: true } : {}) } : {}),
        placeIds: [draft.placeId],
        problemArea: draft.problemArea,
        period: { from: draft.periodFrom, to: draft.periodTo },
        trend: draft.trend,
        severity: draft.severity,
        description: draft.description,
        source: draft.source,
        sensitivity: draft.sensitivity,
        sharedWith: draft.sensitivity === 'restricted' ? draft.sharedWith : [],
      });
      if (!sent) return;
      setDone(sent.result.streamId);
      if (!reportId) setDraft(EMPTY);
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      if (error.code === 'PERSONAL_DATA.CONFIRM') {
        submission.askConfirmation(error.spans.map((s) => s.path));
        setErrors({ description: t('report.error.confirm') });
      } else if (error.code === 'PERSONAL_DATA.DIRECT_IDENTIFIER') {
        setErrors({ description: t('report.error.identityNumber') });
      } else if (error.errors.length > 0) {
        const byField: Record<string, string> = {};
        for (const e of error.errors) {
          const field = FIELD_OF_PATH[e.path] ?? e.path;
          const word = `report.error.${field}`;
          byField[field] ??= has(word) ? t(word) : e.reason;
        }
        setErrors(byField);
      } else {
        setErrors({ form: error.detail || error.title });
      }
    }
  }

  if (done && reportId) {
    return (
      <>
        <PageTitle>{t('correct.done')}</PageTitle>
        <div className="panel panel--success">
          <p>{t(redacts ? 'correct.doneRedacted' : 'correct.doneBody')}</p>
        </div>
        <p>
          <Link to="/lagesbild">{t('nav.situation')}</Link>
        </p>
      </>
    );
  }
  if (done) {
    return (
      <>
        <PageTitle>{t('report.done')}</PageTitle>
        <div className="panel panel--success">
          <p>{t('report.doneBody')}</p>
        </div>
        <ul className="button-row">
          <li>
            <button type="button" className="button" onClick={() => setDone(undefined)}>
              {t('report.another')}
            </button>
          </li>
          <li>
            <Link to="/lagesbild" className="button button--secondary">
              {t('nav.situation')}
            </Link>
          </li>
        </ul>
      </>
    );
  }

  const areas = promise.status === 'ok' ? promise.data.problemAreas : [];
  return (
    <>
      <PageTitle>{t(reportId ? 'correct.title' : 'report.title')}</PageTitle>
      <p className="lead">{t(reportId ? 'correct.lead' : 'report.lead')}</p>
      <ErrorSummary errors={errors} order={FIELDS} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <SelectField
          id="placeId"
          label={t('report.place')}
          error={errors['placeId']}
          value={draft.placeId}
          onChange={(v) => set('placeId', v)}
          placeholder={t('report.placeChoose')}
          options={[...places.data.items]
            .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
            .map((p) => ({ value: p.placeId, label: p.name }))}
        />
        <ReportAssessmentFields areas={areas} draft={draft} errors={errors} set={set} />
        <TextAreaField
          id="description"
          label={t('report.description')}
          hint={t('report.descriptionHint')}
          error={errors['description']}
          value={draft.description}
          onChange={(v) => {
            set('description', v);
            submission.textChanged();
          }}
          maxLength={4000}
        />
        {confirm && (
          <div className="panel panel--warning">
            <p>{t('report.confirmBody')}</p>
            <div className="choice">
              <input
                id="confirmPersonalData"
                type="checkbox"
                checked={confirmed}
                onChange={(e) => setConfirmed(e.target.checked)}
              />
              <label htmlFor="confirmPersonalData">{t('report.confirmLabel')}</label>
            </div>
          </div>
        )}
        <ChoiceField
          id="source"
          type="radio"
          legend={t('report.source')}
          error={errors['source']}
          value={[draft.source]}
          onChange={([v]) => set('source', v ?? '')}
          options={(
            ['own-observation', 'citizen-dialogue', 'statistics', 'incident-reports'] as const
          ).map((v) => ({ value: v, label: t(`report.source.${v}`) }))}
        />
        <ChoiceField
          id="sensitivity"
          type="radio"
          legend={t('report.sensitivity')}
          error={errors['sensitivity']}
          value={[draft.sensitivity]}
          onChange={([v]) => set('sensitivity', v ?? '')}
          options={[
            {
              value: 'open',
              label: t('report.sensitivity.open'),
              hint: t('report.sensitivity.openHint'),
            },
            {
              value: 'restricted',
              label: t('report.sensitivity.restricted'),
              hint: t('report.sensitivity.restrictedHint'),
            },
          ]}
        />
        {draft.sensitivity === 'restricted' && (
          <ChoiceField
            id="sharedWith"
            type="checkbox"
            legend={t('report.sharedWith')}
            error={errors['sharedWith']}
            value={draft.sharedWith}
            onChange={(v) => set('sharedWith', v)}
            options={AGENCIES.filter((a) => a !== own).map((a) => ({ value: a, label: agency(a) }))}
          />
        )}
        {reportId && (
          <>
            <TextAreaField
              id="reason"
              label={t('correct.reason')}
              hint={t('correct.reasonHint')}
              error={errors['reason']}
              value={reason}
              onChange={setReason}
              maxLength={2000}
            />
            <div className="choice">
              <input
                id="redactsEarlierText"
                type="checkbox"
                checked={redacts}
                onChange={(e) => setRedacts(e.target.checked)}
                aria-describedby="redactsEarlierText-hint"
              />
              <label htmlFor="redactsEarlierText">{t('correct.redacts')}</label>
              <p className="hint" id="redactsEarlierText-hint">
                {t('correct.redactsHint')}
              </p>
            </div>
          </>
        )}
        <button
          id="submit"
          type="submit"
          className="button"
          disabled={submitting}
          aria-disabled={submitting}
        >
          {t(reportId ? 'correct.submit' : 'report.submit')}
        </button>
      </form>
      {reportId && <RetractReport reportId={reportId} />}
    </>
  );
}

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../api';
import { Refused, TextField } from '../components/admin';
import { ChoiceField, ErrorSummary, SelectField, TextAreaField } from '../components/form';
import type { FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import type { AuditEntry } from './audit-trail';
import '../styles/admin.css';

interface Report {
  readonly reportId: string;
  readonly places: readonly { readonly name: string }[];
  readonly unresolvedPlace?: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly description: string | null;
}

interface Erased {
  readonly id: string;
  readonly keysDestroyed: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = ['scope', 'reportId', 'eventIds', 'subjectRef', 'reason'] as const;

/** Social services made a young person's reference; their data protection officer erases it. */
const SUBJECT_CONTROLLER = 'social-services';

const excerpt = (text: string | null, length = 70) =>
  text === null ? '' : text.length > length ? `${text.slice(0, length - 1)}…` : text;

/**
 * The data protection officer's erasure: the text of records the agency wrote (a situation
 * report with every version of it, or events picked from the audit trail), or everything about
 * a young person by their pseudonymous reference (social services). The legal ground and reason
 * are stated, a dialog says what will be destroyed, and the result says how many keys went.
 * Redaction is the reporting agency's, when it corrects a report; this page says so.
 */
export function ErasurePage() {
  const { t } = useI18n();
  const { state } = useSession();
  const session = state.status === 'signed-in' ? state.session : undefined;
  if (session?.activeRole !== 'data-protection-officer') {
    return (
      <>
        <PageTitle>{t('erasure.title')}</PageTitle>
        <Refused who={t('erasure.who')} />
      </>
    );
  }
  return <ErasureForm agency={session.agency} />;
}

function ErasureForm({ agency }: { agency: string }) {
  const { t, date } = useI18n();
  const reports = useApi<{ items: Report[] }>(
    `/situation-reports?agency=${encodeURIComponent(agency)}&limit=100`,
  );
  const subjects = agency === SUBJECT_CONTROLLER;
  const [scope, setScope] = useState(subjects ? '' : 'records');
  const [reportId, setReportId] = useState('');
  const [eventIds, setEventIds] = useState('');
  const [subjectRef, setSubjectRef] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [confirming, setConfirming] = useState<{ eventIds: string[]; text: string }>();
  const [erasing, setErasing] = useState(false);
  const [done, setDone] = useState<Erased>();
  const key = useRef(crypto.randomUUID());
  const dialog = useRef<HTMLDialogElement>(null);
  const dialogTitle = useRef<HTMLHeadingElement>(null);
  const doneBox = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!confirming) return;
    dialog.current?.showModal();
    dialogTitle.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (done) doneBox.current?.focus();
  }, [done]);

  if (reports.status === 'loading') return <Loading />;
  const list = reports.status === 'ok' ? reports.data.items : [];
  const label = (r: Report) =>
    `${date(r.period.from)} – ${r.places.map((p) => p.name).join(', ') || r.unresolvedPlace || ''}: ${excerpt(r.description)}`;
  const labels = new Map<string, string>([
    ['scope', t('erasure.scope')],
    ['reportId', t('erasure.report')],
    ['eventIds', t('erasure.eventIds')],
    ['subjectRef', t('erasure.subjectRef')],
    ['reason', t('erasure.reason')],
  ]);
  const typedIds = eventIds
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);

  async function review(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!scope) found['scope'] = t('erasure.error.scope');
    if (scope === 'records') {
      if (!reportId && typedIds.length === 0) found['reportId'] = t('erasure.error.records');
      if (typedIds.some((id) => !UUID.test(id))) found['eventIds'] = t('erasure.error.eventIds');
    }
    if (scope === 'data-subject' && subjectRef.trim() === '') {
      found['subjectRef'] = t('erasure.error.subjectRef');
    }
    if (reason.trim() === '') found['reason'] = t('erasure.error.reason');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (scope === 'data-subject') {
      return setConfirming({
        eventIds: [],
        text: t('erasure.confirmSubject', { subject: subjectRef.trim() }),
      });
    }
    let ids = [...typedIds];
    let text = t('erasure.confirmRecords', { count: ids.length });
    if (reportId) {
      // The report and every correction of it that the agency wrote: all its versions' text.
      try {
        const events = await api<AuditEntry[]>(
          `/audit-trail?streamId=${encodeURIComponent(`situation-report-${reportId}`)}&limit=1000`,
        );
        const ofReport = events.map((e) => e.eventId);
        if (ofReport.length === 0) return setErrors({ reportId: t('erasure.error.noEvents') });
        const report = list.find((r) => r.reportId === reportId);
        text = t('erasure.confirmReport', {
          report: excerpt(report?.description ?? reportId, 120),
          count: ofReport.length,
        });
        if (ids.length > 0) text = `${text} ${t('erasure.confirmRecords', { count: ids.length })}`;
        ids = [...new Set([...ofReport, ...ids])];
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        return setErrors({ reportId: error.detail || error.title });
      }
    }
    setConfirming({ eventIds: ids, text });
  }

  function close() {
    dialog.current?.close();
    setConfirming(undefined);
  }

  async function erase() {
    if (!confirming || erasing) return;
    setErasing(true);
    try {
      const result = await api<Erased>('/personal-data/erasures', {
        method: 'POST',
        idempotencyKey: key.current,
        body:
          scope === 'data-subject'
            ? { scope, subjectRef: subjectRef.trim(), reason: reason.trim() }
            : { scope, eventIds: confirming.eventIds, reason: reason.trim() },
      });
      key.current = crypto.randomUUID();
      close();
      setDone(result);
      setReportId('');
      setEventIds('');
      setSubjectRef('');
      setReason('');
      reports.retry();
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      close();
      if (error.code === 'ERASURE.NOT_CONTROLLER') {
        setErrors({
          [typedIds.length > 0 ? 'eventIds' : 'reportId']: t('erasure.error.notController'),
        });
      } else if (error.code === 'ERASURE.NOT_SUBJECT_CONTROLLER') {
        setErrors({ scope: error.detail || error.title });
      } else {
        setErrors({ form: error.detail || error.title });
      }
    } finally {
      setErasing(false);
    }
  }

  return (
    <>
      <PageTitle>{t('erasure.title')}</PageTitle>
      <p className="lead">{t('erasure.lead')}</p>
      <p>{t('erasure.redactionNote')}</p>
      {done && (
        <div className="panel panel--success" role="status">
          <h2 ref={doneBox} tabIndex={-1}>
            {t('erasure.done')}
          </h2>
          <p>{t('erasure.doneBody', { keys: done.keysDestroyed, id: done.id })}</p>
          <p>
            <Link to="/granskning?type=PersonalDataErased">{t('audit.title')}</Link>
          </p>
        </div>
      )}
      <ErrorSummary errors={errors} order={FIELDS} labels={labels} />
      <form noValidate onSubmit={(e) => void review(e)} className="admin-form">
        {subjects ? (
          <ChoiceField
            id="scope"
            type="radio"
            legend={t('erasure.scope')}
            error={errors['scope']}
            value={[scope]}
            onChange={([v]) => setScope(v ?? '')}
            options={[
              {
                value: 'records',
                label: t('erasure.scope.records'),
                hint: t('erasure.scope.recordsHint'),
              },
              {
                value: 'data-subject',
                label: t('erasure.scope.subject'),
                hint: t('erasure.scope.subjectHint'),
              },
            ]}
          />
        ) : (
          <p>{t('erasure.recordsOnly')}</p>
        )}
        {scope === 'records' && (
          <>
            {reports.status === 'failed' ? (
              <Failed problem={reports.problem} retry={reports.retry} />
            ) : (
              <SelectField
                id="reportId"
                label={t('erasure.report')}
                hint={t('erasure.reportHint')}
                error={errors['reportId']}
                value={reportId}
                onChange={setReportId}
                placeholder={t('erasure.reportNone')}
                options={list
                  .filter((r) => r.description !== null)
                  .map((r) => ({ value: r.reportId, label: label(r) }))}
              />
            )}
            <TextAreaField
              id="eventIds"
              label={t('erasure.eventIds')}
              hint={t('erasure.eventIdsHint')}
              error={errors['eventIds']}
              value={eventIds}
              onChange={setEventIds}
              maxLength={20000}
            />
          </>
        )}
        {scope === 'data-subject' && (
          <TextField
            id="subjectRef"
            label={t('erasure.subjectRef')}
            hint={t('erasure.subjectRefHint')}
            error={errors['subjectRef']}
            value={subjectRef}
            onChange={setSubjectRef}
            maxLength={200}
          />
        )}
        <TextAreaField
          id="reason"
          label={t('erasure.reason')}
          hint={t('erasure.reasonHint')}
          error={errors['reason']}
          value={reason}
          onChange={setReason}
          maxLength={2000}
        />
        <button id="submit" type="submit" className="button">
          {t('erasure.submit')}
        </button>
      </form>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby="erasure-confirm-title"
        aria-describedby="erasure-confirm-body"
        onCancel={(e) => {
          e.preventDefault();
          close();
        }}
      >
        {confirming && (
          <>
            <h2 id="erasure-confirm-title" ref={dialogTitle} tabIndex={-1}>
              {t('erasure.confirmTitle')}
            </h2>
            <div id="erasure-confirm-body">
              <p>{confirming.text}</p>
              <p>
                <strong>{t('erasure.confirmAfter')}</strong>
              </p>
              <p>{t('erasure.confirmReason', { reason: reason.trim() })}</p>
            </div>
            <ul className="button-row">
              <li>
                <button
                  type="button"
                  className="button button--warning"
                  disabled={erasing}
                  aria-disabled={erasing}
                  onClick={() => void erase()}
                >
                  {t('erasure.confirm')}
                </button>
              </li>
              <li>
                <button type="button" className="button button--secondary" onClick={close}>
                  {t('erasure.cancel')}
                </button>
              </li>
            </ul>
          </>
        )}
      </dialog>
    </>
  );
}

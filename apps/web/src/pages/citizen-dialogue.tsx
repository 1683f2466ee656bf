import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiProblem } from '../api';
import { ErrorSummary, isDate, TextAreaField, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { ReportAssessmentFields } from '../components/report-assessment';
import { Failed, Loading } from '../components/status';
import { useI18n, type MessageKey } from '../i18n';
import { Link } from '../router';
import { useApi } from '../use-api';
import '../styles/citizen-dialogue.css';

interface Group {
  readonly placeId: string;
  readonly placeName: string;
  readonly category: string;
  readonly count: number;
  readonly firstReceivedOn: string;
  readonly lastReceivedOn: string;
}
interface GroupPage {
  readonly items: readonly Group[];
  readonly nextCursor: string | null;
}
interface PromiseList {
  readonly items: readonly { promiseId: string }[];
}
interface PromiseDoc {
  readonly problemAreas: readonly { rank: number; code: string; name: string }[];
}

const groupPath = (g: Group) =>
  `/citizen-dialogue/submissions/${encodeURIComponent(g.placeId)}/${encodeURIComponent(g.category)}`;
const groupKey = (g: Group) => `${g.placeId}/${g.category}`;
const categoryKey = (category: string) => `unsafe.category.${category}` as MessageKey;

/**
 * For the municipality's safety coordinator: what residents reported through "Här känner jag
 * mig otrygg", grouped by place and category, newest first; each group brought into the
 * situation picture (a report completed in a dialog) or rejected (after a confirmation). The
 * API answers anyone else with 403, which this page shows as it is.
 */
export function CitizenDialoguePage() {
  const { t } = useI18n();
  const [pages, setPages] = useState<string[]>(['']);
  const [done, setDone] = useState<{ text: string; accepted: boolean }>();
  const [accepting, setAccepting] = useState<Group>();
  const [rejecting, setRejecting] = useState<Group>();
  const [version, setVersion] = useState(0);
  const changed = (text: string, accepted: boolean) => {
    setDone({ text, accepted });
    setAccepting(undefined);
    setRejecting(undefined);
    setPages(['']);
    setVersion((v) => v + 1);
  };
  return (
    <>
      <PageTitle>{t('dialogue.title')}</PageTitle>
      <p className="lead">{t('dialogue.lead')}</p>
      {done && (
        <div className="panel panel--success" role="status">
          <p>{done.text}</p>
          {done.accepted && (
            <p>
              <Link to="/lagesbild">{t('dialogue.toSituation')}</Link>
            </p>
          )}
        </div>
      )}
      {pages.map((cursor, index) => (
        <GroupsPage
          key={`${version}-${cursor}`}
          cursor={cursor}
          first={index === 0}
          last={index === pages.length - 1}
          onMore={(next) => setPages((p) => [...p, next])}
          onAccept={setAccepting}
          onReject={setRejecting}
        />
      ))}
      {accepting && (
        <AcceptDialog
          group={accepting}
          onCancel={() => setAccepting(undefined)}
          onDone={() => changed(t('dialogue.accepted', { place: accepting.placeName }), true)}
          onGone={() => changed(t('dialogue.gone'), false)}
        />
      )}
      {rejecting && (
        <RejectDialog
          group={rejecting}
          onCancel={() => setRejecting(undefined)}
          onDone={() => changed(t('dialogue.rejected', { place: rejecting.placeName }), false)}
          onGone={() => changed(t('dialogue.gone'), false)}
        />
      )}
    </>
  );
}

function GroupsPage({
  cursor,
  first,
  last,
  onMore,
  onAccept,
  onReject,
}: {
  cursor: string;
  first: boolean;
  last: boolean;
  onMore: (cursor: string) => void;
  onAccept: (group: Group) => void;
  onReject: (group: Group) => void;
}) {
  const { t, date } = useI18n();
  const page = useApi<GroupPage>(
    `/citizen-dialogue/submissions?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
  if (page.status === 'loading') return <Loading />;
  if (page.status === 'failed') return <Failed problem={page.problem} retry={page.retry} />;
  const { items, nextCursor } = page.data;
  if (first && items.length === 0) return <p>{t('dialogue.none')}</p>;
  return (
    <>
      <ul className="dialogue-groups">
        {items.map((g) => (
          <li key={groupKey(g)} className="card dialogue-group" data-group={groupKey(g)}>
            <h2>{g.placeName}</h2>
            <p>
              <strong>{t(categoryKey(g.category))}</strong> · {countText(t, g.count)}
            </p>
            <p className="meta">
              {g.firstReceivedOn === g.lastReceivedOn
                ? t('dialogue.receivedOne', { date: date(g.lastReceivedOn) })
                : t('dialogue.received', {
                    from: date(g.firstReceivedOn),
                    to: date(g.lastReceivedOn),
                  })}
            </p>
            <ul className="button-row">
              <li>
                <button type="button" className="button" onClick={() => onAccept(g)}>
                  {t('dialogue.accept')}
                  <span className="visually-hidden">
                    : {g.placeName}, {t(categoryKey(g.category))}
                  </span>
                </button>
              </li>
              <li>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => onReject(g)}
                >
                  {t('dialogue.reject')}
                  <span className="visually-hidden">
                    : {g.placeName}, {t(categoryKey(g.category))}
                  </span>
                </button>
              </li>
            </ul>
          </li>
        ))}
      </ul>
      {last && nextCursor && (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => onMore(nextCursor)}
        >
          {t('dialogue.more')}
        </button>
      )}
    </>
  );
}

const countText = (t: ReturnType<typeof useI18n>['t'], count: number) =>
  count === 1 ? t('dialogue.countOne') : t('dialogue.count', { count: String(count) });

/**
 * A modal dialog (the browser's own: focus kept inside, Escape closes), opened on mount; focus
 * goes back to what opened it when it closes.
 */
function Dialog({
  titleId,
  onClose,
  children,
}: {
  titleId: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialogue-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}

/** A dialog's action, and Cancel beside it. */
function DialogButtons({ onCancel, children }: { onCancel: () => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <ul className="button-row">
      <li>{children}</li>
      <li>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('dialogue.cancel')}
        </button>
      </li>
    </ul>
  );
}

const FIELDS = ['problemArea', 'periodFrom', 'periodTo', 'trend', 'severity', 'description'];

/** Where the API names a field, the dialog's id for it. */
const FIELD_OF_PATH: Readonly<Record<string, string>> = {
  problemArea: 'problemArea',
  'period.from': 'periodFrom',
  'period.to': 'periodTo',
  period: 'periodFrom',
  trend: 'trend',
  severity: 'severity',
  description: 'description',
};

/** What a dialog about one group is given: the group, and what to do when it closes. */
interface GroupDialogProps {
  readonly group: Group;
  readonly onCancel: () => void;
  readonly onDone: () => void;
  /** Someone else handled the group meanwhile. */
  readonly onGone: () => void;
}

function AcceptDialog({ group, onCancel, onDone, onGone }: GroupDialogProps) {
  const { t, date } = useI18n();
  const promises = useApi<PromiseList>('/promises');
  const promiseId = promises.status === 'ok' ? promises.data.items[0]?.promiseId : undefined;
  const promise = useApi<PromiseDoc>(
    promiseId ? `/promises/${encodeURIComponent(promiseId)}` : undefined,
  );
  const category = t(categoryKey(group.category));
  const [draft, setDraft] = useState({
    problemArea: '',
    periodFrom: group.firstReceivedOn,
    periodTo: group.lastReceivedOn,
    trend: '',
    severity: '',
    description:
      group.firstReceivedOn === group.lastReceivedOn
        ? t('dialogue.prefillOneDay', {
            place: group.placeName,
            reason: category.toLocaleLowerCase(),
            count: String(group.count),
            date: date(group.lastReceivedOn),
          })
        : t('dialogue.prefill', {
            place: group.placeName,
            reason: category.toLocaleLowerCase(),
            count: String(group.count),
            from: date(group.firstReceivedOn),
            to: date(group.lastReceivedOn),
          }),
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [sending, setSending] = useState(false);
  const key = useRef(crypto.randomUUID());
  const set = (field: keyof typeof draft, value: string) =>
    setDraft((d) => ({ ...d, [field]: value }));
  // Every field is the report's own, named by the report form's words.
  const labels = new Map(FIELDS.map((f) => [f, t(`report.${f}` as MessageKey)]));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    const found: Record<string, string> = {};
    if (!draft.problemArea) found['problemArea'] = t('report.error.problemArea');
    if (!isDate(draft.periodFrom)) found['periodFrom'] = t('report.error.date');
    if (!isDate(draft.periodTo)) found['periodTo'] = t('report.error.date');
    if (!found['periodFrom'] && !found['periodTo'] && draft.periodTo < draft.periodFrom) {
      found['periodTo'] = t('report.error.periodOrder');
    }
    if (!draft.trend) found['trend'] = t('report.error.trend');
    if (!draft.severity) found['severity'] = t('report.error.severity');
    if (!draft.description.trim()) found['description'] = t('report.error.description');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSending(true);
    try {
      await api(`${groupPath(group)}/acceptance`, {
        method: 'POST',
        idempotencyKey: key.current,
        body: {
          problemArea: draft.problemArea,
          period: { from: draft.periodFrom, to: draft.periodTo },
          trend: draft.trend,
          severity: draft.severity,
          description: draft.description,
        },
      });
      onDone();
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      // A refused attempt gives its key up: the next try is a new request.
      key.current = crypto.randomUUID();
      if (error.status === 404) return onGone();
      if (error.code === 'SITUATION.PERIOD_IN_FUTURE') {
        setErrors({ periodTo: t('dialogue.error.future') });
      } else if (error.code.startsWith('PERSONAL_DATA.')) {
        setErrors({ description: t('report.error.identityNumber') });
      } else if (error.errors.length > 0) {
        const byField: Record<string, string> = {};
        for (const e of error.errors) byField[FIELD_OF_PATH[e.path] ?? e.path] ??= e.reason;
        setErrors(byField);
      } else {
        setErrors({ form: error.detail || error.title });
      }
    } finally {
      setSending(false);
    }
  }

  const areas = promise.status === 'ok' ? promise.data.problemAreas : [];
  return (
    <Dialog titleId="accept-title" onClose={onCancel}>
      <h2 id="accept-title">{t('dialogue.acceptTitle', { place: group.placeName, category })}</h2>
      <p>{t('dialogue.acceptLead')}</p>
      <ErrorSummary errors={errors} order={FIELDS} labels={labels} />
      {(promises.status === 'loading' || (promiseId && promise.status === 'loading')) && (
        <Loading />
      )}
      {promises.status === 'failed' && <Failed problem={promises.problem} retry={promises.retry} />}
      {promise.status === 'failed' && <Failed problem={promise.problem} retry={promise.retry} />}
      <form noValidate onSubmit={(e) => void submit(e)}>
        <ReportAssessmentFields areas={areas} draft={draft} errors={errors} set={set} />
        <TextAreaField
          id="description"
          label={t('report.description')}
          hint={t('report.descriptionHint')}
          error={errors['description']}
          value={draft.description}
          onChange={(v) => set('description', v)}
          maxLength={4000}
        />
        <DialogButtons onCancel={onCancel}>
          <button
            id="accept-submit"
            type="submit"
            className="button"
            disabled={sending}
            aria-disabled={sending}
          >
            {t('dialogue.acceptSubmit')}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}

function RejectDialog({ group, onCancel, onDone, onGone }: GroupDialogProps) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string>();
  const [sending, setSending] = useState(false);
  async function reject() {
    if (sending) return;
    setSending(true);
    try {
      await api(`${groupPath(group)}/rejection`, { method: 'POST' });
      onDone();
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      if (error.status === 404) return onGone();
      setProblem(error.detail || error.title);
    } finally {
      setSending(false);
    }
  }
  return (
    <Dialog titleId="reject-title" onClose={onCancel}>
      <h2 id="reject-title">{t('dialogue.rejectTitle')}</h2>
      {problem && <ErrorSummary errors={{ form: problem }} order={[]} />}
      <p>
        {t('dialogue.rejectBody', {
          count: countText(t, group.count),
          place: group.placeName,
          category: t(categoryKey(group.category)),
        })}
      </p>
      <DialogButtons onCancel={onCancel}>
        <button
          type="button"
          className="button"
          disabled={sending}
          aria-disabled={sending}
          onClick={() => void reject()}
        >
          {t('dialogue.rejectConfirm')}
        </button>
      </DialogButtons>
    </Dialog>
  );
}

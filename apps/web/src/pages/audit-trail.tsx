import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import { DateRange, RefusedOrFailed, TableRegion, TextField, timeOf } from '../components/admin';
import { ErrorSummary, isDate, SelectField, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { Link, useRoute } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import '../styles/admin.css';

export interface AuditEntry {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly eventType: string;
  readonly actorUserId: string;
  readonly actorAgency: string;
  readonly actorRole: string;
  readonly recordedAt: string;
}

/** GET /api/audit/verification: whether the log holds, and how much of it was checked. */
type Verification = Readonly<
  Record<'eventsChecked' | 'streamsChecked' | 'blocksChecked' | 'sealedThrough', number>
> & {
  readonly intact: boolean;
  readonly unsealedEvents: number;
  readonly problemCount: number;
  readonly firstProblem?: { readonly globalPosition?: number; readonly kind?: string };
};

/** Actions a page names in words; any other is shown by its code. */
const LABELLED_TYPES = [
  'PlaceRegistered',
  'PlaceChanged',
  'EstReporterAssigned',
  'EstReporterUnassigned',
  'EstCountsReported',
  'EstCountsCorrected',
  'UserRoleGranted',
  'UserRoleRevoked',
  'SituationReported',
  'SituationReportCorrected',
  'SituationReportRetracted',
  'SituationPictureConfirmed',
  'CommitmentActivityRecorded',
  'CommitmentActivityCorrected',
  'CommitmentActivityWithdrawn',
  'PromiseDrafted',
  'PromiseRevised',
  'PromiseSigned',
  'PreventionTalkPlanned',
  'PreventionTalkHeld',
  'SafetyWalkPlanned',
  'SafetyWalkConducted',
  'FindingReported',
  'FindingAddressed',
  'PersonalDataErased',
  'RetentionApplied',
] as const;

/** An event type in words where the app has them. */
export function actionOf(i18n: I18n, type: string): string {
  const key = `audit.event.${type}`;
  return i18n.has(key) ? i18n.t(key) : type;
}

/** Who did it: the log's user id, in which role of which agency. */
export function actorOf(
  i18n: I18n,
  e: Pick<AuditEntry, 'actorUserId' | 'actorAgency' | 'actorRole'>,
) {
  return (
    <>
      <span className="data-table__id">{e.actorUserId}</span>
      <br />
      <span className="meta">
        {i18n.role(e.actorRole)}, {i18n.agency(e.actorAgency)}
      </span>
    </>
  );
}

/** The day after a typed date: the API's `to` is exclusive, the form's "to" inclusive. */
export function dayAfter(date: string): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString().slice(0, 10);
}

/** The typed from/to dates checked: each a real day, and in order. */
export function dateErrors(from: string, to: string, t: (key: MessageKey) => string) {
  const errors: Record<string, string> = {};
  if (from && !isDate(from)) errors['from'] = t('audit.error.date');
  if (to && !isDate(to)) errors['to'] = t('audit.error.date');
  if (!errors['from'] && !errors['to'] && from && to && to < from) {
    errors['to'] = t('audit.error.order');
  }
  return errors;
}

const PAGE = 50;
const FILTERS = ['agency', 'userId', 'type', 'from', 'to'] as const;

/**
 * The audit trail: who did what and when, filtered by agency, user, kind of action and dates,
 * the filters in the address (a view can be shared and reloaded), paged by position. The API
 * decides what each reader sees (an agency its own actions; the partnership auditor all); the
 * log's verification is shown to the roles that may run it.
 */
export function AuditTrailPage() {
  const i18n = useI18n();
  const { t, agency: agencyName } = i18n;
  const { search, navigate } = useRoute();
  const { state } = useSession();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const role = session?.activeRole ?? null;
  const wide = role === 'partnership-auditor' && session?.agency === 'municipality';
  const applied = Object.fromEntries(FILTERS.map((f) => [f, search.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const after = search.get('after') ?? '';
  const [draft, setDraft] = useState(applied);
  const [errors, setErrors] = useState<FieldErrors>({});
  const results = useRef<HTMLHeadingElement>(null);
  const appliedValid = Object.keys(dateErrors(applied.from, applied.to, t)).length === 0;
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (applied.agency) query.set('agency', applied.agency);
  if (applied.userId) query.set('userId', applied.userId);
  if (applied.type) query.set('type', applied.type);
  if (applied.from) query.set('from', applied.from);
  if (applied.to) query.set('to', dayAfter(applied.to));
  if (/^\d+$/.test(after)) query.set('after', after);
  const entries = useApi<AuditEntry[]>(appliedValid ? `/audit-trail?${query}` : undefined);
  const verification = useApi<Verification>(
    role === 'operator' || role === 'partnership-auditor' ? '/audit/verification' : undefined,
  );
  const shownKey = search.toString();
  const firstKey = useRef<string | undefined>(shownKey);
  useEffect(() => {
    if (firstKey.current === shownKey) return;
    firstKey.current = undefined;
    // A new filter or page (or back to one): the form says what is shown, and focus goes to
    // the results it asked for.
    setDraft(Object.fromEntries(FILTERS.map((f) => [f, search.get(f) ?? ''])) as typeof applied);
    results.current?.focus();
    // The address is what changed; `search` is derived from it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownKey]);

  const addressOf = (filters: Record<string, string>, page?: string) => {
    const next = new URLSearchParams();
    for (const f of FILTERS) if (filters[f]) next.set(f, filters[f].trim());
    if (page) next.set('after', page);
    const text = next.toString();
    return text ? `/granskning?${text}` : '/granskning';
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = dateErrors(draft.from, draft.to, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    navigate(addressOf(draft));
  }

  const labels = new Map<string, string>([
    ['from', t('audit.from')],
    ['to', t('audit.to')],
  ]);
  const types = [...LABELLED_TYPES] as string[];
  if (applied.type && !types.includes(applied.type)) types.push(applied.type);
  const set = (field: (typeof FILTERS)[number], value: string) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const refusedWho =
    applied.agency && applied.agency !== session?.agency && !wide
      ? t('audit.who.otherAgency')
      : t('audit.who.trail');

  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <p className="lead">{t('audit.lead')}</p>
      <p>
        {wide
          ? t('audit.leadAll')
          : t('audit.leadOwn', { agency: agencyName(session?.agency ?? '') })}
      </p>
      {role === 'data-protection-officer' && (
        <nav aria-labelledby="audit-more" className="card">
          <h2 id="audit-more">{t('audit.moreLogs')}</h2>
          <ul className="link-list">
            <li>
              <Link to="/lasloggar">{t('audit.readAccessLink')}</Link>
            </li>
            <li>
              <Link to="/dataskydd">{t('audit.erasureLink')}</Link>
            </li>
          </ul>
        </nav>
      )}
      {verification.status !== 'loading' && (
        <section aria-labelledby="audit-verification" className="card">
          <h2 id="audit-verification">{t('audit.verification')}</h2>
          {verification.status === 'failed' ? (
            <Failed problem={verification.problem} retry={verification.retry} />
          ) : (
            <div
              className={`panel ${verification.data.intact ? 'panel--success' : 'panel--warning'}`}
            >
              <p>
                <strong>
                  {verification.data.intact
                    ? t('audit.verification.intact')
                    : t('audit.verification.broken', { count: verification.data.problemCount })}
                </strong>
              </p>
              {verification.data.firstProblem && (
                <p>
                  {t('audit.verification.firstProblem', {
                    position: verification.data.firstProblem.globalPosition ?? '?',
                    kind: verification.data.firstProblem.kind ?? '',
                  })}
                </p>
              )}
              <p>
                {t('audit.verification.checked', {
                  events: verification.data.eventsChecked,
                  streams: verification.data.streamsChecked,
                  blocks: verification.data.blocksChecked,
                  sealed: verification.data.sealedThrough,
                  unsealed: verification.data.unsealedEvents,
                })}
              </p>
            </div>
          )}
        </section>
      )}
      <section aria-labelledby="audit-filters" className="card admin-form">
        <h2 id="audit-filters">{t('audit.filters')}</h2>
        <ErrorSummary errors={errors} order={['from', 'to']} labels={labels} />
        <form noValidate onSubmit={submit} className="filters">
          {wide && (
            <SelectField
              id="agency"
              label={t('audit.agency')}
              value={draft.agency}
              onChange={(v) => set('agency', v)}
              placeholder={t('audit.agencyAll')}
              options={AGENCIES.map((a) => ({ value: a, label: agencyName(a) }))}
            />
          )}
          <TextField
            id="userId"
            label={t('audit.userId')}
            hint={t('audit.userIdHint')}
            value={draft.userId}
            onChange={(v) => set('userId', v)}
            maxLength={200}
          />
          <SelectField
            id="type"
            label={t('audit.type')}
            value={draft.type}
            onChange={(v) => set('type', v)}
            placeholder={t('audit.typeAll')}
            options={types.map((type) => ({ value: type, label: actionOf(i18n, type) }))}
          />
          <DateRange
            from={draft.from}
            to={draft.to}
            errors={errors}
            onChange={(field, v) => set(field, v)}
          />
          <ul className="button-row">
            <li>
              <button id="apply" type="submit" className="button">
                {t('audit.apply')}
              </button>
            </li>
            {search.toString() && (
              <li>
                <Link
                  to="/granskning"
                  className="button button--secondary"
                  onClick={() => {
                    setDraft({ agency: '', userId: '', type: '', from: '', to: '' });
                    setErrors({});
                  }}
                >
                  {t('audit.clear')}
                </Link>
              </li>
            )}
          </ul>
        </form>
      </section>
      <h2 id="audit-entries" ref={results} tabIndex={-1}>
        {t('audit.entries')}
      </h2>
      {!appliedValid ? (
        <p>{t('audit.error.date')}</p>
      ) : entries.status === 'loading' ? (
        <Loading />
      ) : entries.status === 'failed' ? (
        <RefusedOrFailed problem={entries.problem} retry={entries.retry} who={refusedWho} />
      ) : entries.data.length === 0 ? (
        <p>{t('audit.none')}</p>
      ) : (
        <>
          <p className="meta">
            {after ? `${t('audit.pageFrom', { after })} ` : ''}
            {t('audit.shown', { count: entries.data.length })}
          </p>
          <TableRegion label={t('audit.entries')}>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.position')}</th>
                <th scope="col">{t('audit.col.when')}</th>
                <th scope="col">{t('audit.col.who')}</th>
                <th scope="col">{t('audit.col.what')}</th>
                <th scope="col">{t('audit.col.whereEvent')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.map((e) => (
                <tr key={e.globalPosition} className="audit-entry" data-event-id={e.eventId}>
                  <td className="data-table__number">{e.globalPosition}</td>
                  <td>
                    <time dateTime={e.recordedAt}>{timeOf(e.recordedAt)}</time>
                  </td>
                  <td>{actorOf(i18n, e)}</td>
                  <td>{actionOf(i18n, e.eventType)}</td>
                  <td className="data-table__id">
                    {e.streamId}
                    <br />
                    <span className="meta">{e.eventId}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </TableRegion>
          <ul className="button-row pager">
            {after && (
              <li>
                <Link to={addressOf(applied)}>{t('audit.first')}</Link>
              </li>
            )}
            {entries.data.length === PAGE && (
              <li>
                <Link
                  to={addressOf(
                    applied,
                    String(entries.data[entries.data.length - 1]!.globalPosition),
                  )}
                >
                  {t('audit.next')}
                </Link>
              </li>
            )}
          </ul>
        </>
      )}
    </>
  );
}

import { useState, type FormEvent } from 'react';
import { DateRange, RefusedOrFailed, TableRegion, TextField, timeOf } from '../components/admin';
import { ErrorSummary, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Loading } from '../components/status';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { useRoute } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { actorOf, dateErrors, dayAfter, type AuditEntry } from './audit-trail';
import '../styles/admin.css';

interface Read extends AuditEntry {
  readonly read: {
    readonly streamId: string;
    readonly resourceKind: string;
    readonly ground: string;
    readonly purpose: string;
    readonly legalGround: string | null;
  } | null;
}

interface Controlled {
  readonly reads: readonly Read[];
  readonly refused: readonly {
    readonly readerUserId: string;
    readonly readerAgency: string;
    readonly readerRole: string;
    readonly streamId: string;
    readonly resourceKind: string;
    readonly reason: string;
    readonly correlationId: string;
    readonly at: string;
  }[];
}

const FILTERS = ['userId', 'from', 'to'] as const;

/** The access policy's grounds for a logged read, in the app's words (by the policy's text). */
const GROUNDS: Readonly<Record<string, MessageKey>> = {
  "restricted report, the reading agency's own": 'audit.ground.own',
  'restricted report, shared by the reporting agency with this agency': 'audit.ground.shared',
  'takes part in the talk in this role': 'audit.ground.talk',
};

const groundOf = (i18n: I18n, ground: string) => {
  const key = GROUNDS[ground];
  return key ? i18n.t(key) : ground;
};

const kindOf = (i18n: I18n, kind: string) => {
  const key = `audit.kind.${kind}`;
  return i18n.has(key) ? i18n.t(key) : kind;
};

/**
 * The read-access log, for an agency's data protection officer: every read of restricted or
 * personal data by the agency's users (what, when, on what ground, for what stated purpose),
 * and the reads by anyone of the data the agency controls, with the refused attempts. The
 * filters are in the address; the API refuses every other role, and so does this page.
 */
export function ReadAccessPage() {
  const i18n = useI18n();
  const { t, agency: agencyName } = i18n;
  const { search, navigate } = useRoute();
  const { state } = useSession();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const applied = Object.fromEntries(FILTERS.map((f) => [f, search.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const [draft, setDraft] = useState(applied);
  const [errors, setErrors] = useState<FieldErrors>({});
  const valid = Object.keys(dateErrors(applied.from, applied.to, t)).length === 0;
  const query = new URLSearchParams({ limit: '200' });
  if (applied.userId) query.set('userId', applied.userId);
  if (applied.from) query.set('from', applied.from);
  if (applied.to) query.set('to', dayAfter(applied.to));
  const ours = useApi<Read[]>(valid ? `/audit-trail/read-access?${query}` : undefined);
  const controlled = useApi<Controlled>(
    valid ? `/audit-trail/read-access/controlled?${query}` : undefined,
  );
  const own = agencyName(session?.agency ?? '');

  if (ours.status === 'failed' && ours.problem.status === 403) {
    return (
      <>
        <PageTitle>{t('audit.readAccess.title')}</PageTitle>
        <RefusedOrFailed
          problem={ours.problem}
          retry={ours.retry}
          who={t('audit.who.readAccess')}
        />
      </>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = dateErrors(draft.from, draft.to, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const next = new URLSearchParams();
    for (const f of FILTERS) if (draft[f].trim()) next.set(f, draft[f].trim());
    navigate(next.toString() ? `/lasloggar?${next}` : '/lasloggar');
  }

  const readsTable = (reads: readonly Read[], label: string) =>
    reads.length === 0 ? (
      <p>{t('audit.readAccess.none')}</p>
    ) : (
      <TableRegion label={label}>
        <thead>
          <tr>
            <th scope="col">{t('audit.col.when')}</th>
            <th scope="col">{t('audit.col.who')}</th>
            <th scope="col">{t('audit.col.read')}</th>
            <th scope="col">{t('audit.col.purpose')}</th>
            <th scope="col">{t('audit.col.ground')}</th>
            <th scope="col">{t('audit.col.legalGround')}</th>
          </tr>
        </thead>
        <tbody>
          {[...reads].reverse().map((r) => (
            <tr key={r.globalPosition} className="read-entry">
              <td>
                <time dateTime={r.recordedAt}>{timeOf(r.recordedAt)}</time>
              </td>
              <td>{actorOf(i18n, r)}</td>
              <td>
                {r.read ? kindOf(i18n, r.read.resourceKind) : ''}
                <br />
                <span className="data-table__id">{r.read?.streamId}</span>
              </td>
              <td className="read-entry__purpose">{r.read?.purpose}</td>
              <td>{r.read && groundOf(i18n, r.read.ground)}</td>
              <td>{r.read?.legalGround ?? t('audit.noLegalGround')}</td>
            </tr>
          ))}
        </tbody>
      </TableRegion>
    );

  return (
    <>
      <PageTitle>{t('audit.readAccess.title')}</PageTitle>
      <p className="lead">{t('audit.readAccess.lead')}</p>
      <section aria-labelledby="reads-filters" className="card admin-form">
        <h2 id="reads-filters">{t('audit.filters')}</h2>
        <ErrorSummary
          errors={errors}
          order={['from', 'to']}
          labels={
            new Map([
              ['from', t('audit.from')],
              ['to', t('audit.to')],
            ])
          }
        />
        <form noValidate onSubmit={submit}>
          <TextField
            id="userId"
            label={t('audit.userId')}
            hint={t('audit.userIdHint')}
            value={draft.userId}
            onChange={(v) => setDraft((d) => ({ ...d, userId: v }))}
            maxLength={200}
          />
          <DateRange
            from={draft.from}
            to={draft.to}
            errors={errors}
            onChange={(field, v) => setDraft((d) => ({ ...d, [field]: v }))}
          />
          <button type="submit" className="button">
            {t('audit.apply')}
          </button>
        </form>
      </section>
      {!valid && <p>{t('audit.error.date')}</p>}
      <section aria-labelledby="reads-ours">
        <h2 id="reads-ours">{t('audit.readAccess.byOurs')}</h2>
        <p>{t('audit.readAccess.byOursLead', { agency: own })}</p>
        {ours.status === 'loading' ? (
          valid && <Loading />
        ) : ours.status === 'failed' ? (
          <RefusedOrFailed
            problem={ours.problem}
            retry={ours.retry}
            who={t('audit.who.readAccess')}
          />
        ) : (
          readsTable(ours.data, t('audit.readAccess.byOurs'))
        )}
      </section>
      <section aria-labelledby="reads-controlled">
        <h2 id="reads-controlled">{t('audit.readAccess.ofOurs', { agency: own })}</h2>
        <p>{t('audit.readAccess.ofOursLead')}</p>
        {controlled.status === 'loading' ? (
          valid && <Loading />
        ) : controlled.status === 'failed' ? (
          <RefusedOrFailed
            problem={controlled.problem}
            retry={controlled.retry}
            who={t('audit.who.readAccess')}
          />
        ) : (
          <>
            {readsTable(controlled.data.reads, t('audit.readAccess.ofOurs', { agency: own }))}
            <h3>{t('audit.readAccess.refused')}</h3>
            {controlled.data.refused.length === 0 ? (
              <p>{t('audit.readAccess.refusedNone')}</p>
            ) : (
              <TableRegion label={t('audit.readAccess.refused')}>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.col.when')}</th>
                    <th scope="col">{t('audit.col.who')}</th>
                    <th scope="col">{t('audit.col.read')}</th>
                    <th scope="col">{t('audit.col.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {controlled.data.refused.map((r) => (
                    <tr key={`${r.correlationId}-${r.streamId}-${r.at}`}>
                      <td>
                        <time dateTime={r.at}>{timeOf(r.at)}</time>
                      </td>
                      <td>
                        {actorOf(i18n, {
                          actorUserId: r.readerUserId,
                          actorAgency: r.readerAgency,
                          actorRole: r.readerRole,
                        })}
                      </td>
                      <td>
                        {kindOf(i18n, r.resourceKind)}
                        <br />
                        <span className="data-table__id">{r.streamId}</span>
                      </td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </TableRegion>
            )}
          </>
        )}
      </section>
    </>
  );
}

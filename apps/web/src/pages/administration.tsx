import { useRef, useState, type FormEvent } from 'react';
import {
  AGENCIES,
  COMMON_ROLES,
  ROLES_BY_AGENCY,
  type AgencyCode,
} from '../../../../libs/domain/src/agencies/agencies';
import { api, ApiProblem } from '../api';
import {
  isCoordinator,
  ReasonPanel,
  Refused,
  RefusedOrFailed,
  sendOnce,
  timeOf,
} from '../components/admin';
import { SelectField, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Loading } from '../components/status';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import '../styles/admin.css';

interface Users {
  readonly users: readonly {
    userId: string;
    agency: AgencyCode;
    roles: readonly string[];
    displayName: string | null;
  }[];
  readonly pending: readonly {
    userId: string;
    displayName: string | null;
    provider: string | null;
    firstSeen: string;
    lastSeen: string;
  }[];
}

/**
 * Roles that reach across the partnership: only the safety coordinator grants and revokes them
 * (with each agency's user administrator), never an agency's own user administrator.
 */
const COORDINATOR_GRANTED: readonly string[] = [
  'partnership-auditor',
  'safety-coordinator',
  'operator',
];

/** What the acting role may grant a user of this agency, as the partnership decider allows. */
function grantable(agency: AgencyCode, coordinator: boolean): string[] {
  if (coordinator) {
    return ['user-administrator', ...(agency === 'municipality' ? COORDINATOR_GRANTED : [])];
  }
  return [...ROLES_BY_AGENCY[agency], ...COMMON_ROLES].filter(
    (r) => r !== 'agency-system' && !COORDINATOR_GRANTED.includes(r),
  );
}

/**
 * Administration, for the two roles that reach it. An agency's user administrator sees who in
 * the agency holds which role and who signed in and waits for one, and grants and revokes (a
 * revocation with its reason). The municipality's safety coordinator keeps the places register,
 * the EST reporters and the citizen dialogue's review (linked from here), and appoints each
 * agency's user administrators and the partnership auditors. The API decides who may do what.
 */
export function AdministrationPage() {
  const { t } = useI18n();
  const { state } = useSession();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const coordinator = isCoordinator(session?.agency, session?.activeRole);
  const administrator = session?.activeRole === 'user-administrator';
  if (!coordinator && !administrator) {
    return (
      <>
        <PageTitle>{t('admin.pageTitle')}</PageTitle>
        <Refused who={t('admin.who')} />
      </>
    );
  }
  return (
    <>
      <PageTitle>{coordinator ? t('admin.pageTitle') : t('admin.title')}</PageTitle>
      {coordinator && (
        <section aria-labelledby="admin-registers">
          <h2 id="admin-registers">{t('admin.registers')}</h2>
          <ul className="link-list">
            <li>
              <Link to="/platser">{t('places.title')}</Link>
              <p className="hint">{t('admin.placesHint')}</p>
            </li>
            <li>
              <Link to="/est-rapportorer">{t('estReporters.title')}</Link>
              <p className="hint">{t('admin.estHint')}</p>
            </li>
            <li>
              <Link to="/medborgardialog">{t('admin.dialogue')}</Link>
              <p className="hint">{t('admin.dialogueHint')}</p>
            </li>
          </ul>
        </section>
      )}
      <UsersAndRoles coordinator={coordinator} />
    </>
  );
}

function UsersAndRoles({ coordinator }: { coordinator: boolean }) {
  const { t, role: roleName, agency: agencyName } = useI18n();
  const users = useApi<Users>('/partnership/users');
  const [revoking, setRevoking] = useState<{ userId: string; agency: string; role: string }>();
  const [done, setDone] = useState<string>();
  if (users.status === 'loading') return <Loading />;
  if (users.status === 'failed') {
    return <RefusedOrFailed problem={users.problem} retry={users.retry} who={t('admin.who')} />;
  }
  const state = users.data;
  const changed = (message: string) => {
    setDone(message);
    setRevoking(undefined);
    users.retry();
  };
  const own = state.users[0]?.agency;
  // The coordinator grants a pending user an administrator's role in any agency; a user
  // administrator only in their own.
  const pendingAgencies: readonly AgencyCode[] = coordinator ? AGENCIES : own ? [own] : [];
  return (
    <>
      {done && (
        <div className="panel panel--success" role="status">
          <p>{done}</p>
        </div>
      )}
      <h2>{t('admin.pending')}</h2>
      {state.pending.length === 0 ? (
        <p>{t('admin.pendingNone')}</p>
      ) : (
        <ul className="plain-list users">
          {state.pending.map((u) => (
            <li key={u.userId} className="user user--pending" data-user-id={u.userId}>
              <h3 className="user__name">{u.displayName ?? u.userId}</h3>
              <p className="meta">
                {t('admin.pendingSince', {
                  first: timeOf(u.firstSeen),
                  last: timeOf(u.lastSeen),
                })}
                {u.provider && ` ${t('admin.pendingVia', { provider: u.provider })}`}
              </p>
              {pendingAgencies.length > 0 && (
                <GrantRole
                  userId={u.userId}
                  agencies={pendingAgencies}
                  held={[]}
                  coordinator={coordinator}
                  onGranted={(r) => changed(t('admin.granted', { role: roleName(r) }))}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>{coordinator ? t('admin.usersAcross') : t('admin.users')}</h2>
      {coordinator && <p>{t('admin.coordinatorUsersLead')}</p>}
      {state.users.length === 0 && <p>{t('admin.usersNone')}</p>}
      <ul className="plain-list users">
        {state.users.map((u) => {
          const revocable = u.roles.filter((r) =>
            coordinator
              ? r === 'user-administrator' || COORDINATOR_GRANTED.includes(r)
              : !COORDINATOR_GRANTED.includes(r),
          );
          return (
            <li key={`${u.agency}/${u.userId}`} className="user" data-user-id={u.userId}>
              <h3 className="user__name">
                {u.displayName ?? u.userId}
                {coordinator && <span className="user__agency">, {agencyName(u.agency)}</span>}
              </h3>
              <ul className="role-list">
                {u.roles.map((r) => (
                  <li key={r}>
                    {roleName(r)}{' '}
                    {revocable.includes(r) && (
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => {
                          setDone(undefined);
                          setRevoking({ userId: u.userId, agency: u.agency, role: r });
                        }}
                      >
                        {t('admin.revoke')}
                        <span className="visually-hidden">
                          {' '}
                          {roleName(r)}, {u.displayName ?? u.userId}
                        </span>
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              {revoking?.userId === u.userId && revoking.agency === u.agency && (
                <RevokeRole
                  change={revoking}
                  name={u.displayName ?? u.userId}
                  onCancel={() => setRevoking(undefined)}
                  onRevoked={() => changed(t('admin.revoked', { role: roleName(revoking.role) }))}
                />
              )}
              <GrantRole
                userId={u.userId}
                agencies={[u.agency]}
                held={u.roles}
                coordinator={coordinator}
                onGranted={(r) => changed(t('admin.granted', { role: roleName(r) }))}
              />
            </li>
          );
        })}
      </ul>
    </>
  );
}

function GrantRole({
  userId,
  agencies,
  held,
  coordinator,
  onGranted,
}: {
  userId: string;
  agencies: readonly AgencyCode[];
  held: readonly string[];
  coordinator: boolean;
  onGranted: (role: string) => void;
}) {
  const { t, role: roleName, agency: agencyName } = useI18n();
  const [agency, setAgency] = useState<string>(agencies.length === 1 ? agencies[0]! : '');
  const [role, setRole] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const key = useRef(crypto.randomUUID());
  const id = `grant-${userId}`;
  const agencyId = `grant-agency-${userId}`;
  const options = agency
    ? grantable(agency as AgencyCode, coordinator).filter((r) => !held.includes(r))
    : [];
  if (agencies.length === 1 && options.length === 0) return null;
  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!agency) found[agencyId] = t('admin.error.agency');
    if (!role) found[id] = t('admin.error.role');
    if (Object.keys(found).length > 0) return setErrors(found);
    try {
      await api('/partnership/user-roles', {
        method: 'POST',
        idempotencyKey: key.current,
        body: { userId, agency, role },
      });
      key.current = crypto.randomUUID();
      setRole('');
      setErrors({});
      onGranted(role);
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      setErrors({ [id]: error.detail || error.title });
    }
  }
  return (
    <form className="inline-form" noValidate onSubmit={(e) => void submit(e)}>
      <div className="inline-form__row">
        {agencies.length > 1 && (
          <SelectField
            id={agencyId}
            label={t('admin.grantAgency')}
            error={errors[agencyId]}
            value={agency}
            onChange={(v) => {
              setAgency(v);
              setRole('');
            }}
            placeholder={t('admin.chooseAgency')}
            options={agencies.map((a) => ({ value: a, label: agencyName(a) }))}
          />
        )}
        <SelectField
          id={id}
          label={t('admin.grantLabel')}
          error={errors[id]}
          value={role}
          onChange={setRole}
          placeholder={t('admin.chooseRole')}
          options={options.map((r) => ({ value: r, label: roleName(r) }))}
        />
        <button type="submit" className="button button--secondary">
          {t('admin.grant')}
        </button>
      </div>
    </form>
  );
}

function RevokeRole({
  change,
  name,
  onCancel,
  onRevoked,
}: {
  change: { userId: string; agency: string; role: string };
  name: string;
  onCancel: () => void;
  onRevoked: () => void;
}) {
  const { t, role: roleName } = useI18n();
  const key = useRef(crypto.randomUUID());
  return (
    <ReasonPanel
      id="reason"
      title={t('admin.revokeTitle', { role: roleName(change.role), name })}
      label={t('admin.reason')}
      hint={t('admin.reasonHint')}
      missing={t('admin.error.reason')}
      confirm={t('admin.revokeConfirm')}
      cancel={t('admin.cancel')}
      onCancel={onCancel}
      send={async (reason) => {
        const problem = await sendOnce('/partnership/user-roles/revocations', key.current, {
          ...change,
          reason,
        });
        if (!problem) onRevoked();
        return problem;
      }}
    />
  );
}

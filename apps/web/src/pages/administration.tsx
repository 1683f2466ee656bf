import { useRef, useState, type FormEvent } from 'react';
import {
  COMMON_ROLES,
  ROLES_BY_AGENCY,
  type AgencyCode,
} from '../../../../libs/domain/src/agencies/agencies';
import { api, ApiProblem } from '../api';
import { ErrorSummary, SelectField, TextAreaField, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { useApi } from '../use-api';

interface Users {
  readonly users: readonly {
    userId: string;
    agency: AgencyCode;
    roles: readonly string[];
    displayName: string | null;
  }[];
  readonly pending: readonly { userId: string; displayName: string | null; signedInAt?: string }[];
}

/** Roles an agency's user administrator grants: the agency's own and the common ones. */
const grantable = (agency: AgencyCode): string[] =>
  [...ROLES_BY_AGENCY[agency], ...COMMON_ROLES].filter(
    (r) => r !== 'agency-system' && r !== 'partnership-auditor',
  );

/**
 * For an agency's user administrator: who in the agency holds which role, who signed in and
 * waits for one, and granting and revoking (a revocation with its reason, as the register
 * requires). The API decides who may do what; this page only offers it.
 */
export function AdministrationPage() {
  const { t, role: roleName } = useI18n();
  const users = useApi<Users>('/partnership/users');
  const [revoking, setRevoking] = useState<{ userId: string; agency: string; role: string }>();
  const [done, setDone] = useState<string>();
  if (users.status === 'loading') return <Loading />;
  if (users.status === 'failed') return <Failed problem={users.problem} retry={users.retry} />;
  const agency = users.data.users[0]?.agency;
  const changed = (message: string) => {
    setDone(message);
    setRevoking(undefined);
    users.retry();
  };
  return (
    <>
      <PageTitle>{t('admin.title')}</PageTitle>
      {done && (
        <div className="panel panel--success" role="status">
          <p>{done}</p>
        </div>
      )}
      <h2>{t('admin.pending')}</h2>
      {users.data.pending.length === 0 ? (
        <p>{t('admin.pendingNone')}</p>
      ) : (
        <ul className="plain-list">
          {users.data.pending.map((u) => (
            <li key={u.userId}>
              <strong>{u.displayName ?? u.userId}</strong>
              {agency && (
                <GrantRole
                  userId={u.userId}
                  agency={agency}
                  held={[]}
                  onGranted={(r) => changed(t('admin.granted', { role: roleName(r) }))}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('admin.users')}</h2>
      <ul className="plain-list users">
        {users.data.users.map((u) => (
          <li key={u.userId} className="user" data-user-id={u.userId}>
            <h3 className="user__name">{u.displayName ?? u.userId}</h3>
            <ul className="role-list">
              {u.roles.map((r) => (
                <li key={r}>
                  {roleName(r)}{' '}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setRevoking({ userId: u.userId, agency: u.agency, role: r })}
                  >
                    {t('admin.revoke')}
                    <span className="visually-hidden">
                      {' '}
                      {roleName(r)}, {u.displayName ?? u.userId}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {revoking?.userId === u.userId && (
              <RevokeRole
                change={revoking}
                name={u.displayName ?? u.userId}
                onCancel={() => setRevoking(undefined)}
                onRevoked={() => changed(t('admin.revoked', { role: roleName(revoking.role) }))}
              />
            )}
            <GrantRole
              userId={u.userId}
              agency={u.agency}
              held={u.roles}
              onGranted={(r) => changed(t('admin.granted', { role: roleName(r) }))}
            />
          </li>
        ))}
      </ul>
    </>
  );
}

function GrantRole({
  userId,
  agency,
  held,
  onGranted,
}: {
  userId: string;
  agency: AgencyCode;
  held: readonly string[];
  onGranted: (role: string) => void;
}) {
  const { t, role: roleName } = useI18n();
  const [role, setRole] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const key = useRef(crypto.randomUUID());
  const id = `grant-${userId}`;
  const options = grantable(agency).filter((r) => !held.includes(r));
  if (options.length === 0) return null;
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!role) return setErrors({ [id]: t('admin.error.role') });
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
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <div className="inline-form__row">
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
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const key = useRef(crypto.randomUUID());
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === '') return setErrors({ reason: t('admin.error.reason') });
    try {
      await api('/partnership/user-roles/revocations', {
        method: 'POST',
        idempotencyKey: key.current,
        body: { ...change, reason },
      });
      onRevoked();
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      setErrors({ reason: error.detail || error.title });
    }
  }
  return (
    <form className="panel panel--warning" onSubmit={(e) => void submit(e)}>
      <h4>{t('admin.revokeTitle', { role: roleName(change.role), name })}</h4>
      <ErrorSummary errors={errors} order={['reason']} />
      <TextAreaField
        id="reason"
        label={t('admin.reason')}
        hint={t('admin.reasonHint')}
        error={errors['reason']}
        value={reason}
        onChange={setReason}
        maxLength={2000}
      />
      <ul className="button-row">
        <li>
          <button type="submit" className="button">
            {t('admin.revokeConfirm')}
          </button>
        </li>
        <li>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('admin.cancel')}
          </button>
        </li>
      </ul>
    </form>
  );
}

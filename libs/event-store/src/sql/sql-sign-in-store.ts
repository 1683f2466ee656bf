import type {
  ApiKeyRecord,
  KnownIdentity,
  LoginFlow,
  SessionRecord,
  SignInStore,
} from '../sign-in.port';
import type { Migration } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

export const SIGN_IN_SCHEMA = 'sign_in';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'identities, sessions, code flows and API keys',
    sql: `
create table sign_in.identities (
  issuer text not null,
  subject_digest text not null,
  user_id text not null,
  display_name text,
  first_seen timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  primary key (issuer, subject_digest)
);
create index identities_user on sign_in.identities (user_id);
create table sign_in.sessions (
  id_digest text primary key,
  user_id text not null,
  issuer text not null,
  active_role text,
  csrf_token text not null,
  id_token text,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null
);
create index sessions_user on sign_in.sessions (user_id);
create index sessions_expires on sign_in.sessions (expires_at);
create table sign_in.login_flows (
  state text primary key,
  issuer_id text not null,
  code_verifier text not null,
  nonce text not null,
  return_to text not null,
  created_at timestamptz not null default now()
);
create table sign_in.api_keys (
  key_id text primary key,
  digest text not null unique,
  agency text not null,
  system_id text not null,
  label text not null,
  issued_by text not null,
  issued_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by text
);
create index api_keys_agency on sign_in.api_keys (agency);
`,
  },
  {
    version: 2,
    name: 'no ID token kept with a session',
    // It holds the provider's subject (perhaps a personal identity number); end-session calls
    // name the client instead.
    sql: `alter table sign_in.sessions drop column id_token;`,
  },
];

interface SessionRow {
  user_id: string;
  issuer: string;
  active_role: string | null;
  csrf_token: string;
  created_at: Date | string;
  last_seen_at: Date | string;
  expires_at: Date | string;
}

const session = (r: SessionRow): SessionRecord => ({
  userId: r.user_id,
  issuer: r.issuer,
  activeRole: r.active_role,
  csrfToken: r.csrf_token,
  createdAt: new Date(r.created_at),
  lastSeenAt: new Date(r.last_seen_at),
  expiresAt: new Date(r.expires_at),
});

interface ApiKeyRow {
  key_id: string;
  agency: string;
  system_id: string;
  label: string;
  issued_by: string;
  issued_at: Date | string;
  revoked_at: Date | string | null;
}

const apiKey = (r: ApiKeyRow): ApiKeyRecord => ({
  keyId: r.key_id,
  agency: r.agency,
  systemId: r.system_id,
  label: r.label,
  issuedBy: r.issued_by,
  issuedAt: new Date(r.issued_at),
  revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
});

const SESSION_COLUMNS =
  'user_id, issuer, active_role, csrf_token, created_at, last_seen_at, expires_at';

/**
 * Sign-in's tables in the database of the log (server or embedded), so sessions are shared by
 * replicas and survive restarts. Expired sessions and abandoned code flows are deleted as new
 * ones come in.
 */
export class SqlSignInStore implements SignInStore {
  private started: Promise<void> | undefined;
  private created = 0;
  private flows = 0;

  constructor(private readonly client: SqlClient) {}

  private start(): Promise<void> {
    this.started ??= migrate(this.client, SIGN_IN_SCHEMA, migrations).then(() => undefined);
    return this.started;
  }

  async linkIdentity(input: {
    issuer: string;
    subjectDigest: string;
    userId: string;
    displayName: string | null;
  }): Promise<{ userId: string; firstSignIn: boolean }> {
    await this.start();
    // xmax = 0 only on a row this statement inserted: the first sign-in.
    const [row] = await this.client.query<{ user_id: string; inserted: boolean }>(
      `insert into sign_in.identities as i (issuer, subject_digest, user_id, display_name)
       values ($1, $2, $3, $4)
       on conflict (issuer, subject_digest) do update
         set display_name = coalesce(excluded.display_name, i.display_name), last_seen = now()
       returning i.user_id, (xmax = 0) as inserted`,
      [input.issuer, input.subjectDigest, input.userId, input.displayName],
    );
    return { userId: row!.user_id, firstSignIn: row!.inserted };
  }

  async userIdOf(issuer: string, subjectDigest: string): Promise<string | undefined> {
    await this.start();
    const [row] = await this.client.query<{ user_id: string }>(
      `select user_id from sign_in.identities where issuer = $1 and subject_digest = $2`,
      [issuer, subjectDigest],
    );
    return row?.user_id;
  }

  async identitiesFrom(issuers: readonly string[]): Promise<KnownIdentity[]> {
    await this.start();
    const rows = await this.client.query<{
      user_id: string;
      issuer: string;
      display_name: string | null;
      first_seen: Date | string;
      last_seen: Date | string;
    }>(
      `select user_id, issuer, display_name, first_seen, last_seen from sign_in.identities
        where issuer = any($1::text[]) order by last_seen desc limit 1000`,
      [[...issuers]],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      issuer: r.issuer,
      displayName: r.display_name,
      firstSeen: new Date(r.first_seen),
      lastSeen: new Date(r.last_seen),
    }));
  }

  async displayNames(userIds: readonly string[]): Promise<Map<string, string>> {
    await this.start();
    if (userIds.length === 0) return new Map();
    const rows = await this.client.query<{ user_id: string; display_name: string }>(
      `select distinct on (user_id) user_id, display_name from sign_in.identities
        where user_id = any($1::text[]) and display_name is not null
        order by user_id, last_seen desc`,
      [[...userIds]],
    );
    return new Map(rows.map((r) => [r.user_id, r.display_name]));
  }

  async eraseDisplayName(userId: string): Promise<number> {
    await this.start();
    const rows = await this.client.query<{ user_id: string }>(
      `update sign_in.identities set display_name = null where user_id = $1 returning user_id`,
      [userId],
    );
    return rows.length;
  }

  async createSession(idDigest: string, s: SessionRecord): Promise<void> {
    await this.start();
    if (++this.created % 100 === 1) {
      await this.client.query(`delete from sign_in.sessions where expires_at < now()`);
      await this.client.query(
        `delete from sign_in.login_flows where created_at < now() - interval '1 hour'`,
      );
    }
    await this.client.query(
      `insert into sign_in.sessions (id_digest, ${SESSION_COLUMNS})
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        idDigest,
        s.userId,
        s.issuer,
        s.activeRole,
        s.csrfToken,
        s.createdAt,
        s.lastSeenAt,
        s.expiresAt,
      ],
    );
  }

  async touchSession(
    idDigest: string,
    now: Date,
    idleSeconds: number,
  ): Promise<SessionRecord | undefined> {
    await this.start();
    const [row] = await this.client.query<SessionRow>(
      `update sign_in.sessions set last_seen_at = $2
        where id_digest = $1 and expires_at > $2
          and last_seen_at > $2::timestamptz - make_interval(secs => $3::double precision)
        returning ${SESSION_COLUMNS}`,
      [idDigest, now, idleSeconds],
    );
    if (row) return session(row);
    await this.client.query(`delete from sign_in.sessions where id_digest = $1`, [idDigest]);
    return undefined;
  }

  async setActiveRole(idDigest: string, role: string): Promise<void> {
    await this.start();
    await this.client.query(`update sign_in.sessions set active_role = $2 where id_digest = $1`, [
      idDigest,
      role,
    ]);
  }

  async endSession(idDigest: string): Promise<SessionRecord | undefined> {
    await this.start();
    const [row] = await this.client.query<SessionRow>(
      `delete from sign_in.sessions where id_digest = $1 returning ${SESSION_COLUMNS}`,
      [idDigest],
    );
    return row ? session(row) : undefined;
  }

  async saveLoginFlow(state: string, flow: LoginFlow): Promise<void> {
    await this.start();
    // Anyone may start a sign-in: abandoned ones are cleared as new ones come in.
    if (++this.flows % 100 === 1) {
      await this.client.query(
        `delete from sign_in.login_flows where created_at < now() - interval '1 hour'`,
      );
    }
    await this.client.query(
      `insert into sign_in.login_flows (state, issuer_id, code_verifier, nonce, return_to)
       values ($1, $2, $3, $4, $5)`,
      [state, flow.issuerId, flow.codeVerifier, flow.nonce, flow.returnTo],
    );
  }

  async takeLoginFlow(state: string, maxAgeSeconds: number): Promise<LoginFlow | undefined> {
    await this.start();
    const [row] = await this.client.query<{
      issuer_id: string;
      code_verifier: string;
      nonce: string;
      return_to: string;
      fresh: boolean;
    }>(
      `delete from sign_in.login_flows where state = $1
       returning issuer_id, code_verifier, nonce, return_to,
                 created_at > now() - make_interval(secs => $2::double precision) as fresh`,
      [state, maxAgeSeconds],
    );
    return row?.fresh
      ? {
          issuerId: row.issuer_id,
          codeVerifier: row.code_verifier,
          nonce: row.nonce,
          returnTo: row.return_to,
        }
      : undefined;
  }

  async issueApiKey(digest: string, key: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void> {
    await this.start();
    await this.client.query(
      `insert into sign_in.api_keys (key_id, digest, agency, system_id, label, issued_by, issued_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [key.keyId, digest, key.agency, key.systemId, key.label, key.issuedBy, key.issuedAt],
    );
  }

  async revokeApiKey(keyId: string, agency: string, revokedBy: string, at: Date): Promise<boolean> {
    await this.start();
    const rows = await this.client.query<{ key_id: string }>(
      `update sign_in.api_keys set revoked_at = $4, revoked_by = $3
        where key_id = $1 and agency = $2 and revoked_at is null returning key_id`,
      [keyId, agency, revokedBy, at],
    );
    return rows.length > 0;
  }

  async apiKeyByDigest(digest: string): Promise<ApiKeyRecord | undefined> {
    await this.start();
    const [row] = await this.client.query<ApiKeyRow>(
      `select key_id, agency, system_id, label, issued_by, issued_at, revoked_at
         from sign_in.api_keys where digest = $1`,
      [digest],
    );
    return row ? apiKey(row) : undefined;
  }

  async apiKeysOf(agency: string): Promise<ApiKeyRecord[]> {
    await this.start();
    const rows = await this.client.query<ApiKeyRow>(
      `select key_id, agency, system_id, label, issued_by, issued_at, revoked_at
         from sign_in.api_keys where agency = $1 order by issued_at desc`,
      [agency],
    );
    return rows.map(apiKey);
  }
}

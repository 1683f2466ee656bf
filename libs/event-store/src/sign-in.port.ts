/**
 * What sign-in keeps beside the log, in the database every API instance shares: who signed in
 * through which provider (display names here, erasable, never in the log), the sessions behind
 * browser cookies, the code flows under way, and agency systems' API keys. Secrets (session ids,
 * API keys, provider subjects) are stored only as digests.
 */
export const SIGN_IN_STORE = Symbol('SIGN_IN_STORE');

/** A person or system a provider vouched for, under the user id the platform knows them by. */
export interface KnownIdentity {
  readonly userId: string;
  readonly issuer: string;
  readonly displayName: string | null;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
}

export interface SessionRecord {
  readonly userId: string;
  readonly issuer: string;
  /** The role the user acts in during this session; null until one is chosen or granted. */
  readonly activeRole: string | null;
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** The absolute end, whatever the activity. */
  readonly expiresAt: Date;
}

export interface LoginFlow {
  readonly issuerId: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  /** A path of this service to return to once signed in. */
  readonly returnTo: string;
}

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly agency: string;
  readonly systemId: string;
  readonly label: string;
  readonly issuedBy: string;
  readonly issuedAt: Date;
  readonly revokedAt: Date | null;
}

export interface SignInStore {
  /**
   * The user id linked to a provider's subject, linking `userId` and `displayName` on first
   * sign-in; a later sign-in refreshes the display name and the last-seen time.
   */
  linkIdentity(input: {
    readonly issuer: string;
    readonly subjectDigest: string;
    readonly userId: string;
    readonly displayName: string | null;
  }): Promise<{ readonly userId: string; readonly firstSignIn: boolean }>;
  userIdOf(issuer: string, subjectDigest: string): Promise<string | undefined>;
  /** Everyone who signed in through one of these issuers, newest first. */
  identitiesFrom(issuers: readonly string[]): Promise<KnownIdentity[]>;
  displayNames(userIds: readonly string[]): Promise<Map<string, string>>;
  /** Erases a user's display names (the user id and the log stay). */
  eraseDisplayName(userId: string): Promise<number>;

  createSession(idDigest: string, session: SessionRecord): Promise<void>;
  /**
   * The session if it has neither idled out nor passed its absolute end, its last-seen time
   * moved to `now`; undefined (and the session deleted) otherwise.
   */
  touchSession(
    idDigest: string,
    now: Date,
    idleSeconds: number,
  ): Promise<SessionRecord | undefined>;
  setActiveRole(idDigest: string, role: string): Promise<void>;
  endSession(idDigest: string): Promise<SessionRecord | undefined>;

  saveLoginFlow(state: string, flow: LoginFlow): Promise<void>;
  /** The flow started with `state` within `maxAgeSeconds`, once: taking it deletes it. */
  takeLoginFlow(state: string, maxAgeSeconds: number): Promise<LoginFlow | undefined>;

  issueApiKey(digest: string, key: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void>;
  /** Revokes a key of the agency; false when it has none by that id that is not revoked. */
  revokeApiKey(keyId: string, agency: string, revokedBy: string, at: Date): Promise<boolean>;
  apiKeyByDigest(digest: string): Promise<ApiKeyRecord | undefined>;
  apiKeysOf(agency: string): Promise<ApiKeyRecord[]>;
}

import type { AgencyCode, Role } from './agencies/agencies';

/**
 * Who issues a command: taken from the caller's token or API key, never from a request body.
 * The store writes it into every event's envelope, so the audit trail is the log itself.
 */
export interface Actor {
  readonly userId: string;
  readonly agency: AgencyCode;
  readonly role: Role;
}

/** What every command carries besides its own data: who, and when it was issued. */
export interface Issued {
  readonly by: Actor;
  /** When the command was issued (from the clock at the edge, never read in the domain). */
  readonly at: Date;
}

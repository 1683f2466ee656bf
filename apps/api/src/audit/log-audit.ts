import { Inject, Injectable } from '@nestjs/common';
import { LOG_ACCESS, type LogAccess } from '@samverkan/event-store/log-access.port';
import type { BlockHeadsExport } from '@samverkan/event-store/tamper-evidence/block-heads';
import type { SealKeys } from '@samverkan/event-store/tamper-evidence/seal-keys';
import type { SealedBlock } from '@samverkan/event-store/tamper-evidence/sql-log-sealer';
import type { VerificationReport } from '@samverkan/event-store/tamper-evidence/sql-log-verifier';

export const SEAL_KEYS = Symbol('SealKeys');

/** Sealing, verification and export of the log's tamper evidence (HTTP route, socket, timer). */
@Injectable()
export class LogAudit {
  constructor(
    @Inject(LOG_ACCESS) private readonly logAccess: LogAccess | null,
    @Inject(SEAL_KEYS) private readonly keys: SealKeys,
  ) {}

  /** Whether this store keeps tamper evidence (the SQL stores do). */
  get available(): boolean {
    return this.logAccess !== null;
  }

  get eventsEditable(): boolean {
    return this.access().eventsEditable;
  }

  get adapter(): LogAccess['adapter'] {
    return this.access().adapter;
  }

  seal(): Promise<readonly SealedBlock[]> {
    return this.access().seal(this.keys);
  }

  verify(): Promise<VerificationReport> {
    return this.access().verify(this.keys);
  }

  exportHeads(): Promise<BlockHeadsExport> {
    return this.access().exportHeads(this.keys);
  }

  private access(): LogAccess {
    if (this.logAccess) return this.logAccess;
    throw new Error('The tamper evidence is kept by the SQL stores (PostgreSQL and embedded)');
  }
}

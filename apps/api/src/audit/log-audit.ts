import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { SqlEventStore } from '@samverkan/event-store/sql/sql-event-store';
import type { SealKeys } from '@samverkan/event-store/tamper-evidence/seal-keys';
import {
  exportBlockHeads,
  type BlockHeadsExport,
} from '@samverkan/event-store/tamper-evidence/block-heads';
import {
  verifyLog,
  type VerificationReport,
} from '@samverkan/event-store/tamper-evidence/sql-log-verifier';

export const SEAL_KEYS = Symbol('SealKeys');

/** Verification and export of the log's tamper evidence, for the HTTP route and the socket. */
@Injectable()
export class LogAudit {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SEAL_KEYS) private readonly keys: SealKeys,
  ) {}

  verify(): Promise<VerificationReport> {
    return verifyLog(this.sqlStore().sqlClient, this.keys);
  }

  exportHeads(): Promise<BlockHeadsExport> {
    return exportBlockHeads(this.sqlStore().sqlClient, this.keys);
  }

  private sqlStore(): SqlEventStore {
    if (this.store instanceof SqlEventStore) return this.store;
    throw new Error('The tamper evidence is kept by the SQL stores (PostgreSQL and embedded)');
  }
}

import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import {
  erasureDecider,
  erasureStream,
  type ErasePersonalData,
} from '@samverkan/domain/personal-data/erasure';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { recordKeyIdsOf } from '@samverkan/event-store/protection/field-protection';
import { LOG_ACCESS, type LogAccess } from '@samverkan/event-store/log-access.port';
import { requireLogAccess } from './require-log-access';
import type { CommandMeta } from '../commands/command-meta';
import { loadStream, runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';

export class ErasePersonalDataMessage {
  constructor(
    readonly command: Omit<ErasePersonalData, 'controllers'> & { readonly subjectRef?: string },
    readonly meta: CommandMeta,
  ) {}
}

export type ErasureResult = WriteResult & { readonly keysDestroyed: number };

/**
 * Erasure: decided (who may, what), then the keys destroyed, then the decision recorded. The
 * keys go first: if recording failed after them, the data is gone all the same and a retry
 * records it (destroying nothing more); the other way round, a failure would leave a record of
 * an erasure that did not happen.
 */
@CommandHandler(ErasePersonalDataMessage)
export class ErasePersonalDataHandler implements ICommandHandler<
  ErasePersonalDataMessage,
  ErasureResult
> {
  private readonly logger = new Logger('Erasure');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOG_ACCESS) private readonly logAccess: LogAccess | null,
  ) {}

  async execute({ command, meta }: ErasePersonalDataMessage): Promise<ErasureResult> {
    const access = requireLogAccess(this.logAccess);
    const { keys } = access;
    const store = this.store;
    const records =
      command.scope === 'records' ? await access.storedRecords({ eventIds: command.eventIds }) : [];
    const controllers: Record<string, AgencyCode> = {};
    for (const r of records) controllers[r.eventId] = r.agency as AgencyCode;
    const full: ErasePersonalData = {
      type: 'ErasePersonalData',
      erasureId: command.erasureId,
      scope: command.scope,
      eventIds: command.eventIds,
      controllers,
      reason: command.reason,
      by: command.by,
      at: command.at,
    };
    // The decision first, on the stream as it stands, so nothing is destroyed for a refusal.
    const loaded = await loadStream(store, erasureDecider, erasureStream(command.erasureId));
    erasureDecider.decide(full, loaded.state);

    let destroyed: number;
    if (command.scope === 'data-subject') {
      destroyed = await keys.destroySubject(command.subjectRef!, meta.correlationId);
    } else {
      const keyIds = records.flatMap((r) => recordKeyIdsOf(r.data));
      destroyed = await keys.destroy(keyIds, 'erased', meta.correlationId);
    }
    const result = await runDecider(
      store,
      erasureDecider,
      erasureStream(command.erasureId),
      full,
      meta,
    );
    // Never the reference or the records' text: only what was done, under the request's id.
    this.logger.log(
      `Erasure ${command.erasureId} (${command.scope}) by ${meta.actor.agency}: ${destroyed} key(s) destroyed [${meta.correlationId}]`,
    );
    return { ...result, keysDestroyed: destroyed };
  }
}

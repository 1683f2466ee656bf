import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import type { PartnershipCommand } from '@samverkan/domain/agencies/agencies.commands';
import { partnershipStream } from '@samverkan/domain/agencies/agencies.events';
import { partnershipDecider } from '@samverkan/domain/agencies/partnership.decider';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { CommandMeta } from '../commands/command-meta';
import { runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';
import { partnershipIdSetting } from '@samverkan/shared/configuration/common-settings';

/** A command on the partnership: its agencies and their users' roles. */
export class HandlePartnershipCommand {
  constructor(
    readonly partnershipId: string,
    readonly command: PartnershipCommand,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandlePartnershipCommand)
export class PartnershipCommandHandler implements ICommandHandler<
  HandlePartnershipCommand,
  WriteResult
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ partnershipId, command, meta }: HandlePartnershipCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'agencies');
    return runDecider(
      this.store,
      partnershipDecider,
      partnershipStream(partnershipId),
      command,
      meta,
    );
  }
}

/** The partnership this deployment serves (one municipality and its police area). */
export const partnershipId = (): string => partnershipIdSetting();

import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import type { PreventionTalkCommand } from '@samverkan/domain/prevention-talks/prevention-talks.commands';
import { preventionTalkDecider } from '@samverkan/domain/prevention-talks/prevention-talk.decider';
import { preventionTalkStream } from '@samverkan/domain/prevention-talks/prevention-talks.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { CommandMeta } from '../commands/command-meta';
import { runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';

/** A command on one prevention talk, as it travels on the command bus. */
export class HandlePreventionTalkCommand {
  constructor(
    readonly talkId: string,
    readonly command: PreventionTalkCommand,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandlePreventionTalkCommand)
export class PreventionTalkCommandHandler implements ICommandHandler<
  HandlePreventionTalkCommand,
  WriteResult
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ talkId, command, meta }: HandlePreventionTalkCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'prevention-talks');
    return runDecider(
      this.store,
      preventionTalkDecider,
      preventionTalkStream(talkId),
      command,
      meta,
    );
  }
}

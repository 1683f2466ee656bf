import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import type { SafetyWalkCommand } from '@samverkan/domain/safety-walks/safety-walks.commands';
import { safetyWalkDecider } from '@samverkan/domain/safety-walks/safety-walk.decider';
import { safetyWalkStream } from '@samverkan/domain/safety-walks/safety-walks.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { CommandMeta } from '../commands/command-meta';
import { runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';

/** A command on one safety walk, as it travels on the command bus. */
export class HandleSafetyWalkCommand {
  constructor(
    readonly walkId: string,
    readonly command: SafetyWalkCommand,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandleSafetyWalkCommand)
export class SafetyWalkCommandHandler implements ICommandHandler<
  HandleSafetyWalkCommand,
  WriteResult
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ walkId, command, meta }: HandleSafetyWalkCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'safety-walks');
    return runDecider(this.store, safetyWalkDecider, safetyWalkStream(walkId), command, meta);
  }
}

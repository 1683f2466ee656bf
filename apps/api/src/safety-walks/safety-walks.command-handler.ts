import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import { findingDecider } from '@samverkan/domain/safety-walks/finding.decider';
import type {
  FindingCommand,
  SafetyWalkCommand,
} from '@samverkan/domain/safety-walks/safety-walks.commands';
import { safetyWalkDecider } from '@samverkan/domain/safety-walks/safety-walk.decider';
import {
  findingStream,
  safetyWalkStream,
} from '@samverkan/domain/safety-walks/safety-walks.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { CommandMeta } from '../commands/command-meta';
import { runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';
import { PlacesRegister } from '../places/places-register';

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
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly places: PlacesRegister,
  ) {}

  async execute({ walkId, command, meta }: HandleSafetyWalkCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'safety-walks');
    if (command.type === 'PlanSafetyWalk') {
      await this.places.assertKnown([
        { path: 'areaId', placeIds: [command.areaId] },
        { path: 'route', placeIds: command.route },
      ]);
    } else if (command.type === 'ConductSafetyWalk') {
      await this.places.assertKnown(
        command.findings.map((f, i) => ({ path: `findings[${i}].placeIds`, placeIds: f.placeIds })),
      );
    }
    return runDecider(this.store, safetyWalkDecider, safetyWalkStream(walkId), command, meta);
  }
}

/** A command on one finding reported outside a walk, as it travels on the command bus. */
export class HandleFindingCommand {
  constructor(
    readonly findingId: string,
    readonly command: FindingCommand,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandleFindingCommand)
export class FindingCommandHandler implements ICommandHandler<HandleFindingCommand, WriteResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly places: PlacesRegister,
  ) {}

  async execute({ findingId, command, meta }: HandleFindingCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'safety-walks');
    if (command.type === 'ReportFinding') {
      await this.places.assertKnown([{ path: 'placeIds', placeIds: command.placeIds }]);
    }
    return runDecider(this.store, findingDecider, findingStream(findingId), command, meta);
  }
}

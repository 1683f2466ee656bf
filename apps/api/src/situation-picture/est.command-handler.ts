import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import type {
  EstCountsCommand,
  EstReportersCommand,
} from '@samverkan/domain/situation-picture/est.commands';
import {
  estPlaceDecider,
  estReportersDecider,
} from '@samverkan/domain/situation-picture/est.decider';
import { estPlaceStream, estReportersStream } from '@samverkan/domain/situation-picture/est.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { partnershipId } from '../agencies/partnership.command-handler';
import type { CommandMeta } from '../commands/command-meta';
import { loadStream, runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';
import { PlacesRegister } from '../places/places-register';

type Sent<C, K extends PropertyKey> = C extends unknown ? Omit<C, K> : never;

/** A change to who reports EST for a place, as it travels on the command bus. */
export class HandleEstReportersCommand {
  constructor(
    readonly command: Sent<EstReportersCommand, 'placeRegistered'>,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandleEstReportersCommand)
export class EstReportersCommandHandler implements ICommandHandler<
  HandleEstReportersCommand,
  WriteResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly places: PlacesRegister,
  ) {}

  async execute({ command, meta }: HandleEstReportersCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'situation-picture');
    let full: EstReportersCommand;
    if (command.type === 'AssignEstReporter') {
      await this.places.assertKnown([{ path: 'placeId', placeIds: [command.placeId] }]);
      full = { ...command, placeRegistered: true };
    } else full = command;
    return runDecider(
      this.store,
      estReportersDecider,
      estReportersStream(partnershipId()),
      full,
      meta,
    );
  }
}

/** One agency's weekly EST counts for a place, as they travel on the command bus. */
export class HandleEstCountsCommand {
  constructor(
    readonly placeId: string,
    readonly command: Sent<EstCountsCommand, 'assignedAgencies'>,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandleEstCountsCommand)
export class EstCountsCommandHandler implements ICommandHandler<
  HandleEstCountsCommand,
  WriteResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly places: PlacesRegister,
  ) {}

  async execute({ placeId, command, meta }: HandleEstCountsCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'situation-picture');
    await this.places.assertKnown([{ path: 'placeId', placeIds: [placeId] }]);
    let full: EstCountsCommand;
    if (command.type === 'ReportEstCounts') {
      // Who reports here now, read from the coordinator's assignments (the decider stays pure).
      const { state } = await loadStream(
        this.store,
        estReportersDecider,
        estReportersStream(partnershipId()),
      );
      full = {
        ...command,
        assignedAgencies: state.assignments.get(placeId) ?? [],
      };
    } else full = command;
    return runDecider(this.store, estPlaceDecider, estPlaceStream(placeId), full, meta);
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import { placesRegisterDecider } from '@samverkan/domain/places/places-register.decider';
import type { PlacesCommand } from '@samverkan/domain/places/places.commands';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { CommandMeta } from '../commands/command-meta';
import { runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';
import { PlacesRegister } from './places-register';

/** A command on the places register, as it travels on the command bus. */
export class HandlePlacesCommand {
  constructor(
    readonly command: PlacesCommand,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandlePlacesCommand)
export class PlacesCommandHandler implements ICommandHandler<HandlePlacesCommand, WriteResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly register: PlacesRegister,
  ) {}

  execute({ command, meta }: HandlePlacesCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'places');
    return runDecider(this.store, placesRegisterDecider, this.register.streamId, command, meta);
  }
}

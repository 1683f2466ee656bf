import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import type { CitizenPromiseCommand } from '@samverkan/domain/citizen-promise/citizen-promise.commands';
import { citizenPromiseDecider } from '@samverkan/domain/citizen-promise/citizen-promise.decider';
import { citizenPromiseStream } from '@samverkan/domain/citizen-promise/citizen-promise.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import type { CommandMeta } from '../commands/command-meta';
import { runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';
import { PlacesRegister } from '../places/places-register';

/** A command on one citizen promise, as it travels on the command bus. */
export class HandleCitizenPromiseCommand {
  constructor(
    readonly promiseId: string,
    readonly command: CitizenPromiseCommand,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandleCitizenPromiseCommand)
export class CitizenPromiseCommandHandler implements ICommandHandler<
  HandleCitizenPromiseCommand,
  WriteResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly places: PlacesRegister,
  ) {}

  async execute({ promiseId, command, meta }: HandleCitizenPromiseCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'citizen-promise');
    if (command.type === 'RecordActivity' || command.type === 'CorrectActivity') {
      await this.places.assertKnown([{ path: 'placeIds', placeIds: command.placeIds }]);
    }
    return runDecider(
      this.store,
      citizenPromiseDecider,
      citizenPromiseStream(promiseId),
      command,
      meta,
    );
  }
}

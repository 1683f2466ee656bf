import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { PartnershipCommand } from '@samverkan/domain/agencies/agencies.commands';
import {
  SIGN_IN_STORE,
  type SignInStore,
  type KnownIdentity,
} from '@samverkan/event-store/sign-in.port';
import { HandlePartnershipCommand, partnershipId } from '../agencies/partnership.command-handler';
import type { WithoutIssued } from '../commands/command-meta';
import { BOOTSTRAP_ACTOR } from '../seed/demo-users';
import { RelyingParty } from './oidc/relying-party';
import { UserRegister } from './user-register';

export interface PartnershipNames {
  readonly name: string;
  readonly municipality: string;
  readonly policeArea: string;
}

/**
 * The one-time start of a partnership's administration (`npm run bootstrap`): forms the
 * partnership if the log has none, brings in the municipality and the police area, and makes a
 * person who has signed in the first safety coordinator. Every step is an event by the
 * bootstrap actor, so the audit trail says how administration began.
 */
@Injectable()
export class PartnershipBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly commands: CommandBus,
    private readonly register: UserRegister,
    private readonly relyingParty: RelyingParty,
    @Inject(SIGN_IN_STORE) private readonly signIn: SignInStore,
  ) {}

  private send(command: WithoutIssued<PartnershipCommand>): Promise<unknown> {
    const meta = { actor: BOOTSTRAP_ACTOR, at: new Date(), correlationId: randomUUID() };
    return this.commands.execute(
      new HandlePartnershipCommand(
        partnershipId(),
        { ...command, by: meta.actor, at: meta.at },
        meta,
      ),
    );
  }

  /** Those who signed in and hold no role: the first coordinator is chosen among them. */
  async pending(): Promise<KnownIdentity[]> {
    const state = await this.register.current();
    const granted = new Set(state.status === 'formed' ? state.users.keys() : []);
    const identities = await this.signIn.identitiesFrom(
      this.relyingParty.list().map((i) => i.issuer),
    );
    return identities.filter((i) => !granted.has(i.userId));
  }

  async appointFirstCoordinator(userId: string, names?: PartnershipNames): Promise<void> {
    let state = await this.register.current();
    if (state.status === 'none') {
      if (!names)
        throw new Error(
          'The partnership is not formed: give its name, municipality and police area',
        );
      await this.send({ type: 'FormPartnership', partnershipId: partnershipId(), ...names });
      this.logger.log(`Formed the partnership ${partnershipId()}`);
      state = await this.register.current();
    }
    if (state.status === 'formed') {
      if (!state.agencies.has('municipality')) {
        await this.send({ type: 'JoinAgency', agency: 'municipality', name: state.municipality });
      }
      if (!state.agencies.has('police')) {
        await this.send({ type: 'JoinAgency', agency: 'police', name: state.policeArea });
      }
    }
    await this.send({ type: 'AppointFirstCoordinator', userId });
    this.logger.log(`Appointed ${userId} the first safety coordinator`);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { AgencyCode, Role } from '@samverkan/domain/agencies/agencies';
import {
  partnershipStream,
  type PartnershipEvent,
} from '@samverkan/domain/agencies/agencies.events';
import {
  partnershipDecider,
  type PartnershipState,
  type UserRoles,
} from '@samverkan/domain/agencies/partnership.decider';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { partnershipId } from '../agencies/partnership.command-handler';

/**
 * The partnership's register of users and roles, as the log has it now: who a user is comes
 * from here on every request, never from a token, so a grant or revocation through any API
 * instance holds on the next request of every other. One round trip asks for the stream's
 * revision; only new events are read and folded onto the state kept from the last request.
 */
@Injectable()
export class UserRegister {
  private readonly streamId = partnershipStream(partnershipId());
  private state: PartnershipState = partnershipDecider.initialState;
  private revision = -1;
  /** Folds one at a time: concurrent requests wait for the same catch-up. */
  private catchingUp: Promise<PartnershipState> | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async current(): Promise<PartnershipState> {
    const head = (await this.store.streamRevision(this.streamId)) ?? -1;
    // A catch-up under way may have read the stream before `head` was written: wait for it,
    // then catch up again until this request's head is folded in.
    while (this.revision < head) {
      this.catchingUp ??= this.catchUp().finally(() => (this.catchingUp = undefined));
      await this.catchingUp;
    }
    return this.state;
  }

  private async catchUp(): Promise<PartnershipState> {
    for await (const event of this.store.readStream(this.streamId, {
      fromRevision: this.revision + 1,
    })) {
      this.state = partnershipDecider.evolve(this.state, {
        type: event.type,
        data: event.data,
      } as unknown as PartnershipEvent);
      this.revision = event.revision;
    }
    return this.state;
  }

  /** The user's agency and roles now, or undefined for a user who holds none. */
  async rolesOf(
    userId: string,
    options: { readonly staleWhenUnreachable?: boolean } = {},
  ): Promise<UserRoles | undefined> {
    let state: PartnershipState;
    try {
      state = await this.current();
    } catch (error) {
      // Only for routes that show no partnership data (health details for the operator while
      // the store is down): the register as last read beats knowing no one.
      if (!options.staleWhenUnreachable || this.revision < 0) throw error;
      state = this.state;
    }
    return state.status === 'formed' ? state.users.get(userId) : undefined;
  }

  /** Every user of an agency with their roles. */
  async usersOf(agency: AgencyCode): Promise<{ userId: string; roles: readonly Role[] }[]> {
    const state = await this.current();
    if (state.status !== 'formed') return [];
    return [...state.users]
      .filter(([, user]) => user.agency === agency)
      .map(([userId, user]) => ({ userId, roles: user.roles }));
  }
}

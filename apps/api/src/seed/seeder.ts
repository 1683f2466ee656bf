import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { derivedEventId } from '../commands/idempotency.interceptor';
import { hammaroSeed } from './hammaro';
import type { SeedStep } from './seed-step';
import { choiceSetting, rawSetting } from '@samverkan/shared/configuration/read-setting';

export interface SeedReport {
  readonly steps: number;
  readonly written: number;
  readonly alreadyThere: number;
}

/**
 * Loads the demo data of the Hammarö partnership through the command bus. Every step's events
 * get ids derived from its key, so a second run finds them and writes nothing (idempotent).
 * SAMVERKAN_SEED: `auto` seeds an empty store at start-up (the default on the embedded store),
 * `off` never does (the default on PostgreSQL, where real data lives).
 */
@Injectable()
export class Seeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (seedMode() !== 'auto') return;
    const status = await this.store.status();
    if (status.headPosition > 0) return;
    this.logger.log('Empty store: loading the Hammarö citizen promise and demo activity');
    await this.seed();
  }

  async seed(steps: readonly SeedStep[] = hammaroSeed()): Promise<SeedReport> {
    let written = 0;
    let alreadyThere = 0;
    const started = Date.now();
    for (const [index, step] of steps.entries()) {
      const before = (await this.store.status()).headPosition;
      await this.commands.execute(
        step.message({
          actor: step.by,
          at: new Date(`${step.on}T11:00:00Z`),
          correlationId: derivedEventId('seed', step.key, -1),
          eventIds: { eventId: (i) => derivedEventId('seed', step.key, i) },
        }) as never,
      );
      if ((await this.store.status()).headPosition > before) written++;
      else alreadyThere++;
      if ((index + 1) % 25 === 0 || index + 1 === steps.length) {
        this.logger.log(`${index + 1}/${steps.length} steps (${Date.now() - started} ms)`);
      }
    }
    this.logger.log(`Done: ${written} steps written, ${alreadyThere} already there`);
    return { steps: steps.length, written, alreadyThere };
  }
}

export function seedMode(env: NodeJS.ProcessEnv = process.env): 'auto' | 'off' {
  return choiceSetting(env, 'SAMVERKAN_SEED') ?? (rawSetting(env, 'DATABASE_URL') ? 'off' : 'auto');
}

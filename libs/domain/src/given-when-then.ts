import type { Decider } from './decider';
import { DomainError, type RefusalKind } from './domain-error';

/**
 * Decider specs read as the rule they check: given these past events, when this command,
 * then these new events, or a refusal with this code. No database, no clock, no framework.
 * (Test support only: nothing in production imports it.)
 */
export function specFor<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(...history: readonly Event[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      return {
        state,
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(...expected: readonly Event[]): readonly Event[] {
              const events = run();
              expect(events).toEqual(expected);
              return events;
            },
            /** The new events, for checks finer than equality. */
            events: (): readonly Event[] => run(),
            thenRefused(code: string, kind?: RefusalKind): DomainError {
              let error: unknown;
              try {
                run();
              } catch (caught) {
                error = caught;
              }
              expect(error).toBeInstanceOf(DomainError);
              const refusal = error as DomainError;
              expect(refusal.code).toBe(code);
              if (kind) expect(refusal.kind).toBe(kind);
              return refusal;
            },
          };
        },
      };
    },
  };
}

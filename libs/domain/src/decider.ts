/**
 * A decider is the whole behaviour of one kind of stream, as three pure parts:
 * `decide` turns a command and the current state into new events (or refuses with a
 * DomainError), `evolve` folds one event into the state, and `initialState` is the state of
 * a stream with no events. No I/O, no clock, no ids: everything comes in with the command.
 */
export interface Decider<Command, Event, State> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
}

/** An event as the domain sees it: its type and its data; the store adds the envelope. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** The state after the given events: what a handler does after loading a stream. */
export function stateAfter<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** Ends every switch over a union: the compiler fails here when a case is missing. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

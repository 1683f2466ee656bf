import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written on behalf of one request or one event carries. */
interface LogContext {
  readonly correlationId: string;
}

const context = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` (and everything it awaits or schedules) under a correlation id, so that the log
 * lines written anywhere below it, in a guard, a command handler or the store, carry the id
 * without it being passed down by hand.
 */
export function withCorrelation<T>(correlationId: string, work: () => T): T {
  return context.run({ correlationId }, work);
}

/** The correlation id of the request or event being handled, if any. */
export function currentCorrelationId(): string | undefined {
  return context.getStore()?.correlationId;
}

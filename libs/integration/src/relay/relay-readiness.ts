import type { Probe } from '@samverkan/shared/health/readiness';
import type { Relay, RelayStatus } from './relay';

/** States in which the relay is not doing its job. `standby` is: another relay publishes. */
const DOWN: ReadonlySet<RelayStatus['state']> = new Set([
  'broker-unreachable',
  'store-unreachable',
  'failing',
  'stopped',
]);

/** The relay's checkpoint, lag and state; its last error as `error` (shown to operators only). */
export function relayProbe(relay: Relay): Probe {
  return async () => {
    const { lastError, ...status } = await relay.status();
    return {
      up: !DOWN.has(status.state),
      details: { ...status, ...(lastError === null ? {} : { error: lastError }) },
    };
  };
}

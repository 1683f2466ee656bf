import type { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { SamverkanError } from '@samverkan/shared/errors';

/** The read model is behind the position the caller waits for. */
export class NotYetApplied extends SamverkanError {
  readonly kind = 'unavailable' as const;
  /** Answered as Retry-After: a read model is usually a batch, well under a second, behind. */
  readonly retryAfterSeconds = 1;
  constructor(position: number) {
    super(
      'PROJECTIONS.NOT_YET_APPLIED',
      `The read models have not applied position ${position} yet; retry`,
    );
  }
}

/**
 * Read-your-writes: waits until `projection` has applied `waitFor` (a global position a write
 * returned), or answers 503 when the time is up. Anything but a position is no wait.
 */
export async function awaitPosition(
  daemon: ProjectionDaemon,
  projection: string,
  waitFor: string | number | undefined,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  if (waitFor === undefined || !/^\d{1,15}$/.test(String(waitFor))) return;
  const position = Number(waitFor);
  if (!(await daemon.waitFor(position, options.timeoutMs ?? 5000, [projection]))) {
    throw new NotYetApplied(position);
  }
}

import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import { commitmentTimelineProjection } from './commitment-timeline/commitment-timeline.projection';
import { partnershipWorkProjection } from './partnership-work/partnership-work.projection';
import type { Projection } from './projection';
import { situationPictureProjection } from './situation-picture/situation-picture.projection';

/** Every projection the platform keeps: the API, apps/projector and the rebuild CLI use this. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  auditTrailProjection,
  situationPictureProjection,
  commitmentTimelineProjection,
  partnershipWorkProjection,
];

export function projectionNamed(name: string): Projection {
  const found = ALL_PROJECTIONS.find((p) => p.name === name);
  if (!found) {
    throw new Error(
      `No projection named '${name}'; there are: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`,
    );
  }
  return found;
}

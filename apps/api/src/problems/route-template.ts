import type { Request } from 'express';

/** The matched route's template (`/prevention-talks/:talkId`), never a path with ids in it. */
export function routeTemplate(request: Request): string {
  const route = (request.route as { path?: unknown } | undefined)?.path;
  return typeof route === 'string' ? route : '(no route)';
}

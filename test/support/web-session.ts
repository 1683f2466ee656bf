import type { Page } from 'playwright-core';
import type { AgencyCode } from '../../libs/domain/src/agencies/agencies';

/**
 * Changes made the way the web app makes them, from a signed-in browser profile: same origin,
 * the session cookie and its CSRF token. For a test's setup, where the page under test is not
 * the one that would make the change.
 */
export async function postAs(
  page: Page,
  base: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const session = await page.request.get(`${base}/api/auth/session`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const res = await page.request.post(`${base}/api${path}`, {
    headers: { 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' },
    data: body,
  });
  const text = await res.text();
  return { status: res.status(), body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Posts and fails with the API's answer unless it is a 2xx. */
export async function postOk(page: Page, base: string, path: string, body: unknown) {
  const res = await postAs(page, base, path, body);
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

/**
 * A demo user acting in a role the dev sign-in offers no account for (a teacher, a data
 * protection officer): their agency's user administrator grants it, then the user switches to
 * it for the session, as the API's role switch allows.
 */
export async function grantRole(
  admin: Page,
  base: string,
  user: { userId: string; agency: AgencyCode },
  role: string,
): Promise<void> {
  await postOk(admin, base, '/partnership/user-roles', { ...user, role });
}

export async function switchRole(page: Page, base: string, role: string): Promise<void> {
  await postOk(page, base, '/auth/session/role', { role });
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
}

import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { integerSetting } from '@samverkan/shared/configuration/read-setting';
import { publicUrl } from '@samverkan/shared/configuration/common-settings';

/**
 * Browser sessions: a random id in an httpOnly, SameSite=Lax cookie (Secure, and the `__Host-`
 * prefix, when the service is reached over https); the database keeps only the id's digest.
 */
export interface SessionSettings {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
  readonly secure: boolean;
  readonly cookieName: string;
}

export function sessionSettings(env: NodeJS.ProcessEnv = process.env): SessionSettings {
  const secure = new URL(publicUrl(env)).protocol === 'https:';
  return {
    idleSeconds: integerSetting(env, 'SAMVERKAN_SESSION_IDLE_MINUTES') * 60,
    absoluteSeconds: integerSetting(env, 'SAMVERKAN_SESSION_HOURS') * 3600,
    secure,
    cookieName: secure ? '__Host-samverkan_session' : 'samverkan_session',
  };
}

export const newSecret = (): string => randomBytes(32).toString('base64url');

export const sessionDigest = (id: string): string =>
  createHash('sha256').update(id).digest('base64url');

/** A cookie's value as cookie-parser read it, when it is text. */
export function cookieOf(request: Request, name: string): string | undefined {
  const value: unknown = (request as { cookies?: Record<string, unknown> }).cookies?.[name];
  return typeof value === 'string' ? value : undefined;
}

export function sessionIdOf(request: Request, settings: SessionSettings): string | undefined {
  const value = cookieOf(request, settings.cookieName);
  return value !== undefined && value.length >= 32 ? value : undefined;
}

export function setSessionCookie(response: Response, settings: SessionSettings, id: string): void {
  response.cookie(settings.cookieName, id, {
    httpOnly: true,
    secure: settings.secure,
    sameSite: 'lax',
    path: '/',
    maxAge: settings.absoluteSeconds * 1000,
  });
}

export function clearSessionCookie(response: Response, settings: SessionSettings): void {
  response.clearCookie(settings.cookieName, {
    httpOnly: true,
    secure: settings.secure,
    sameSite: 'lax',
    path: '/',
  });
}

/** Methods that change nothing; every other method of a cookie session needs the CSRF token. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

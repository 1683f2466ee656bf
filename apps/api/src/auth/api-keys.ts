import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from '@samverkan/domain/actor';
import { isAgencyCode } from '@samverkan/domain/agencies/agencies';

/**
 * API keys for agency systems (a police case system, a school platform). Only a SHA-256 of
 * each key is configured, never the key: SAMVERKAN_API_KEYS="<system-id>:<agency>:<sha256>,...".
 * A key authenticates as the agency's system (role agency-system).
 */
export interface ApiKeyEntry {
  readonly systemId: string;
  readonly agency: Actor['agency'];
  readonly sha256: Buffer;
}

export function parseApiKeys(text: string | undefined): ApiKeyEntry[] {
  if (!text?.trim()) return [];
  return text.split(',').map((entry, i) => {
    const [systemId, agency, hash] = entry.trim().split(':');
    if (!systemId || !/^[a-z0-9][a-z0-9-]{1,60}$/.test(systemId)) {
      throw new Error(`SAMVERKAN_API_KEYS entry ${i + 1}: system id must be a lower-case slug`);
    }
    if (!isAgencyCode(agency)) {
      throw new Error(`SAMVERKAN_API_KEYS entry ${i + 1}: unknown agency '${agency}'`);
    }
    if (!hash || !/^[0-9a-f]{64}$/.test(hash)) {
      throw new Error(`SAMVERKAN_API_KEYS entry ${i + 1}: expected the key's SHA-256 in hex`);
    }
    return { systemId, agency, sha256: Buffer.from(hash, 'hex') };
  });
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class ApiKeyRegistry {
  constructor(private readonly entries: readonly ApiKeyEntry[]) {}

  /** The system's actor for a presented key, or undefined. Compares hashes in constant time. */
  actorFor(key: string): Actor | undefined {
    const presented = createHash('sha256').update(key).digest();
    const entry = this.entries.find((e) => timingSafeEqual(e.sha256, presented));
    return entry
      ? { userId: `system:${entry.systemId}`, agency: entry.agency, role: 'agency-system' }
      : undefined;
  }
}

import { ClientAddresses } from './rate-limit.guard';

describe('client addresses: counted and logged as a keyed digest of the day, never as written', () => {
  const saved = process.env['SAMVERKAN_IDENTITY_KEY'];
  let addresses: ClientAddresses;
  beforeAll(() => {
    process.env['SAMVERKAN_IDENTITY_KEY'] = 'unit-identity-key-0123456789-0123456789';
    addresses = new ClientAddresses();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['SAMVERKAN_IDENTITY_KEY'];
    else process.env['SAMVERKAN_IDENTITY_KEY'] = saved;
  });
  const morning = new Date('2026-11-20T06:00:00Z');
  const evening = new Date('2026-11-20T23:59:59Z');
  const nextDay = new Date('2026-11-21T00:00:01Z');

  it('given one address on one day, then one digest all day, which does not hold the address', () => {
    const digest = addresses.digest({ ip: '198.51.100.7' }, morning);
    expect(addresses.digest({ ip: '198.51.100.7' }, evening)).toBe(digest);
    expect(digest).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(digest).not.toContain('198');
    expect(addresses.digest({ ip: '198.51.100.8' }, morning)).not.toBe(digest);
  });

  it('given the next day, then another digest: days cannot be linked', () => {
    expect(addresses.digest({ ip: '198.51.100.7' }, nextDay)).not.toBe(
      addresses.digest({ ip: '198.51.100.7' }, evening),
    );
  });

  it('given another server key, then other digests: no one without the key can test a guess', () => {
    process.env['SAMVERKAN_IDENTITY_KEY'] = 'another-identity-key-0123456789-012345';
    const other = new ClientAddresses();
    expect(other.digest({ ip: '198.51.100.7' }, morning)).not.toBe(
      addresses.digest({ ip: '198.51.100.7' }, morning),
    );
  });
});

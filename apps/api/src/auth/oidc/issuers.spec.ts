import { publicUrl } from '@samverkan/shared/configuration/common-settings';
import { trustedIssuersFromEnv } from './issuers';

const kommun = {
  id: 'hammaro',
  name: 'Hammarö kommun',
  issuer: 'https://login.microsoftonline.com/tenant/v2.0',
  clientId: 'client-kommun',
  clientSecret: 'secret-kommun',
  agencies: ['municipality', 'school', 'social-services'],
};
const polisen = {
  id: 'polisen',
  name: 'Polisen',
  issuer: 'https://idp.polisen.example',
  clientId: 'client-polisen',
  clientSecretEnv: 'POLISEN_CLIENT_SECRET',
  agencies: ['police'],
};

const issuersEnv = (list: unknown, more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  SAMVERKAN_OIDC_ISSUERS: JSON.stringify(list),
  POLISEN_CLIENT_SECRET: 'secret-polisen',
  ...more,
});

/** The list with entry 1 (the second) changed: refusals must name that index, not the first. */
const withSecond = (change: Record<string, unknown>, drop: string[] = []): NodeJS.ProcessEnv => {
  const second: Record<string, unknown> = { ...polisen, ...change };
  for (const name of drop) delete second[name];
  return issuersEnv([kommun, second]);
};

describe('trustedIssuersFromEnv', () => {
  it('given no list, trusts no provider', () => {
    expect(trustedIssuersFromEnv({})).toEqual([]);
    expect(trustedIssuersFromEnv({ SAMVERKAN_OIDC_ISSUERS: '  ' })).toEqual([]);
  });

  it('reads a valid list, a secret given inline or through the variable clientSecretEnv names', () => {
    expect(
      trustedIssuersFromEnv(issuersEnv([kommun, polisen], { POLISEN_CLIENT_SECRET: ' s3cret ' })),
    ).toEqual([
      {
        id: 'hammaro',
        name: 'Hammarö kommun',
        issuer: 'https://login.microsoftonline.com/tenant/v2.0',
        clientId: 'client-kommun',
        clientSecret: 'secret-kommun',
        agencies: ['municipality', 'school', 'social-services'],
      },
      {
        id: 'polisen',
        name: 'Polisen',
        issuer: 'https://idp.polisen.example',
        clientId: 'client-polisen',
        clientSecret: 's3cret',
        agencies: ['police'],
      },
    ]);
  });

  it('given both, takes the secret from clientSecretEnv, so a stale inline secret is not used', () => {
    const [, second] = trustedIssuersFromEnv(withSecond({ clientSecret: 'stale' }));
    expect(second!.clientSecret).toBe('secret-polisen');
  });

  it.each(['http://localhost:3000/oidc', 'http://127.0.0.1:9000'])(
    'accepts the plain-http issuer %s, on this machine only (the local provider)',
    (issuer) => {
      expect(trustedIssuersFromEnv(withSecond({ issuer }))[1]!.issuer).toBe(issuer);
    },
  );

  it('refuses a value that is not JSON', () => {
    expect(() => trustedIssuersFromEnv({ SAMVERKAN_OIDC_ISSUERS: '[{"id": "hammaro"' })).toThrow(
      'SAMVERKAN_OIDC_ISSUERS must be a JSON list of issuers',
    );
  });

  it('refuses JSON that is not a list', () => {
    expect(() => trustedIssuersFromEnv(issuersEnv(kommun))).toThrow(
      'SAMVERKAN_OIDC_ISSUERS must be a JSON list',
    );
  });

  it.each([
    ['upper case', 'Polisen'],
    ['a leading hyphen', '-polisen'],
    ['a character outside the slug', 'polisen/x'],
    ['42 characters', 'p'.repeat(42)],
  ])('refuses an id with %s, naming the variable and index', (_, id) => {
    expect(() => trustedIssuersFromEnv(withSecond({ id }))).toThrow(
      'SAMVERKAN_OIDC_ISSUERS[1].id must be a lower-case slug',
    );
  });

  it('accepts an id of 41 characters, the longest slug', () => {
    const id = 'p'.repeat(41);
    expect(trustedIssuersFromEnv(withSecond({ id }))[1]!.id).toBe(id);
  });

  it.each(['id', 'name', 'issuer', 'clientId'])(
    'refuses an entry without %s, naming the variable, index and field',
    (field) => {
      expect(() => trustedIssuersFromEnv(withSecond({}, [field]))).toThrow(
        `SAMVERKAN_OIDC_ISSUERS[1].${field} must be a non-empty string`,
      );
      expect(() => trustedIssuersFromEnv(withSecond({ [field]: '  ' }))).toThrow(
        `SAMVERKAN_OIDC_ISSUERS[1].${field} must be a non-empty string`,
      );
    },
  );

  it('refuses an entry that is not an object, naming its index', () => {
    expect(() => trustedIssuersFromEnv(issuersEnv([kommun, 'polisen']))).toThrow(
      'SAMVERKAN_OIDC_ISSUERS[1].id must be a non-empty string',
    );
  });

  it('refuses an issuer that is not a URL', () => {
    expect(() => trustedIssuersFromEnv(withSecond({ issuer: 'idp.polisen.example' }))).toThrow(
      'SAMVERKAN_OIDC_ISSUERS[1].issuer must be a URL',
    );
  });

  it.each(['http://idp.polisen.example', 'http://10.0.0.5:8080'])(
    'refuses the plain-http issuer %s: tokens and secrets would cross the network in clear',
    (issuer) => {
      expect(() => trustedIssuersFromEnv(withSecond({ issuer }))).toThrow(
        'SAMVERKAN_OIDC_ISSUERS[1].issuer must use https',
      );
    },
  );

  it('refuses an entry with no secret at all', () => {
    expect(() => trustedIssuersFromEnv(withSecond({}, ['clientSecretEnv']))).toThrow(
      'SAMVERKAN_OIDC_ISSUERS[1].clientSecret must be a non-empty string',
    );
  });

  it('refuses a clientSecretEnv whose variable is unset or blank, naming the variable', () => {
    for (const value of [undefined, '   ']) {
      const env = withSecond({});
      if (value === undefined) delete env['POLISEN_CLIENT_SECRET'];
      else env['POLISEN_CLIENT_SECRET'] = value;
      expect(() => trustedIssuersFromEnv(env)).toThrow(
        'SAMVERKAN_OIDC_ISSUERS[1]: the variable POLISEN_CLIENT_SECRET holds no client secret',
      );
    }
  });

  it.each([
    ['an unknown agency', ['police', 'army']],
    ['no agencies', []],
    ['a single agency not in a list', 'police'],
  ])(
    'refuses %s: which agencies a provider vouches for must be explicit',
    (_, agencies: unknown) => {
      expect(() => trustedIssuersFromEnv(withSecond({ agencies }))).toThrow(
        /^SAMVERKAN_OIDC_ISSUERS\[1\]\.agencies must list agencies among: police, municipality, /,
      );
    },
  );

  it('refuses two issuers with one id: /auth/login?provider=<id> must name one of them', () => {
    expect(() => trustedIssuersFromEnv(withSecond({ id: kommun.id }))).toThrow(
      "SAMVERKAN_OIDC_ISSUERS[1].id 'hammaro' is used by an earlier entry",
    );
  });
});

describe('publicUrl', () => {
  it('given nothing configured, is http://localhost on PORT, by default 3000', () => {
    expect(publicUrl({})).toBe('http://localhost:3000');
    expect(publicUrl({ PORT: ' ' })).toBe('http://localhost:3000');
    expect(publicUrl({ PORT: '8080' })).toBe('http://localhost:8080');
  });

  it('takes SAMVERKAN_PUBLIC_URL over PORT, without the trailing slash (redirect URIs append paths)', () => {
    expect(
      publicUrl({ SAMVERKAN_PUBLIC_URL: ' https://samverkan.kommun.example/ ', PORT: '8080' }),
    ).toBe('https://samverkan.kommun.example');
    expect(publicUrl({ SAMVERKAN_PUBLIC_URL: 'https://kommun.example/samverkan/' })).toBe(
      'https://kommun.example/samverkan',
    );
    expect(publicUrl({ SAMVERKAN_PUBLIC_URL: 'https://kommun.example/samverkan' })).toBe(
      'https://kommun.example/samverkan',
    );
  });

  it('refuses a SAMVERKAN_PUBLIC_URL that is not a URL rather than build redirect URIs on it', () => {
    expect(() => publicUrl({ SAMVERKAN_PUBLIC_URL: 'samverkan.kommun.example' })).toThrow();
  });

  it('refuses an issuer with control characters, which URL parsing would drop silently', () => {
    const env = {
      SAMVERKAN_OIDC_ISSUERS: JSON.stringify([
        {
          id: 'a',
          name: 'A',
          issuer: 'https://idp.exa\nmple.se',
          clientId: 'c',
          clientSecret: 's',
          agencies: ['police'],
        },
      ]),
    };
    expect(() => trustedIssuersFromEnv(env)).toThrow(
      'SAMVERKAN_OIDC_ISSUERS[0].issuer must be a URL',
    );
  });

  it('refuses another scheme than http on the loopback host', () => {
    const env = {
      SAMVERKAN_OIDC_ISSUERS: JSON.stringify([
        {
          id: 'a',
          name: 'A',
          issuer: 'ftp://localhost/x',
          clientId: 'c',
          clientSecret: 's',
          agencies: ['police'],
        },
      ]),
    };
    expect(() => trustedIssuersFromEnv(env)).toThrow(
      'SAMVERKAN_OIDC_ISSUERS[0].issuer must use https',
    );
  });

  it('names SAMVERKAN_PUBLIC_URL when it is not a URL', () => {
    expect(() => publicUrl({ SAMVERKAN_PUBLIC_URL: 'samverkan.kommun.se' })).toThrow(
      'SAMVERKAN_PUBLIC_URL',
    );
  });
});

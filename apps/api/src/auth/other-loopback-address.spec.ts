import { otherLoopbackAddress } from './sign-in.controller';

describe('sign-in opened under another loopback name than the public URL', () => {
  it('sends 127.0.0.1 to localhost (and back), on the same port only', () => {
    expect(otherLoopbackAddress('127.0.0.1:3000', 'http://localhost:3000')).toBe(
      'http://localhost:3000',
    );
    expect(otherLoopbackAddress('localhost:3000', 'http://127.0.0.1:3000')).toBe(
      'http://127.0.0.1:3000',
    );
    expect(otherLoopbackAddress('[::1]:3000', 'http://localhost:3000')).toBe(
      'http://localhost:3000',
    );
    expect(otherLoopbackAddress('127.0.0.1:4000', 'http://localhost:3000')).toBeUndefined();
  });

  it('leaves every other host alone: behind a proxy the Host header may be an internal name', () => {
    expect(otherLoopbackAddress('localhost:3000', 'http://localhost:3000')).toBeUndefined();
    expect(otherLoopbackAddress('api:3000', 'https://samverkan.hammaro.se')).toBeUndefined();
    expect(otherLoopbackAddress('127.0.0.1:443', 'https://samverkan.hammaro.se')).toBeUndefined();
    expect(otherLoopbackAddress('evil.example', 'http://localhost:3000')).toBeUndefined();
    expect(otherLoopbackAddress(undefined, 'http://localhost:3000')).toBeUndefined();
    expect(otherLoopbackAddress('bad host:x', 'http://localhost:3000')).toBeUndefined();
  });
});

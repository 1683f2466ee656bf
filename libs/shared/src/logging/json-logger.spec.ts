import { createJsonLogger, JsonLogger, logLevelFromEnv } from './json-logger';
import { withCorrelation } from './log-context';

function logger(level: 'info' | 'debug' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const json = new JsonLogger(
    createJsonLogger({
      service: 'test',
      level,
      destination: { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) },
    }),
  );
  return { json, lines };
}

describe('JSON logs', () => {
  it('writes level, ISO time, service, context and message, as Nest calls it', () => {
    const { json, lines } = logger();
    json.log('Ready', 'EventStore');
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'test',
        context: 'EventStore',
        message: 'Ready',
      },
    ]);
  });

  it('keeps an error’s stack apart from its context, also when no context is given', () => {
    const { json, lines } = logger();
    const stack = new Error('boom').stack!;
    json.error('GET /x failed', stack, 'Problems');
    json.error('failed', stack);
    json.error(new Error('thrown'), 'Bootstrap');
    expect(lines[0]).toMatchObject({ context: 'Problems', stack, message: 'GET /x failed' });
    expect(lines[1]).toMatchObject({ stack, message: 'failed' });
    expect(lines[1]).not.toHaveProperty('context');
    expect(lines[2]).toMatchObject({ context: 'Bootstrap', message: 'thrown' });
  });

  it('takes a plain object’s fields as the line’s, and the correlation id of the work under way', () => {
    const { json, lines } = logger('debug');
    json.log({ message: 'GET /api/x 200', status: 200 }, 'Http');
    withCorrelation('req-1', () => json.debug('inside', 'Commands'));
    // A line about an event names the event's own request, whatever the context says.
    withCorrelation('req-1', () => json.log({ message: 'event', correlationId: 'req-2' }));
    json.verbose('below debug');
    expect(lines).toEqual([
      expect.objectContaining({ message: 'GET /api/x 200', status: 200, context: 'Http' }),
      expect.objectContaining({ level: 'debug', message: 'inside', correlationId: 'req-1' }),
      expect.objectContaining({ message: 'event', correlationId: 'req-2' }),
    ]);
    expect(lines[0]).not.toHaveProperty('correlationId');
  });

  it('reads SAMVERKAN_LOG_LEVEL, info by default, and refuses a level it does not know', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ SAMVERKAN_LOG_LEVEL: 'debug' })).toBe('debug');
    expect(logLevelFromEnv({}, 'warn')).toBe('warn');
    // Not a level: the default, and the configuration check names the variable.
    expect(logLevelFromEnv({ SAMVERKAN_LOG_LEVEL: 'loud' })).toBe('info');
  });
});

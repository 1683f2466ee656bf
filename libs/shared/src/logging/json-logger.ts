import { Logger, type LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import { currentCorrelationId } from './log-context';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * SAMVERKAN_LOG_LEVEL, `fallback` (`info`) when unset or not a level: the log is made before
 * the configuration is checked, so that the check can say what is wrong with it, in one line.
 */
export function logLevelFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  fallback: LogLevelName = 'info',
): LogLevelName {
  const value = env['SAMVERKAN_LOG_LEVEL']?.trim();
  return value && (LOG_LEVELS as readonly string[]).includes(value)
    ? (value as LogLevelName)
    : fallback;
}

/**
 * One JSON object per line: `level` (its name), `time` (ISO 8601), `service`, `context`,
 * `message`, and `correlationId` whenever the line is written on behalf of a request or an
 * event (see log-context.ts). Synchronous writes to stdout: a process that exits after an
 * error still leaves its last lines.
 */
export function createJsonLogger(options: {
  readonly service: string;
  readonly level?: LogLevelName;
  /** Where lines go; stdout by default (a test passes a stream it reads). */
  readonly destination?: DestinationStream;
}): Pino {
  return pino(
    {
      level: options.level ?? 'info',
      messageKey: 'message',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

const STACK = /^.+\n\s+at .+/;

/**
 * Nest's logger interface on pino, so the code keeps `new Logger('Relay')` and every line
 * comes out as JSON. A message may be a plain object: its fields become the line's fields
 * (`{ message: 'GET /api/x 200', route, status }`). Nest passes the context last, and for
 * errors a stack before it.
 */
export class JsonLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Exclude<LogLevelName, 'silent'>, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    const last = rest[rest.length - 1];
    // A lone stack (`Logger.error(message, stack)`) is not a context.
    if (typeof last === 'string' && !(rest.length === 1 && STACK.test(last))) {
      fields['context'] = rest.pop();
    }
    const stack = rest.pop();
    if (typeof stack === 'string') fields['stack'] = stack;
    let text: string;
    if (message instanceof Error) {
      text = message.message;
      fields['stack'] ??= message.stack;
    } else if (typeof message === 'object' && message !== null) {
      const { message: inner, ...own } = message as Record<string, unknown>;
      Object.assign(fields, own);
      text = typeof inner === 'string' ? inner : '';
    } else {
      text = String(message);
    }
    this.pino[level](fields, text);
  }
}

/**
 * Makes JSON lines the process's log: every `new Logger(...)` and static `Logger.log` writes
 * through pino from here on. Pass the result to NestFactory.create's `logger` as well, so
 * Nest's own lines (routes mapped, modules started) go the same way.
 */
export function useJsonLogs(
  service: string,
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly destination?: DestinationStream;
    /** Without SAMVERKAN_LOG_LEVEL (a CLI that should say only what went wrong: `warn`). */
    readonly defaultLevel?: LogLevelName;
  } = {},
): JsonLogger {
  const logger = new JsonLogger(
    createJsonLogger({
      service,
      level: logLevelFromEnv(options.env, options.defaultLevel),
      ...(options.destination ? { destination: options.destination } : {}),
    }),
  );
  Logger.overrideLogger(logger);
  installed = logger;
  return logger;
}

/**
 * A command-line tool's log: JSON lines on stderr, so what it answers on stdout stays plain
 * text for a person or a pipe. SAMVERKAN_LOG_LEVEL as for the services, else the tool's own
 * default (`warn` for one that should speak only when something went wrong).
 */
export function useCliJsonLogs(command: string, defaultLevel: LogLevelName): JsonLogger {
  return useJsonLogs(`cli:${command}`, {
    defaultLevel,
    destination: pino.destination({ dest: 2, sync: true }),
  });
}

let installed: JsonLogger | undefined;

/**
 * Whether the process's JSON log takes lines of this level: for lines written once per event,
 * which cost something to build and are wanted only when someone asked for them. False where
 * the JSON log is not installed (a test of a library, with Nest's console logger).
 */
export function jsonLogTakes(level: Exclude<LogLevelName, 'silent'>): boolean {
  return installed?.pino.isLevelEnabled(level) ?? false;
}

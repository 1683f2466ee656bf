import pino from 'pino';
import {
  useJsonLogs,
  type JsonLogger,
  type LogLevelName,
} from '@samverkan/shared/logging/json-logger';

/**
 * A CLI's log: JSON lines on stderr, so what it answers on stdout stays plain text for a
 * person or a pipe. SAMVERKAN_LOG_LEVEL as for the services, else the CLI's own default.
 */
export function cliLogs(command: string, defaultLevel: LogLevelName): JsonLogger {
  return useJsonLogs(`cli:${command}`, {
    defaultLevel,
    destination: pino.destination({ dest: 2, sync: true }),
  });
}

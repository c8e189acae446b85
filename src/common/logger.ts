import pino from 'pino';
import { redactSecrets } from './secrets';

/** The logger handed to connectors: pino's API (`log.info({ key: 1 }, 'message')`). */
export type Logger = pino.Logger;

/** Flow's level names; pino's numeric levels map onto these lowercase labels. */
const VALID_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level; defaults to `LOG_LEVEL` from the environment, then `info`. */
  level?: string;
  /** Where lines go; defaults to stderr (fd 2), written synchronously so the last line survives exit. */
  destination?: pino.DestinationStream;
}

/**
 * Creates a logger writing one JSON object per line in the shape Flow's runtime decodes:
 * `{"level":"info","msg":"…","fields":{…},"ts":"…"}`. Registered secrets are redacted from every line.
 *
 * @example
 * const log = createLogger();
 * log.info({ eventType: 'connectorStatus' }, 'Streaming change events');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const wanted = (options.level ?? process.env.LOG_LEVEL ?? 'info').toLowerCase();
  const level = wanted === 'warning' ? 'warn' : VALID_LEVELS.has(wanted) ? wanted : 'info';
  return pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      nestedKey: 'fields',
      timestamp: () => `,"ts":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label === 'fatal' ? 'error' : label }) },
      hooks: { streamWrite: (line) => redactSecrets(line) },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that discards everything (for tests and scripts). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

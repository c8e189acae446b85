import type pino from 'pino';
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
  return onFirstUse(() => {
    const create = loadPino();
    return create(
      {
        level,
        base: null,
        messageKey: 'msg',
        nestedKey: 'fields',
        timestamp: () => `,"ts":"${new Date().toISOString()}"`,
        formatters: { level: (label) => ({ level: label === 'fatal' ? 'error' : label }) },
        hooks: { streamWrite: (line) => redactSecrets(line) },
      },
      options.destination ?? create.destination({ fd: 2, sync: true }),
    );
  });
}

/**
 * Builds a logger from {@link createLogger} now instead of at its first line: a capture logs from its
 * first moments, and loading pino then would delay every binding's start.
 */
export function prepareLogger(log: Logger): void {
  log.isLevelEnabled('info');
}

/** A logger that discards everything (for tests and scripts). */
export function silentLogger(): Logger {
  return onFirstUse(() => loadPino()({ level: 'silent' }));
}

let pinoModule: typeof pino | undefined;

function loadPino(): typeof pino {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use: see onFirstUse
  return (pinoModule ??= require('pino') as typeof pino);
}

/**
 * A logger that builds the pino logger when first used. pino with its dependencies (worker threads,
 * diagnostics channels) takes ~20–35 ms to load, and a `spec` or `discover` process, which Flow starts
 * per request, usually logs nothing. Every property read, write and call goes to the real logger;
 * `child()` returns a real pino child.
 */
function onFirstUse(build: () => Logger): Logger {
  let real: Logger | undefined;
  const target = (): Logger => (real ??= build());
  return new Proxy(Object.create(null) as Logger, {
    get(_, key) {
      const logger = target();
      const value: unknown = Reflect.get(logger, key, logger);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may not report a property its own target lacks as non-configurable.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}

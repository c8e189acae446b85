import { Readable, Writable } from 'node:stream';
import { createLogger, type Logger } from '../common/logger';
import { CdkError, LoadError, describeError } from '../common/errors';
import { buildConnector } from '../build/connector-builder';
import { isUserError, serve, type ServeOptions } from '../runtime/server';
import { airbyteShim, serveAirbyte } from '../airbyte';
import { loadConnectorOrShim } from './load-connector';
import { readConfigFile } from './read-config';
import { parseIsoDuration } from '../common/time';
import type { SessionOptions } from '../runtime/capture/capture-session';

/** Logs `err` as the final line, as Flow reads the last log line as the failure. */
export function logFatal(log: Logger, err: unknown): void {
  if (isUserError(err)) log.error(describeError(err));
  else log.error({ stack: err instanceof Error ? err.stack : undefined }, describeError(err));
}

/**
 * Session tunables from the environment: `ESTUARY_PERIODIC_RESTART` (default `P1D`) and
 * `ESTUARY_STOP_DEADLINE` (default `PT10M`), as ISO 8601 durations.
 */
export function sessionFromEnv(env: NodeJS.ProcessEnv): Partial<SessionOptions> {
  const out: Partial<SessionOptions> = {};
  if (env.ESTUARY_PERIODIC_RESTART) out.periodicRestartMs = parseIsoDuration(env.ESTUARY_PERIODIC_RESTART);
  if (env.ESTUARY_STOP_DEADLINE) out.stopDeadlineMs = parseIsoDuration(env.ESTUARY_STOP_DEADLINE);
  return out;
}

/** A command line that cannot be run as given. */
export class UsageError extends CdkError {
  constructor(message: string) {
    super('USAGE', message, { userError: true });
  }
}

/**
 * Ends the process on a promise rejection or exception nobody handled (a connector's floating
 * promise, a throwing timer callback): one redacted error line, as Flow reads the last log line as
 * the failure, then exit 1. Node's default would print a raw, unredacted trace.
 */
export function exitOnUnhandled(log: Logger, proc: NodeJS.Process = process): void {
  const fail = (what: string) => (err: unknown): void => {
    log.error({ stack: err instanceof Error ? err.stack : undefined }, `${what} in connector code: ${describeError(err)}`);
    proc.exit(1);
  };
  proc.on('unhandledRejection', fail('unhandled promise rejection'));
  proc.on('uncaughtException', fail('uncaught exception'));
}

/**
 * What `run`/`spec`/`discover` serve: a `@Connector` class, an exported Airbyte shim, or (with
 * `--airbyte -- <command…>`) an Airbyte-protocol command.
 */
function loadServable(args: readonly string[]): (options: ServeOptions) => Promise<void> {
  if (args[0] === '--airbyte') {
    const command = args.slice(args[1] === '--' ? 2 : 1);
    if (command.length === 0) throw new LoadError('usage: estuary run --airbyte -- <command…> (e.g. docker run --rm -i airbyte/source-faker:6.2)');
    const shim = airbyteShim({ command });
    return (options) => serveAirbyte(shim, options);
  }
  const loaded = loadConnectorOrShim(args[0]!);
  if ('shim' in loaded) return (options) => serveAirbyte(loaded.shim, options);
  const def = buildConnector(loaded.connector);
  return (options) => serve(def, options);
}

/** `estuary run <path>`: serve the Flow protocol on stdio. Returns the exit code. */
export async function runCommand(args: string[]): Promise<number> {
  const log = createLogger();
  exitOnUnhandled(log);
  try {
    const target = args[0];
    if (target === undefined) throw new UsageError('estuary run needs the connector to run: estuary run <connector.ts|connector.js|folder> | --airbyte -- <command…>');
    const serveIt = loadServable(args);
    const stops: ((reason: string) => void)[] = [];
    const onSignal = (sig: string): void => {
      log.info({ signal: sig }, 'stopping gracefully');
      for (const s of stops) s(`received ${sig}`);
      if (stops.length === 0) process.exit(0);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
    await serveIt({ stdin: process.stdin, stdout: process.stdout, log, onStoppable: (s) => stops.push(s), session: sessionFromEnv(process.env) });
    return 0;
  } catch (err) {
    logFatal(log, err);
    return 1;
  }
}

/** `estuary spec|discover <path> [--config file]`: print the response, pretty. */
export async function printCommand(kind: 'spec' | 'discover', args: string[], out: NodeJS.WritableStream): Promise<number> {
  const log = createLogger();
  try {
    const target = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--config');
    if (target === undefined) throw new UsageError(`estuary ${kind} needs the connector: estuary ${kind} <connector> [--config file.yaml]`);
    const ci = args.indexOf('--config');
    const config = ci >= 0 && args[ci + 1] !== undefined ? readConfigFile(args[ci + 1]!) : {};
    const serveIt = loadServable([target]);
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString());
        cb();
      },
    });
    const req = kind === 'spec' ? { spec: { connectorType: 'LOCAL', config } } : { discover: { connectorType: 'LOCAL', config } };
    await serveIt({ stdin: Readable.from([JSON.stringify(req) + '\n']), stdout: sink, log });
    const response = JSON.parse(chunks.join('')) as Record<string, unknown>;
    out.write(JSON.stringify(kind === 'spec' ? response.spec : response.discovered, null, 2) + '\n');
    return 0;
  } catch (err) {
    logFatal(log, err);
    return 1;
  }
}

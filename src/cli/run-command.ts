import { createLogger, type Logger } from '../common/logger';
import { CdkError, describeError } from '../common/errors';
import { isUserError } from '../runtime/server';
import { readConfigFile } from './read-config';
import { connectorResponse, loadServable } from './connector-response';
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
  const fail =
    (what: string) =>
    (err: unknown): void => {
      log.error({ stack: err instanceof Error ? err.stack : undefined }, `${what} in connector code: ${describeError(err)}`);
      proc.exit(1);
    };
  proc.on('unhandledRejection', fail('unhandled promise rejection'));
  proc.on('uncaughtException', fail('uncaught exception'));
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
    const response = await connectorResponse(kind, target, config, log);
    out.write(JSON.stringify(response, null, 2) + '\n');
    return 0;
  } catch (err) {
    logFatal(log, err);
    return 1;
  }
}

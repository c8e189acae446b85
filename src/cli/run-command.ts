import { createLogger, type Logger } from '../common/logger';
import { describeError } from '../common/errors';
import { buildConnector } from '../build/connector-builder';
import { isUserError, serve } from '../runtime/server';
import { loadConnector } from './load-connector';
import { readConfigFile } from './read-config';
import { connectorResponse } from './connector-response';
import { parseDuration } from '../common/time';
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
  if (env.ESTUARY_PERIODIC_RESTART) out.periodicRestartMs = parseDuration(env.ESTUARY_PERIODIC_RESTART);
  if (env.ESTUARY_STOP_DEADLINE) out.stopDeadlineMs = parseDuration(env.ESTUARY_STOP_DEADLINE);
  return out;
}

/** `estuary run <path>`: serve the Flow protocol on stdio. Returns the exit code. */
export async function runCommand(args: string[]): Promise<number> {
  const log = createLogger();
  try {
    const target = args[0];
    if (target === undefined) throw new Error('usage: estuary run <connector.ts|connector.js|folder>');
    const def = buildConnector(loadConnector(target));
    const stops: ((reason: string) => void)[] = [];
    const onSignal = (sig: string): void => {
      log.info({ signal: sig }, 'stopping gracefully');
      for (const s of stops) s(`received ${sig}`);
      if (stops.length === 0) process.exit(0);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
    await serve(def, { stdin: process.stdin, stdout: process.stdout, log, onStoppable: (s) => stops.push(s), session: sessionFromEnv(process.env) });
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
    if (target === undefined) throw new Error(`usage: estuary ${kind} <connector> [--config file.yaml]`);
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

import type { Readable, Writable } from 'node:stream';
import { CdkError, ProtocolError, StoppedError } from '../common/errors';
import { prepareLogger, type Logger } from '../common/logger';
import { loadModel } from '../container/config-loader';
import { prepareInjection } from '../container/run-container';
import type { ConnectorDefinition } from '../build/definition';
// The capture machinery loads when `open` arrives: `spec` (a process of its own) never needs it.
import type { SessionOptions } from './capture/capture-session';
import { readAcknowledgements, requestReader, type RequestReader } from './io/request-reader';
import { OutputWriter } from './io/output-writer';
import { PROTOCOL_VERSION, type OpenRequest } from '../protocol';
import { availableResources, discoveredBindings, resolveBindings } from './resolve-resources';
import { createRunContext, type RunContext, type RunHttpOptions } from './run-services';
import { callHook } from './connector-hooks';
import { mayUseHttp } from './http-use';

/** Where a connector process reads requests and writes responses. */
export interface ServeOptions {
  stdin: Readable | AsyncIterable<Buffer | string>;
  stdout: Writable;
  log: Logger;
  session?: Partial<SessionOptions>;
  /** HttpClient options for the run (e.g. an undici `MockAgent` as `dispatcher` in tests). */
  http?: RunHttpOptions;
  /** Called with a stop function so the caller can wire SIGTERM/SIGINT. */
  onStoppable?: (stop: (reason: string) => void) => void;
}

/** Default graceful-stop deadline and periodic restart, as the Python CDK's. */
export const DEFAULT_SESSION: SessionOptions = { stopDeadlineMs: 10 * 60_000, periodicRestartMs: 24 * 3600_000 };

/**
 * Serves Flow capture protocol requests from `stdin` until it closes or a capture finishes.
 * Throws on failure (the caller logs the error last and exits 1).
 */
export async function serve(def: ConnectorDefinition, options: ServeOptions): Promise<void> {
  const out = new OutputWriter(options.stdout);
  const send = (msg: unknown): Promise<void> => out.write(JSON.stringify(msg) + '\n');
  const requests = requestReader(options.stdin);
  for (;;) {
    const item = await requests.next();
    if (item === undefined) break;
    const { req, kind } = item;
    switch (kind) {
      case 'spec':
        await send({
          spec: {
            protocol: PROTOCOL_VERSION,
            configSchema: def.configSchema,
            resourceConfigSchema: def.resourceConfigSchema,
            documentationUrl: def.documentationUrl,
            ...(def.oauth2 !== undefined ? { oauth2: def.oauth2 } : {}),
            resourcePathPointers: ['/name'],
          },
        });
        break;
      case 'discover': {
        const config = loadModel(def.configClass, req.discover!.config);
        const run = await createRunContext(def, config, options.log, undefined, options.http);
        try {
          await send({ discovered: { bindings: discoveredBindings(await availableResources(def, run.container, config)) } });
        } finally {
          await run.http.close();
        }
        break;
      }
      case 'validate': {
        const v = req.validate!;
        const config = loadModel(def.configClass, v.config);
        const run = await createRunContext(def, config, options.log, undefined, options.http);
        try {
          await callHook(def, run.container, 'validate', config);
          const resolved = resolveBindings(def, await availableResources(def, run.container, config), v.bindings ?? []);
          await send({ validated: { bindings: resolved.map((b) => ({ resourcePath: [b.resource.name] })) } });
        } finally {
          await run.http.close();
        }
        break;
      }
      case 'apply':
        await send({ applied: { actionDescription: '' } });
        break;
      case 'open':
        await open(def, req.open!, options, out, send, requests);
        return;
      case 'acknowledge':
        throw new ProtocolError(`request line ${requests.lineNo}: acknowledge received before open`);
    }
  }
}

/** Serves `open`: migrates and prepares the config, resolves bindings, sends `opened`, runs the capture. */
async function open(def: ConnectorDefinition, req: OpenRequest, options: ServeOptions, out: OutputWriter, send: (msg: unknown) => Promise<void>, requests: RequestReader): Promise<void> {
  const log = options.log;
  const abort = new AbortController();
  // A graceful stop ends the HTTP client's waits (back-off, pacing) at once; requests in flight finish.
  const stopping = new AbortController();
  const http: RunHttpOptions = { ...options.http, stopSignal: stopping.signal };
  const { rawConfig, config, run } = await migrateConfig(def, req.capture.config, { ...options, http }, abort.signal);
  await prepareCredentials(def, run, rawConfig, log);
  const resources = await availableResources(def, run.container, config);
  const bindings = resolveBindings(def, resources, req.capture.bindings ?? []);
  const [{ checkOpenState }, { CaptureSession }] = await Promise.all([import('./capture/state-check'), import('./capture/capture-session')]);
  checkOpenState(req.state, bindings);
  // What the capture's first moments use, loaded before `opened` so that no binding's start waits for it.
  const classes = bindings.map((b) => b.resource.def.cls);
  if (mayUseHttp(def, classes)) run.http.warmUp();
  prepareInjection(classes);
  prepareLogger(log);
  const session = new CaptureSession(run.container, req, bindings, config, out, log, { ...DEFAULT_SESSION, ...options.session });
  session.stop.hardSignal.addEventListener('abort', () => abort.abort(session.stop.hardSignal.reason));
  void session.stop.wait().then(() => stopping.abort(new StoppedError(`stopping: ${session.stop.reason ?? 'requested'}`)));
  run.http.onRateLimitWait = (wait) => session.rateLimitWait(wait.host, wait.waitMs);
  options.onStoppable?.((reason) => session.stop.stop(reason));
  await send({ opened: { explicitAcknowledgements: session.requiresAcks } });

  const reader = readAcknowledgements(session, requests);
  let sessionError: unknown;
  try {
    await session.execute();
  } catch (err) {
    sessionError = err;
  } finally {
    await run.http.close();
  }
  // A broken request stream is the cause; the tasks it failed only report its consequence.
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows whatever was caught earlier, as a catch clause would
  if (reader.error !== undefined) throw reader.error;
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows whatever was caught earlier, as a catch clause would
  if (sessionError !== undefined) throw sessionError;
  await out.flush();
}

/**
 * Loads the endpoint config and creates the run's services; when a `@MigrateConfig` hook returns a
 * migrated config, logs it encrypted as a config update and starts over with it.
 */
async function migrateConfig(
  def: ConnectorDefinition,
  given: Record<string, unknown>,
  options: ServeOptions,
  signal: AbortSignal,
): Promise<{ rawConfig: Record<string, unknown>; config: object; run: RunContext }> {
  const log = options.log;
  let rawConfig = given;
  let config = loadModel(def.configClass, rawConfig);
  let run = await createRunContext(def, config, log, signal, options.http);
  const migrated = await callHook(def, run.container, 'migrateConfig', config);
  if (migrated !== undefined) {
    rawConfig = migrated.config;
    config = loadModel(def.configClass, rawConfig);
    const { encryptConfig, DEFAULT_ENCRYPTION_URL } = await import('../common/http');
    const encrypted = await encryptConfig(run.http, process.env.ENCRYPTION_URL ?? DEFAULT_ENCRYPTION_URL, rawConfig, def.configSchema);
    log.info({ eventType: 'configUpdate', config: encrypted }, migrated.message);
    await run.http.close();
    run = await createRunContext(def, config, log, signal, options.http);
  }
  return { rawConfig, config, run };
}

/** Lets the token source rotate credentials stored in the config before any request (logged as a config update). */
async function prepareCredentials(def: ConnectorDefinition, run: RunContext, rawConfig: Record<string, unknown>, log: Logger): Promise<void> {
  if (run.tokenSource?.prepare === undefined) return;
  const prepared = await run.tokenSource.prepare(run.http, { config: rawConfig, configSchema: def.configSchema });
  if (prepared.updatedConfig !== undefined) {
    log.info({ eventType: 'configUpdate', config: prepared.updatedConfig }, 'Rotating OAuth2 tokens in endpoint config.');
  }
}

/** Whether an error is the user's to fix (printed as one line without a stack). */
export function isUserError(err: unknown): boolean {
  return err instanceof CdkError && err.userError;
}

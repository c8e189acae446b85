import type { Readable, Writable } from 'node:stream';
import { CdkError, ProtocolError, StoppedError, describeError } from '../common/errors';
import type { Logger } from '../common/logger';
import { loadModel } from '../container/config-loader';
import { resolveClass } from '../container/run-container';
import type { ConnectorDefinition } from '../build/definition';
import { CaptureSession, type SessionOptions } from './capture/capture-session';
import { checkOpenState } from './capture/state-check';
import { readLines } from './io/line-reader';
import { OutputWriter } from './io/output-writer';
import { PROTOCOL_VERSION, validateRequest, type OpenRequest, type Request } from '../protocol';
import { availableResources, discoveredBindings, resolveBindings } from './resolve-resources';
import { createRunContext, type RunHttpOptions } from './run-services';

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

const KINDS = ['spec', 'discover', 'validate', 'apply', 'open', 'acknowledge'] as const;

/** Default graceful-stop deadline and periodic restart, as the Python CDK's. */
export const DEFAULT_SESSION: SessionOptions = { stopDeadlineMs: 10 * 60_000, periodicRestartMs: 24 * 3600_000 };

/**
 * Serves Flow capture protocol requests from `stdin` until it closes or a capture finishes.
 * Throws on failure (the caller logs the error last and exits 1).
 */
export async function serve(def: ConnectorDefinition, options: ServeOptions): Promise<void> {
  const out = new OutputWriter(options.stdout);
  const send = (msg: unknown): Promise<void> => out.write(JSON.stringify(msg) + '\n');
  const lines = readLines(options.stdin)[Symbol.asyncIterator]();
  let lineNo = 0;
  const next = async (): Promise<{ req: Request; kind: (typeof KINDS)[number] } | undefined> => {
    for (;;) {
      const r = await lines.next();
      if (r.done) return undefined;
      lineNo++;
      if (r.value.trim() === '') continue;
      return { ...parseRequest(r.value, lineNo) };
    }
  };
  for (;;) {
    const item = await next();
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
        await send({ discovered: { bindings: discoveredBindings(await availableResources(def, run.container, config)) } });
        break;
      }
      case 'validate': {
        const v = req.validate!;
        const config = loadModel(def.configClass, v.config);
        const run = await createRunContext(def, config, options.log, undefined, options.http);
        if (def.hooks.validate !== undefined) {
          const connector = resolveClass(run.container, def.cls) as Record<string, (c: unknown) => unknown>;
          await connector[def.hooks.validate]!(config);
        }
        const resolved = resolveBindings(def, await availableResources(def, run.container, config), v.bindings ?? []);
        await send({ validated: { bindings: resolved.map((b) => ({ resourcePath: [b.resource.name] })) } });
        break;
      }
      case 'apply':
        await send({ applied: { actionDescription: '' } });
        break;
      case 'open':
        await open(def, req.open!, options, out, send, next);
        return;
      case 'acknowledge':
        throw new ProtocolError(`request line ${lineNo}: acknowledge received before open`);
    }
  }
}

async function open(
  def: ConnectorDefinition,
  req: OpenRequest,
  options: ServeOptions,
  out: OutputWriter,
  send: (msg: unknown) => Promise<void>,
  next: () => Promise<{ req: Request; kind: string } | undefined>,
): Promise<void> {
  const log = options.log;
  let rawConfig = req.capture.config;
  let config = loadModel(def.configClass, rawConfig);
  const abort = new AbortController();
  // A graceful stop ends the HTTP client's waits (back-off, pacing) at once; requests in flight finish.
  const stopping = new AbortController();
  const http: RunHttpOptions = { ...options.http, stopSignal: stopping.signal };
  let run = await createRunContext(def, config, log, abort.signal, http);
  if (def.hooks.migrateConfig !== undefined) {
    const connector = resolveClass(run.container, def.cls) as Record<string, (c: unknown) => unknown>;
    const migrated = (await connector[def.hooks.migrateConfig]!(config)) as { message: string; config: Record<string, unknown> } | undefined;
    if (migrated !== undefined) {
      rawConfig = migrated.config;
      config = loadModel(def.configClass, rawConfig);
      const { encryptConfig, DEFAULT_ENCRYPTION_URL } = await import('../common/http');
      const encrypted = await encryptConfig(run.http, process.env.ENCRYPTION_URL ?? DEFAULT_ENCRYPTION_URL, rawConfig, def.configSchema);
      log.info({ eventType: 'configUpdate', config: encrypted }, migrated.message);
      await run.http.close();
      run = await createRunContext(def, config, log, abort.signal, http);
    }
  }
  if (run.tokenSource?.prepare !== undefined) {
    const prepared = await run.tokenSource.prepare(run.http, { config: rawConfig, configSchema: def.configSchema });
    if (prepared.updatedConfig !== undefined) {
      log.info({ eventType: 'configUpdate', config: prepared.updatedConfig }, 'Rotating OAuth2 tokens in endpoint config.');
    }
  }
  const resources = await availableResources(def, run.container, config);
  const bindings = resolveBindings(def, resources, req.capture.bindings ?? []);
  checkOpenState(req.state, bindings);
  run.http.warmUp();
  const session = new CaptureSession(run.container, req, bindings, config, out, log, { ...DEFAULT_SESSION, ...options.session });
  session.stop.hardSignal.addEventListener('abort', () => abort.abort(session.stop.hardSignal.reason));
  void session.stop.wait().then(() => stopping.abort(new StoppedError(`stopping: ${session.stop.reason ?? 'requested'}`)));
  run.http.onRateLimitWait = (wait) => session.rateLimitWait(wait.host, wait.waitMs);
  options.onStoppable?.((reason) => session.stop.stop(reason));
  await send({ opened: { explicitAcknowledgements: session.requiresAcks } });

  // Acknowledgements keep arriving while the capture runs; stdin closing asks for a graceful stop.
  let readerError: unknown;
  // Not awaited: Flow may keep stdin open after the capture ends.
  void (async () => {
    for (;;) {
      const item = await next();
      if (item === undefined) {
        session.stop.stop('stdin closed');
        session.transactor.releaseAll();
        return;
      }
      if (item.kind !== 'acknowledge') throw new ProtocolError(`unexpected ${item.kind} request during a capture; only acknowledge may follow open`);
      session.transactor.acknowledge(item.req.acknowledge?.checkpoints ?? 0);
    }
  })().catch((err: unknown) => {
    readerError = err;
    failOnReaderError(session, err);
  });
  let sessionError: unknown;
  try {
    await session.execute();
  } catch (err) {
    sessionError = err;
  } finally {
    await run.http.close();
  }
  // A broken request stream is the cause; the tasks it failed only report its consequence.
  if (readerError !== undefined) throw readerError;
  if (sessionError !== undefined) throw sessionError;
  await out.flush();
}

/**
 * A malformed request during a capture is fatal at once: checkpoints waiting for an acknowledgement
 * would otherwise wait forever, so they fail, and in-flight work is aborted.
 */
function failOnReaderError(session: CaptureSession, err: unknown): void {
  session.transactor.failAll(err);
  session.stop.abort(describeError(err));
}

/** Parses and validates one request line; names the line and what is wrong with it. */
export function parseRequest(line: string, lineNo: number): { req: Request; kind: (typeof KINDS)[number] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new ProtocolError(`request line ${lineNo} is not valid JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProtocolError(`request line ${lineNo} must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  const present = KINDS.filter((k) => (parsed as Record<string, unknown>)[k] !== undefined);
  if (present.length === 0) {
    const keys = Object.keys(parsed).filter((k) => k !== '$internal');
    throw new ProtocolError(`request line ${lineNo} is not a known request: expected one of ${KINDS.join(', ')}${keys.length ? `, got ${keys.join(', ')}` : ''}`);
  }
  if (present.length > 1) throw new ProtocolError(`request line ${lineNo} has several requests (${present.join(', ')}); send one per line`);
  const result = validateRequest(parsed);
  if (!result.success) {
    const problems = result.errors.slice(0, 5).map((e) => `${e.path.replace(/^\$input\.?/, '')}: expected ${e.expected}${e.value === undefined ? ' but it is missing' : ''}`);
    throw new ProtocolError(`request line ${lineNo} (${present[0]}) is malformed: ${problems.join('; ')}`);
  }
  return { req: result.data, kind: present[0]! };
}

/** Whether an error is the user's to fix (printed as one line without a stack). */
export function isUserError(err: unknown): boolean {
  return err instanceof CdkError && err.userError;
}

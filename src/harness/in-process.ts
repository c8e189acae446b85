import { PassThrough } from 'node:stream';
import type { Dispatcher } from 'undici';
import { createLogger } from '../common/logger';
import { applyMergePatch } from '../common/merge-patch';
import type { Class } from '../common/metadata';
import { buildConnector } from '../build/connector-builder';
import { decodeResponseLine, lineWriter, type ConnectorResponse } from '../protocol';
import { serve, type ServeOptions } from '../runtime/server';
import { checkCaptureResponse, eofWithinCheckpoint, expectOpened } from './capture-checks';
import type { CheckpointState } from './preview-session';
import { BindingCombiner } from './combiner';
import { HarnessError } from './harness-errors';
import { jsonText } from './json-utils';
import { encodeStateKey } from './state-key';

/** A binding given in full to {@link runConnectorInProcess}; omitted fields come from discovery. */
export interface InProcessBinding {
  /** The resource config, e.g. `{ name: 'orders', interval: 'PT0S' }`; fields not given take the discovered values. */
  resourceConfig: Record<string, unknown> & { name: string };
  /** Collection key as JSON pointers; default: the discovered key. */
  key?: string[];
  /** Collection name; default `acmeCo/<name>`. */
  collection?: string;
  /** The binding's backfill counter (changes the default state key to `<name>.v<n>`). */
  backfill?: number;
  /** The state key; default derived from the resource path as the control plane does. */
  stateKey?: string;
}

/** What `until` sees after every checkpoint. */
export interface InProcessProgress {
  /** Committed documents per binding (resource name), in the order they were captured. */
  readonly documents: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  /** Checkpoints so far. */
  readonly checkpoints: readonly CheckpointState[];
  /** The state with every checkpoint so far merged in. */
  readonly state: unknown;
}

/** Options of {@link runConnectorInProcess}. */
export interface InProcessOptions {
  /** The endpoint config, as Flow would send it (defaults are applied and it is validated). */
  config: unknown;
  /** Bindings: resource names or full bindings. Default: every discovered binding that is not disabled. */
  bindings?: ReadonlyArray<string | InProcessBinding>;
  /** The connector state to open with (e.g. a Python connector's saved state). */
  state?: unknown;
  /** Checked after every checkpoint; the capture stops gracefully once it returns true. */
  until?: (progress: InProcessProgress) => boolean;
  /** Stop after this many checkpoints (counting the ones that initialize binding state). */
  maxCheckpoints?: number;
  /**
   * An undici dispatcher (e.g. a `MockAgent` from `estuary-cdk/testing`) for every request of the
   * connector's HTTP client, instead of its own pools.
   */
  dispatcher?: Dispatcher;
  /** Fail when the capture has not stopped after this long. Default 30 s. */
  timeoutMs?: number;
  /** Validate documents against the discovered collection schemas and keys. Default true. */
  validate?: boolean;
  /** Minimum level of the collected logs. Default `debug`. */
  logLevel?: string;
  /** How long a graceful stop may take. Default 10 s. */
  stopDeadlineMs?: number;
}

/** What {@link runConnectorInProcess} captured. */
export interface InProcessRun {
  /** Committed documents per binding (resource name), as the connector emitted them (not combined). */
  documents: Map<string, Record<string, unknown>[]>;
  /** Every checkpoint, in order, up to the one that satisfied `until`/`maxCheckpoints`. */
  checkpoints: CheckpointState[];
  /** The opening state with every returned checkpoint merge-patched in: resume from it in a next run. */
  state: unknown;
  /** The connector's log lines, as objects (`{ level, msg, fields, ts }`). */
  logs: Record<string, unknown>[];
}

interface Resolved {
  name: string;
  resourceConfig: Record<string, unknown>;
  key: string[];
  collection: string;
  stateKey: string;
  backfill: number;
  schema: unknown;
}

/**
 * Runs a connector class inside the test's own process: builds it, serves `discover`, `validate` and
 * `open` over in-memory streams, collects what it captures, and stops it gracefully (as Flow does by
 * closing stdin) once `until` or `maxCheckpoints` holds, or when it finishes on its own. Documents
 * count once the checkpoint after them arrives, as in Flow. Fast, and breakpoints work; use
 * {@link runCapture} to test the connector as a separate process.
 *
 * @throws the connector's own error when it fails, {@link HarnessError} on a timeout or an invalid document.
 * @example
 * const run = await runConnectorInProcess(Shop, {
 *   config: { base_url: server.url, api_key: 'k' },
 *   bindings: ['orders'],
 *   until: (p) => (p.documents.get('orders')?.length ?? 0) >= 3,
 * });
 * expect(run.documents.get('orders')).to.have.length(3);
 */
export async function runConnectorInProcess(connector: Class, options: InProcessOptions): Promise<InProcessRun> {
  const definition = buildConnector(connector);
  const logs: Record<string, unknown>[] = [];
  const log = createLogger({
    level: options.logLevel ?? 'debug',
    destination: {
      write(line: string) {
        for (const l of line.split('\n')) if (l.trim() !== '') logs.push(JSON.parse(l) as Record<string, unknown>);
      },
    },
  });

  const stdin = new PassThrough();
  const inbox = new Inbox();
  // Every line is checked as `estuary preview` checks it; a bad one fails the connector's write.
  const stdout = lineWriter((line) => inbox.push(decodeResponseLine(line).response));
  const serveOptions: ServeOptions = {
    stdin,
    stdout,
    log,
    session: { stopDeadlineMs: options.stopDeadlineMs ?? 10_000 },
    ...(options.dispatcher !== undefined ? { http: { dispatcher: options.dispatcher } } : {}),
  };
  const served = serve(definition, serveOptions).then(
    () => inbox.end(undefined),
    (err: unknown) => {
      inbox.end(err);
      throw err;
    },
  );
  served.catch(() => undefined);
  const send = (request: unknown): void => {
    if (!stdin.writableEnded) stdin.write(jsonText(request) + '\n');
  };

  const timeoutMs = options.timeoutMs ?? 30_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stdin.end();
  }, timeoutMs);
  timer.unref();

  const config = options.config ?? {};
  const documents = new Map<string, Record<string, unknown>[]>();
  const checkpoints: CheckpointState[] = [];
  let state: unknown = structuredClone(options.state ?? {});
  try {
    const bindings = await resolveBindings(options.bindings, config, send, inbox);
    send({
      validate: {
        name: 'acmeCo/in-process',
        connectorType: 'LOCAL',
        config,
        bindings: bindings.map((b) => ({
          resourceConfig: b.resourceConfig,
          collection: { name: b.collection, key: b.key, writeSchema: b.schema ?? {} },
          ...(b.backfill !== 0 ? { backfill: b.backfill } : {}),
        })),
      },
    });
    await inbox.expect('validated');
    const validators =
      options.validate === false ? [] : bindings.map((b, index) => (b.schema === undefined ? undefined : new BindingCombiner({ index, collection: b.collection, key: b.key, writeSchema: b.schema })));
    for (const b of bindings) documents.set(b.name, []);
    send({
      open: {
        capture: {
          name: 'acmeCo/in-process',
          connectorType: 'LOCAL',
          config,
          intervalSeconds: 1,
          bindings: bindings.map((b) => ({
            resourceConfig: b.resourceConfig,
            resourcePath: [b.name],
            collection: { name: b.collection, key: b.key },
            stateKey: b.stateKey,
            ...(b.backfill !== 0 ? { backfill: b.backfill } : {}),
          })),
        },
        range: { keyBegin: 0, keyEnd: 4294967295 },
        state,
      },
    });
    const opened = await inbox.next();
    if (opened === undefined) throw new HarnessError('CONNECTOR_PROTOCOL', 'the connector finished before answering with opened');
    const acks = expectOpened(opened).explicitAcknowledgements;
    let uncommitted: Array<{ binding: number; doc: Record<string, unknown> }> = [];
    const done = (): boolean =>
      (options.maxCheckpoints !== undefined && checkpoints.length >= options.maxCheckpoints) || (options.until !== undefined && options.until({ documents, checkpoints, state }));
    let stopped = false;
    for (;;) {
      const m = await inbox.next();
      if (m === undefined) break;
      if (stopped) continue;
      const output = checkCaptureResponse(m, bindings.length);
      if (output.type === 'captured') {
        const { binding, doc } = output;
        validators[binding]?.check(doc);
        uncommitted.push({ binding, doc });
      } else if (output.type === 'checkpoint') {
        const update: CheckpointState = { updated: output.updated, mergePatch: output.mergePatch };
        checkpoints.push(update);
        state = update.mergePatch ? applyMergePatch(state, structuredClone(update.updated)) : structuredClone(update.updated);
        for (const { binding, doc } of uncommitted) documents.get(bindings[binding]!.name)!.push(doc);
        uncommitted = [];
        if (acks) send({ acknowledge: { checkpoints: 1 } });
        if (done()) {
          stopped = true;
          stdin.end();
        }
      }
    }
    await served;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
    if (timedOut && !stopped) throw timeoutError(timeoutMs, checkpoints.length);
    if (!stopped && uncommitted.length > 0) throw eofWithinCheckpoint();
  } catch (err) {
    stdin.end();
    await served.catch(() => undefined);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
    if (timedOut && !(err instanceof HarnessError && err.code === 'TIMEOUT')) throw timeoutError(timeoutMs, checkpoints.length, err);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return { documents, checkpoints, state, logs };
}

function timeoutError(ms: number, checkpoints: number, cause?: unknown): HarnessError {
  return new HarnessError(
    'TIMEOUT',
    `the capture did not reach its stop condition within ${ms} ms (${checkpoints} checkpoints); raise timeoutMs or check until/maxCheckpoints`,
    cause !== undefined ? { cause } : undefined,
  );
}

async function resolveBindings(requested: InProcessOptions['bindings'], config: unknown, send: (request: unknown) => void, inbox: Inbox): Promise<Resolved[]> {
  send({ discover: { connectorType: 'LOCAL', config } });
  const discovered = (await inbox.expect('discovered')).bindings;
  const byName = new Map(discovered.map((d) => [String(d.resourceConfig.name), d]));
  const wanted: InProcessBinding[] =
    requested === undefined
      ? discovered.filter((d) => d.disable !== true).map((d) => ({ resourceConfig: { ...d.resourceConfig, name: String(d.resourceConfig.name) } }))
      : requested.map((b) => (typeof b === 'string' ? { resourceConfig: { name: b } } : b));
  const problems: string[] = [];
  const out = wanted.map((b, i): Resolved => {
    const name = b.resourceConfig.name;
    const found = byName.get(name);
    const key = b.key ?? found?.key;
    if (key === undefined) problems.push(`binding ${i}: resource '${name}' was not discovered (discovered: ${[...byName.keys()].join(', ') || 'none'}); give its key to bind it anyway`);
    const backfill = b.backfill ?? 0;
    return {
      name,
      resourceConfig: { ...found?.resourceConfig, ...b.resourceConfig },
      key: key ?? [],
      collection: b.collection ?? `acmeCo/${name}`,
      stateKey: b.stateKey ?? encodeStateKey([name], backfill),
      backfill,
      schema: found?.documentSchema,
    };
  });
  if (problems.length > 0) throw new HarnessError('CATALOG_INVALID', problems.join('; '));
  if (out.length === 0) throw new HarnessError('CATALOG_INVALID', 'the connector discovered no enabled bindings, so there is nothing to capture');
  return out;
}

/** Responses in arrival order, awaited one at a time. */
class Inbox {
  private readonly queue: ConnectorResponse[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  private error: unknown;

  push(m: ConnectorResponse): void {
    this.queue.push(m);
    this.wake();
  }

  end(error: unknown): void {
    this.ended = true;
    this.error = error;
    this.wake();
  }

  /** The next response, or undefined once the connector finished. Throws the connector's error. */
  async next(): Promise<ConnectorResponse | undefined> {
    for (;;) {
      const m = this.queue.shift();
      if (m !== undefined) return m;
      if (this.ended) {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows whatever was caught earlier, as a catch clause would
        if (this.error !== undefined) throw this.error;
        return undefined;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /** The next response, which must be of `kind`. */
  async expect<K extends ConnectorResponse['type']>(kind: K): Promise<Extract<ConnectorResponse, { type: K }>> {
    const m = await this.next();
    if (m === undefined) throw new HarnessError('CONNECTOR_PROTOCOL', `the connector finished before answering with ${kind}`);
    if (m.type !== kind) throw new HarnessError('CONNECTOR_PROTOCOL', `expected ${kind}, got ${m.type}`);
    return m as Extract<ConnectorResponse, { type: K }>;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

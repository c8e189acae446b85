import { zlib } from '../common/lazy-builtins';
import { CaptureError } from '../common/errors';
import type { Logger } from '../common/logger';
import { flowLevel, type AirbyteMessage, type AirbyteSpec, type AirbyteStream, type ConfiguredCatalog, type SourceOutput } from './airbyte-protocol';
import type { ReadArgs, SourceDriver, SourceExit, SourceRun } from './source-driver';

/**
 * The shape of a faros-airbyte-cdk `AirbyteSourceBase` the shim calls, stated structurally so
 * estuary-cdk neither depends on nor loads faros-airbyte-cdk (an optional peer).
 */
export interface InProcessAirbyteSource {
  spec(): Promise<{ spec: object }>;
  check(config: never): Promise<{ connectionStatus: { status: string; message?: string } }>;
  discover(config: never): Promise<{ catalog: { streams: AirbyteStream[] } }>;
  read(config: never, redactedConfig: never, catalog: never, state: never): AsyncGenerator;
  onBeforeRun?(config: never): Promise<unknown>;
  onBeforeRead?(config: never, catalog: never, state?: never): Promise<{ config: unknown; catalog: unknown; state?: unknown }>;
  onAfterRead?(config: never): Promise<void>;
}

interface AirbyteLoggerLike {
  write(msg: AirbyteMessage): Promise<void>;
}

type Loose = (...args: unknown[]) => Promise<unknown>;

/** Runs a faros-airbyte-cdk source in this process: no child, no JSON round trip of records. */
export class InProcessSource implements SourceDriver {
  readonly description: string;

  constructor(
    private readonly source: InProcessAirbyteSource,
    private readonly log: Logger,
    private readonly stopGraceMs = 10_000,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a source built with Object.create(null) has no constructor
    this.description = `in-process source ${source.constructor?.name ?? 'source'}`;
  }

  async spec(): Promise<AirbyteSpec> {
    const restore = this.captureLogger(() => undefined);
    try {
      return (await this.source.spec()).spec as AirbyteSpec;
    } finally {
      restore();
    }
  }

  async check(config: Record<string, unknown>): Promise<{ status: string; message?: string }> {
    const restore = this.captureLogger(() => undefined);
    try {
      return ((await (this.source.check as Loose)(config)) as { connectionStatus: { status: string; message?: string } }).connectionStatus;
    } finally {
      restore();
    }
  }

  async discover(config: Record<string, unknown>): Promise<AirbyteStream[]> {
    const restore = this.captureLogger(() => undefined);
    try {
      return ((await (this.source.discover as Loose)(config)) as { catalog: { streams: AirbyteStream[] } }).catalog.streams;
    } finally {
      restore();
    }
  }

  read(args: ReadArgs): SourceRun {
    return new InProcessRun(this, args);
  }

  /** @internal Runs the read as faros' `AirbyteSourceRunner` does, minus the stdout writes. */
  async *messages(args: ReadArgs, side: SourceOutput[], stopped: () => boolean): AsyncGenerator<SourceOutput> {
    const restore = this.captureLogger((m) => side.push({ message: m }));
    const s = this.source as unknown as Record<string, Loose | undefined>;
    try {
      let config: unknown = args.config;
      if (s.onBeforeRun !== undefined) config = await s.onBeforeRun.call(this.source, config);
      let catalog: unknown = args.catalog;
      let state = decodeFarosState(args.state) ?? {};
      if (s.onBeforeRead !== undefined) {
        const r = (await s.onBeforeRead.call(this.source, config, catalog, state)) as { config: unknown; catalog: unknown; state?: unknown };
        ({ config, catalog } = r);
        state = (r.state as Record<string, unknown> | undefined) ?? {};
      }
      const it = (this.source.read as unknown as (...a: unknown[]) => AsyncGenerator).call(this.source, config, config, catalog as ConfiguredCatalog, state);
      for await (const message of it) {
        while (side.length > 0) yield side.shift()!;
        yield { message: message as AirbyteMessage };
        if (stopped()) return;
      }
      while (side.length > 0) yield side.shift()!;
      if (s.onAfterRead !== undefined) await s.onAfterRead.call(this.source, config);
    } finally {
      restore();
    }
  }

  /**
   * faros loggers write AirbyteMessages straight to process.stdout, which here carries the Flow
   * protocol: route them through the shim instead (logs become Flow logs) while the source runs.
   */
  private captureLogger(sink: (m: AirbyteMessage) => void): () => void {
    const logger = (this.source as unknown as { logger?: AirbyteLoggerLike }).logger;
    if (logger === undefined || typeof logger.write !== 'function') return () => undefined;
    const had = Object.prototype.hasOwnProperty.call(logger, 'write');
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be restored as the logger own property
    const original = logger.write;
    logger.write = (msg: AirbyteMessage): Promise<void> => {
      if (msg.type === 'LOG' && msg.log !== undefined) this.log[flowLevel(msg.log.level)]({ stack_trace: msg.log.stack_trace }, msg.log.message);
      else sink(msg);
      return Promise.resolve();
    };
    return () => {
      if (had) logger.write = original;
      else delete (logger as Partial<AirbyteLoggerLike>).write;
    };
  }

  get graceMs(): number {
    return this.stopGraceMs;
  }

  get logger(): Logger {
    return this.log;
  }
}

class InProcessRun implements SourceRun {
  private stopping = false;
  private readonly side: SourceOutput[] = [];
  private finished!: (exit: SourceExit) => void;
  private readonly exited = new Promise<SourceExit>((r) => (this.finished = r));
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly src: InProcessSource,
    private readonly args: ReadArgs,
  ) {}

  get output(): AsyncIterable<SourceOutput> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the async generator below is a function expression with its own this
    const self = this;
    return (async function* () {
      try {
        yield* self.src.messages(self.args, self.side, () => self.stopping);
        self.done({ code: 0, killed: false, stderrTail: [] });
      } catch (error) {
        self.done({ code: 1, killed: false, error, stderrTail: [] });
      } finally {
        // The consumer gave up early (a failure): the run is over either way.
        self.done({ code: null, killed: false, stderrTail: [] });
      }
    })();
  }

  private done(exit: SourceExit): void {
    clearTimeout(this.graceTimer);
    this.finished(exit);
  }

  stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.src.logger.info({ reason }, 'stopping the in-process Airbyte source');
    // A source awaiting I/O cannot be interrupted: after the grace period it is abandoned.
    this.graceTimer = setTimeout(() => {
      this.src.logger.warn(`${this.src.description} did not return within ${this.src.graceMs} ms of the stop request; abandoning it`);
      this.finished({ code: null, killed: true, stderrTail: [], error: new CaptureError(`${this.src.description} did not stop within ${this.src.graceMs} ms`, { code: 'AIRBYTE_SOURCE' }) });
    }, this.src.graceMs);
    this.graceTimer.unref();
  }

  exit(): Promise<SourceExit> {
    return this.exited;
  }
}

/**
 * The state faros sources read, from the contents of a `--state` file, as faros' `State.decode`
 * does: STREAM arrays become `{stream: state}`, legacy blobs (`{format: 'base64/gzip', data}`,
 * optionally under `data`) are decompressed.
 */
export function decodeFarosState(state: unknown): Record<string, unknown> | undefined {
  if (state === undefined || state === null) return undefined;
  if (Array.isArray(state)) {
    const first = state[0] as { type?: string } | undefined;
    if (first?.type === 'STREAM') {
      const out: Record<string, unknown> = {};
      for (const e of state as { stream?: { stream_descriptor?: { name?: string }; stream_state?: unknown } }[]) {
        const name = e.stream?.stream_descriptor?.name;
        if (name !== undefined && e.stream?.stream_state !== undefined) out[name] = decompress(e.stream.stream_state);
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    return decodeFarosState(state[0]);
  }
  const wrapped = (state as { data?: { format?: string; data?: string } }).data;
  if (wrapped?.format !== undefined && wrapped.data !== undefined) return decompress(wrapped) as Record<string, unknown>;
  return decompress(state) as Record<string, unknown>;
}

function decompress(v: unknown): unknown {
  const c = v as { format?: string; data?: string } | null;
  if (c?.format !== undefined && typeof c.data === 'string') {
    if (c.format !== 'base64/gzip') throw new CaptureError(`unsupported faros state format ${c.format}`, { code: 'STATE_INVALID' });
    return JSON.parse(zlib().gunzipSync(Buffer.from(c.data, 'base64')).toString()) as unknown;
  }
  return v;
}

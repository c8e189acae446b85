import type { DependencyContainer } from 'tsyringe';
import { capYoungGeneration } from './heap-tuning';
import { CaptureError, StoppedError, describeError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { nextFire } from '../../common/cron';
import { inShardRange, shardHash } from '../../common/shard-hash';
import { compareDateTimes, formatDateTime, parseDateTime } from '../../common/time';
import { BindingContext } from '../../container/binding-context';
import { createBindingContainer, resolveClass } from '../../container/run-container';
import type { OutputWriter } from '../io/output-writer';
import type { OpenRequest } from '../../protocol';
import type { ResolvedBinding } from '../resolve-resources';
import { runBackfill, type BackfillState } from './backfill-driver';
import type { BoundBinding } from './bound-binding';
import { ConnectorStatus, type StatusTiming } from './connector-status';
import { runIncremental } from './incremental-driver';
import { runSnapshot, snapshotState } from './snapshot-driver';
import { decodeCursor, encodeCursor, type CursorValue } from './state-codec';
import { StopSignal } from './stop-signal';
import { Task } from './task';
import { Transactor } from './transactor';
import { compileDocumentCheck, type DocumentCheck } from './document-check';
import { initialBindingState, orderedBindingState, subtaskIds, subtaskState, type StoredBackfill, type StoredBindingState, type StoredIncremental } from './binding-state';

/** The task options every task of a session shares. */
type SharedTaskOptions = ConstructorParameters<typeof Task>[2];

/** The connector state `open` carries, as far as the session reads it. */
interface OpenState {
  bindingStateV1?: Record<string, StoredBindingState | null>;
  backfillRequests?: Record<string, unknown>;
}

/** The name of the capture's root task, the parent of every binding task. */
const ROOT_TASK = 'capture';

/** Tunables of a capture session. */
export interface SessionOptions {
  /** How long a graceful stop may take before stuck tasks are reported and the process fails. */
  stopDeadlineMs: number;
  /** Restart (exit 0) after this long, as the Python CDK does every 24 h. */
  periodicRestartMs: number;
  /** Bytes a task buffers in memory before spilling to disk. */
  spillBytes?: number;
  /** When backfill progress is reported as connector status (default: the Python CDK's, after 5 s then every 1 s). */
  statusTiming?: StatusTiming;
}

/** A running capture: created on `open`, finished when every task returned. */
export class CaptureSession {
  readonly stop = new StopSignal();
  readonly transactor: Transactor;
  private firstError: { task: string; error: unknown } | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private readonly status: ConnectorStatus;
  private readonly documentChecks: readonly DocumentCheck[];

  constructor(
    private readonly run: DependencyContainer,
    private readonly open: OpenRequest,
    private readonly bindings: readonly ResolvedBinding[],
    private readonly config: unknown,
    out: OutputWriter,
    private readonly log: Logger,
    private readonly options: SessionOptions,
  ) {
    this.transactor = new Transactor(out, this.requiresAcks);
    this.status = new ConnectorStatus(log, options.statusTiming);
    this.documentChecks = bindings.map((rb) => compileDocumentCheck(rb.resource.name, rb.resource.schema as Record<string, unknown>, rb.spec.collection.key));
  }

  /** Whether any bound resource requires explicit acknowledgements. */
  get requiresAcks(): boolean {
    return this.bindings.some((b) => b.resource.def.explicitAcks);
  }

  /** Runs the capture until every task returns; throws naming the first failed task. */
  async execute(): Promise<void> {
    capYoungGeneration();
    const shared: SharedTaskOptions = { transactor: this.transactor, stop: this.stop, ...(this.options.spillBytes !== undefined ? { spillBytes: this.options.spillBytes } : {}) };
    const root = new Task(ROOT_TASK, this.log, shared, false);
    const restart = setTimeout(() => this.stop.stop('periodic restart'), Math.min(this.options.periodicRestartMs, 2 ** 31 - 1));
    restart.unref();
    try {
      const state = (this.open.state ?? {}) as OpenState;
      const requested = await this.clearRequestedBackfills(root, state);
      const now = new Date();
      let soonest: Date | undefined;
      const indexByName = new Map(this.bindings.map((b, i) => [b.resource.name, i] as const));
      for (const [index, rb] of this.bindings.entries()) {
        const stateKey = rb.spec.stateKey ?? rb.resource.name;
        const stored = requested.includes(stateKey) ? undefined : (state.bindingStateV1?.[stateKey] ?? undefined);
        const b = this.bind(index, rb, stateKey, indexByName);
        const { current, nextSchedule } = await this.initializeBinding(root, b, stored, now);
        if (nextSchedule !== undefined && (soonest === undefined || nextSchedule < soonest)) soonest = nextSchedule;
        this.startBinding(b, current, shared);
      }
      if (this.bindings.some((b) => b.resource.def.webhook !== undefined)) this.startWebhookServer(shared);
      if (soonest !== undefined) this.stopAt(soonest, 'scheduled re-backfill');
      this.status.status(this.bindings.length === 0 ? 'Capture started. No bindings are enabled.' : 'Capture started.');
      this.status.started();
      await this.waitAll();
    } finally {
      clearTimeout(restart);
      this.status.close();
    }
    if (this.firstError !== undefined) {
      throw new CaptureError(`Task ${this.firstError.task}: ${describeError(this.firstError.error)}`, { cause: this.firstError.error });
    }
  }

  /** Checkpoints away the state of bindings whose backfill was requested; returns their state keys. */
  private async clearRequestedBackfills(root: Task, state: OpenState): Promise<string[]> {
    const requested = Object.keys(state.backfillRequests ?? {});
    for (const key of requested) {
      root.log.info({ stateKey: key }, 'clearing checkpoint due to backfill trigger');
      await root.checkpoint({ bindingStateV1: { [key]: null }, backfillRequests: { [key]: null } });
    }
    return requested;
  }

  /**
   * The state a binding runs from: its stored state, or a fresh one (checkpointed) when it has none
   * or its schedule fired while it was not running. Also returns the binding's next scheduled fire.
   */
  private async initializeBinding(root: Task, b: BoundBinding, stored: StoredBindingState | null | undefined, now: Date): Promise<{ current: StoredBindingState; nextSchedule: Date | undefined }> {
    const stateKey = b.stateKey;
    let initialize = stored === undefined || stored === null;
    let connectorInitiated = false;
    let nextSchedule: Date | undefined;
    if (stored !== undefined && stored !== null) {
      if (stored.last_initialized === undefined || stored.last_initialized === null) {
        // As Python does, the whole binding state is written again with the field added.
        stored = orderedBindingState({ ...stored, last_initialized: formatDateTime(now) });
        await root.checkpoint({ bindingStateV1: { [stateKey]: stored } });
      }
      if (!stored.backfill && b.schedule) {
        const missed = nextFire(b.schedule, parseDateTime(stored.last_initialized), now);
        nextSchedule = nextFire(b.schedule, now);
        if (missed !== undefined) {
          initialize = true;
          connectorInitiated = true;
        }
      }
    }
    if (!initialize) return { current: stored as StoredBindingState, nextSchedule };
    let current = initialBindingState(b, now);
    if (connectorInitiated && stored) {
      // A scheduled re-backfill keeps the incremental cursor and backfills up to its oldest value.
      const min = minDatetimeCursor(stored);
      if (min !== undefined && current.backfill && b.def.incremental?.cursor === 'datetime') {
        current = { ...stored, backfill: withCutoff(current.backfill, formatDateTime(min)) };
      }
      current.is_connector_initiated = true;
    }
    current.last_initialized = formatDateTime(now);
    current = orderedBindingState(current);
    await root.checkpoint({ bindingStateV1: { [stateKey]: current } });
    return { current, nextSchedule };
  }

  /** Stops the capture gracefully at `when` (a schedule fire), so the restart re-initializes bindings. */
  private stopAt(when: Date, reason: string): void {
    setTimeout(() => this.stop.stop(reason), Math.min(when.getTime() - Date.now(), 2 ** 31 - 1)).unref();
  }

  private bind(index: number, rb: ResolvedBinding, stateKey: string, indexByName: Map<string, number>): BoundBinding {
    const log = this.log.child({ binding: rb.resource.name });
    const ctx = new BindingContext(index, rb.resource.name, rb.resourceConfig, stateKey, { name: rb.spec.collection.name, key: rb.spec.collection.key }, rb.resource.params, log);
    const instance = resolveClass(createBindingContainer(this.run, ctx), rb.resource.def.cls) as Record<string, unknown>;
    return {
      index,
      stateKey,
      name: rb.resource.name,
      def: rb.resource.def,
      intervalMs: rb.intervalMs,
      schedule: typeof rb.resourceConfig.schedule === 'string' && rb.resourceConfig.schedule.trim() !== '' ? rb.resourceConfig.schedule : undefined,
      instance,
      context: ctx,
      config: this.config,
      params: rb.resource.params,
      indexByName,
      documents: this.bindings.map((x) => x.resource.def.document),
      documentChecks: this.documentChecks,
    };
  }

  /** Starts a binding's tasks: one per strategy, or one per subtask in this shard's key range. */
  private startBinding(b: BoundBinding, state: StoredBindingState, shared: SharedTaskOptions): void {
    this.status.addBinding();
    const optCtx = { config: b.config, params: b.params };
    const incremental = b.def.incremental;
    if (incremental !== undefined) {
      this.fanOut(b, 'incremental', subtaskIds(incremental.subtasks, optCtx), shared, (id) => {
        const stored = subtaskState(state.inc, id);
        return (task) => this.runIncrementalTask(task, b, stored, id);
      });
    }
    const backfill = b.def.backfill;
    if (backfill !== undefined && state.backfill) {
      this.fanOut(b, 'backfill', subtaskIds(backfill.subtasks, optCtx), shared, (id) => {
        const stored = subtaskState(state.backfill, id);
        if (!stored) return undefined;
        return (task) => this.runBackfillTask(task, b, stored, id, state);
      });
    }
    if (b.def.snapshot !== undefined) {
      this.fanOut(b, 'snapshot', subtaskIds(b.def.snapshot.subtasks, optCtx), shared, (id) => {
        const stored = subtaskState(state.snapshot, id);
        return (task) => runSnapshot(task, b, snapshotState(stored), id);
      });
    }
  }

  /**
   * Spawns a task `capture.<binding>.<kind>[.<subtask>]` for each subtask id (or one without), skipping those
   * outside this shard's key range and those `body` declines (returns undefined for).
   */
  private fanOut(
    b: BoundBinding,
    kind: 'incremental' | 'backfill' | 'snapshot',
    ids: readonly string[] | undefined,
    shared: SharedTaskOptions,
    body: (id: string | undefined) => ((task: Task) => Promise<void>) | undefined,
  ): void {
    for (const id of ids ?? [undefined]) {
      if (!inShardRange(shardHash(b.stateKey, id), this.open.range)) continue;
      const run = body(id);
      if (run !== undefined) this.spawn(`${b.name}.${kind}${id === undefined ? '' : `.${id}`}`, b.def.explicitAcks, shared, run);
    }
  }

  /** Starts the `capture.webhook-server` task, which outlives the others during a graceful stop. */
  private startWebhookServer(shared: SharedTaskOptions): void {
    const self = `${ROOT_TASK}.webhook-server`;
    const othersDone = async (): Promise<void> => {
      for (let others = [...this.running].filter(([n]) => n !== self); others.length > 0; others = [...this.running].filter(([n]) => n !== self)) {
        await Promise.all(others.map(([, p]) => p));
      }
    };
    // Loaded only by captures with webhook bindings: the server, its routing and publisher (and node:http).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, keeping the start of other captures light
    const { runWebhookServer } = require('../webhook/webhook-task') as typeof import('../webhook/webhook-task');
    this.spawn('webhook-server', true, shared, (task) => runWebhookServer({ bindings: this.bindings, config: this.config, transactor: this.transactor, stop: this.stop, log: task.log, othersDone }));
  }

  /** Runs `body` as a named task; its failure is logged, remembered (first one wins) and stops the capture. */
  private spawn(suffix: string, acks: boolean, shared: SharedTaskOptions, body: (task: Task) => Promise<void>): void {
    // Binding tasks are children of the root task, named as Python names them (capture.items.incremental).
    const name = `${ROOT_TASK}.${suffix}`;
    const task = new Task(name, this.log.child({ task: name }), shared, acks);
    const p = body(task).catch((error: unknown) => {
      if (this.stoppedCleanly(error)) return task.log.debug({ reason: this.stop.reason }, `task ${name} ended by the stop`);
      // The broken request stream is reported once, as the fatal line; the tasks it failed only echo it.
      if (this.transactor.isStreamFailure(error)) return task.log.debug(`task ${name} ended: the request stream failed`);
      task.log.error({ error: describeError(error) }, `task ${name} failed`);
      if (this.firstError === undefined) this.firstError = { task: name, error };
      this.stop.stop(`task ${name} failed`);
    });
    this.running.set(
      name,
      p.finally(() => this.running.delete(name)),
    );
  }

  private async runIncrementalTask(task: Task, b: BoundBinding, stored: StoredIncremental | null | undefined, id: string | undefined): Promise<void> {
    const incremental = b.def.incremental!;
    let cursor: CursorValue;
    if (stored === undefined || stored === null) {
      // A subtask added since the binding was initialized starts from the initial cursor.
      cursor = incremental.initial!({ config: b.config, params: b.params }) as CursorValue;
      await task.checkpoint({ bindingStateV1: { [b.stateKey]: { inc: id === undefined ? { cursor: encodeCursor(cursor) } : { [id]: { cursor: encodeCursor(cursor) } } } } });
    } else cursor = decodeCursor(incremental.cursor, stored.cursor, `${incremental.where} state of ${b.stateKey}`);
    await runIncremental(task, b, cursor, id);
  }

  private async runBackfillTask(task: Task, b: BoundBinding, stored: StoredBackfill, id: string | undefined, state: StoredBindingState): Promise<void> {
    const cutoffKind = b.def.incremental?.cursor ?? 'datetime';
    const bs: BackfillState = { cutoff: decodeCursor(cutoffKind, stored.cutoff, `${b.def.backfill!.where} state of ${b.stateKey}`), next_page: stored.next_page ?? null };
    this.status.startBackfill(b.index);
    const completed = await runBackfill(task, b, bs, id, state.is_connector_initiated === true);
    this.status.endBackfill(b.index);
    if (completed && b.schedule !== undefined && state.last_initialized) {
      const now = new Date();
      if (nextFire(b.schedule, parseDateTime(state.last_initialized), now) !== undefined) {
        task.log.info('Backfill completed after the next backfill was scheduled. Resetting the connector to keep adherence to the schedule.');
        this.stop.stop('schedule');
      } else {
        const future = nextFire(b.schedule, now);
        if (future !== undefined) this.stopAt(future, 'scheduled re-backfill');
      }
    }
  }

  /** Reports a rate-limit wait of the HTTP client as connector status, so a user sees why the capture is slow. */
  rateLimitWait(host: string, waitMs: number): void {
    this.status.rateLimited(host, waitMs);
  }

  /**
   * A {@link StoppedError} during a graceful stop ends a task without failing it: a wait (back-off,
   * pacing) was cut short, and the documents since its last checkpoint are captured again next time.
   */
  private stoppedCleanly(error: unknown): boolean {
    return error instanceof StoppedError && this.stop.stopping && !this.stop.hardSignal.aborted;
  }

  private async waitAll(): Promise<void> {
    let deadline: NodeJS.Timeout | undefined;
    const stopped = this.stop.wait().then(() => {
      this.log.info({ reason: this.stop.reason, running: [...this.running.keys()] }, 'stopping capture tasks gracefully');
      deadline = setTimeout(() => {
        const stuck = [...this.running.keys()];
        if (stuck.length === 0) return;
        this.firstError ??= { task: stuck.join(', '), error: new Error(`did not stop within ${this.options.stopDeadlineMs} ms`) };
        this.stop.abort('stop deadline passed');
        this.deadlineHit?.(stuck);
      }, this.options.stopDeadlineMs);
      deadline.unref();
    });
    void stopped;
    const hit = new Promise<string[]>((resolve) => (this.deadlineHit = resolve));
    while (this.running.size > 0) {
      const r = await Promise.race([Promise.all([...this.running.values()]).then(() => undefined), hit]);
      if (Array.isArray(r)) {
        throw new CaptureError(`graceful stop did not finish within ${this.options.stopDeadlineMs} ms; stuck tasks: ${r.join(', ')}`, { code: 'STOP_DEADLINE' });
      }
    }
    if (deadline !== undefined) clearTimeout(deadline);
  }

  private deadlineHit: ((stuck: string[]) => void) | undefined;
}

function minDatetimeCursor(state: StoredBindingState): Date | undefined {
  // Compared to the microsecond; the minimum keeps the text it was stored with.
  const inc = state.inc as Record<string, unknown> | undefined;
  if (!inc) return undefined;
  const cursors = 'cursor' in inc ? [inc.cursor] : Object.values(inc).map((v) => (v as StoredIncremental | null)?.cursor);
  let min: Date | undefined;
  for (const c of cursors) {
    try {
      const d = parseDateTime(c);
      if (min === undefined || compareDateTimes(d, min) < 0) min = d;
    } catch {
      // not a datetime cursor
    }
  }
  return min;
}

function withCutoff(backfill: NonNullable<StoredBindingState['backfill']>, cutoff: string): StoredBindingState['backfill'] {
  if (typeof backfill === 'object' && 'cutoff' in backfill) return { ...backfill, cutoff };
  return Object.fromEntries(Object.entries(backfill as Record<string, StoredBackfill | null>).map(([k, v]) => [k, { ...v, cutoff }]));
}

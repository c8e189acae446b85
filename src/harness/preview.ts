import { existsSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CatalogBinding, loadCatalog, LoadedCatalog, loadConfigFile, readDataFile } from './catalog-loader';
import { BindingCombiner } from './combiner';
import { connectorCommand } from './connector-command';
import { ConnectorLog } from './connector-log';
import { ConnectorLaunch } from './connector-process';
import { CheckpointState, CommittedTransaction, runPreviewSession } from './preview-session';
import { CatalogError, HarnessError } from './harness-errors';
import { applyMergePatch, composeMergePatches, jsonText, JsonObject, sortKeys } from './json-utils';
import { BindingRequest, resolveTask, PreviewBinding } from './task-resolver';
import { callUnary } from './unary-rpc';
import { splitKeyRange } from './key-range';

/** Progress the harness reports while it runs. */
export type PreviewEvent =
  | { type: 'session-start'; session: number; shards: number; bindings: readonly PreviewBinding[] }
  | {
      type: 'transaction';
      session: number;
      shard: number;
      transaction: number;
      checkpoints: number;
      bindings: Array<{ collection: string; captured: number; combined: number; checkpoints: number }>;
    }
  | { type: 'session-end'; session: number; transactions: number };

/** Options of {@link runPreview}. */
export interface PreviewOptions {
  /** The connector command; wins over `connector` and the catalog's `local.command`. */
  command?: readonly string[];
  /** A connector path for `estuary run`; becomes {@link connectorCommand}(connector). */
  connector?: string;
  /** A Flow catalog such as `test.flow.yaml`. */
  source?: string;
  /** Which capture of the catalog, when it has several. */
  captureName?: string;
  /** The endpoint config, or the path of a YAML/JSON file holding it; overrides the catalog's. */
  config?: unknown;
  /** Bindings to capture; override the catalog's. Without any, all discovered bindings are captured. */
  bindings?: BindingRequest[];
  /**
   * Transactions per session, as `flowctl preview --sessions`: `3` is one session of three
   * transactions, `[1, 2]` two sessions; `-1` runs a session until the connector exits (the default).
   */
  sessions?: number | readonly number[];
  /** Wait before each poll for a transaction, in milliseconds, counted from `opened` (default 0). */
  delayMs?: number;
  /** End a session when no checkpoint arrives this long after a poll (default: wait indefinitely, as flowctl does). */
  idleTimeoutMs?: number;
  /**
   * End the run after the transaction whose merged connector state (or progress) satisfies `until`
   * (checked after every commit), so a spec waits for what it needs instead of a fixed delay. Combine
   * with `sessions: -1`, or a session also ends at its transaction count.
   */
  until?: (state: unknown, progress: PreviewProgress) => boolean;
  /** End the run after the transaction that brings the printed documents to at least this many. */
  untilDocuments?: number;
  /**
   * Stop the whole run after this long. By default it then ends as `flowctl preview --timeout` does:
   * gracefully, with what was committed; with `failOnTimeout` it throws a `TIMEOUT` {@link HarnessError}.
   */
  timeoutMs?: number;
  /** Throw instead of stopping gracefully when `timeoutMs` passes before the stop condition held. */
  failOnTimeout?: boolean;
  /**
   * Keep `lines`, `records` and `checkpoints` in the result (default true). Pass false to stream with
   * `onOutput` only: memory then stays bounded by one transaction's combined documents.
   */
  collect?: boolean;
  /** Receives each transaction's documents as `[collection, document]` pairs, in output order. */
  onRecords?: (records: ReadonlyArray<readonly [string, JsonObject]>) => void;
  /** Resume from and persist the connector state to this JSON file after every transaction. */
  stateFile?: string;
  /** The state of the first session when there is no state file. */
  initialState?: unknown;
  /** Emit `["connectorState", …]` lines as `flowctl preview --output-state` does. */
  outputState?: boolean;
  /** Run this many connector processes per session, each over its share of the key range. */
  shards?: number;
  /** Extra environment for the connector, e.g. the URL of a local mock server. */
  env?: Record<string, string>;
  /** Working directory of the connector (defaults to the catalog's directory for catalog commands). */
  cwd?: string;
  /** Receives output lines as each transaction commits; a returned promise holds back the next poll until it settles. */
  onOutput?: (lines: string[]) => unknown;
  /** Receives each connector log line. */
  onLog?: (log: ConnectorLog) => void;
  /** Receives progress events. */
  onProgress?: (event: PreviewEvent) => void;
}

/** What `until` sees besides the merged state. */
export interface PreviewProgress {
  /** Documents printed so far, over all sessions and bindings. */
  documents: number;
  /** Transactions committed so far. */
  transactions: number;
}

/** What {@link runPreview} captured. */
export interface PreviewResult {
  /** Output lines as `flowctl preview` prints them. */
  lines: string[];
  /** Captured documents as `[collection, document]`, in output order. */
  records: Array<[string, JsonObject]>;
  /** The final connector state, all checkpoints merged. */
  state: unknown;
  /** Every checkpoint state update, in commit order. */
  checkpoints: CheckpointState[];
  /** Acknowledgements sent, each the number of checkpoints acknowledged. */
  acknowledgements: number[];
  transactions: number;
  sessions: number;
  bindings: PreviewBinding[];
  /** Documents printed, over all sessions and bindings (counted even when `collect` is false). */
  documents: number;
  /** True when `until` or `untilDocuments` held after some transaction; the run then ended. */
  stopConditionMet: boolean;
  /** True when `timeoutMs` passed and stopped the run. */
  timedOut: boolean;
}

const UNBOUNDED = -1;

function sessionPlan(sessions: PreviewOptions['sessions']): number[] {
  if (sessions === undefined) return [UNBOUNDED];
  const list = typeof sessions === 'number' ? [sessions] : [...sessions];
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || (n < 1 && n !== UNBOUNDED))) {
    throw new CatalogError(`sessions must be positive integers (or -1 for "until the connector exits"); got ${JSON.stringify(sessions)}`);
  }
  return list;
}

function catalogBindings(catalog: LoadedCatalog): BindingRequest[] {
  return catalog.bindings.map((b: CatalogBinding) => {
    const collection = catalog.collections.get(b.target);
    return {
      resource: b.resource,
      target: b.target === '' ? undefined : b.target,
      schema: collection?.writeSchema,
      key: collection?.key,
      backfill: b.backfill,
      disable: b.disable,
    };
  });
}

function loadInitialState(options: PreviewOptions): unknown {
  if (options.stateFile !== undefined && existsSync(options.stateFile)) {
    return readDataFile(options.stateFile, 'state file', true) ?? {};
  }
  return options.initialState ?? {};
}

function persistState(file: string, state: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${jsonText(state, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * Plays the Flow runtime against a connector, as `flowctl preview` does: spec, discover when needed,
 * validate, then per session apply and open; documents are validated, combined by key and printed per
 * transaction; checkpoint states are merged and handed to the next session.
 *
 * @example
 * const result = await runPreview({ source: 'test.flow.yaml', sessions: 1 });
 * for (const line of result.lines) console.log(line);
 */
export async function runPreview(options: PreviewOptions): Promise<PreviewResult> {
  const catalog = options.source !== undefined ? loadCatalog(options.source, options.captureName) : undefined;
  const fromCatalog = options.command === undefined && options.connector === undefined;
  const command = options.command ?? (options.connector !== undefined ? connectorCommand(options.connector) : catalog?.command);
  if (!command || command.length === 0) {
    throw new CatalogError('no connector to run: name one, pass a command, or use a --source catalog with endpoint.local.command');
  }
  const launch: ConnectorLaunch = {
    command,
    cwd: options.cwd ?? (fromCatalog ? catalog?.cwd : undefined),
    env: { ...catalog?.env, ...options.env },
    onLog: options.onLog,
  };
  const config = typeof options.config === 'string' ? loadConfigFile(path.resolve(options.config)) : (options.config ?? catalog?.config ?? {});
  const captureName = catalog?.captureName ?? options.captureName ?? 'acmeCo/preview';
  const plan = sessionPlan(options.sessions);
  const shards = options.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1) throw new CatalogError(`shards must be a positive integer; got ${shards}`);

  const task = await resolveTask({
    captureName,
    launch,
    config,
    bindings: options.bindings ?? (catalog ? catalogBindings(catalog) : undefined),
  });
  const captureSpec: JsonObject = {
    name: captureName,
    connectorType: 'LOCAL',
    config,
    intervalSeconds: catalog?.intervalSeconds ?? 300,
    bindings: task.bindings.map((b) => ({
      resourceConfig: b.resourceConfig,
      resourcePath: b.resourcePath,
      collection: { name: b.collection, writeSchema: b.writeSchema, key: b.key, uuidPtr: '/_meta/uuid' },
      stateKey: b.stateKey,
      ...(b.backfill !== 0 ? { backfill: b.backfill } : {}),
    })),
  };

  const result: PreviewResult = {
    lines: [],
    records: [],
    state: loadInitialState(options),
    checkpoints: [],
    acknowledgements: [],
    transactions: 0,
    sessions: 0,
    bindings: task.bindings,
    documents: 0,
    stopConditionMet: false,
    timedOut: false,
  };
  const collect = options.collect !== false;
  const emit = (lines: string[]): void | Promise<void> => {
    if (lines.length === 0) return;
    // One push per line: spreading a transaction of ~150k lines into push() overflows the stack.
    if (collect) for (const line of lines) result.lines.push(line);
    const written = options.onOutput?.(lines);
    return written instanceof Promise ? written.then(() => undefined) : undefined;
  };
  const hasStopCondition = options.until !== undefined || options.untilDocuments !== undefined;
  const stopConditionHolds = (): boolean => {
    const progress: PreviewProgress = { documents: result.documents, transactions: result.transactions };
    const docsReached = options.untilDocuments !== undefined && result.documents >= options.untilDocuments;
    if (docsReached || options.until?.(result.state, progress) === true) result.stopConditionMet = true;
    return result.stopConditionMet;
  };
  // The timer only asks the sessions to stop; unref'd so a run that throws first leaves nothing behind.
  const stop = new AbortController();
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          result.timedOut = true;
          stop.abort();
        }, options.timeoutMs);
  timer?.unref();

  for (const [s, limit] of plan.entries()) {
    const session = s + 1;
    result.sessions = session;
    options.onProgress?.({ type: 'session-start', session, shards, bindings: task.bindings });
    await callUnary<'applied'>(launch, 'apply', { capture: captureSpec, version: 'preview' });
    const onCommit = (tx: CommittedTransaction): void | Promise<void> => {
      result.transactions++;
      const lines: string[] = [];
      const records: Array<[string, JsonObject]> = [];
      task.bindings.forEach((b, i) => {
        for (const doc of tx.documents[i]!) {
          const sorted = sortKeys(doc) as JsonObject;
          if (collect) result.records.push([b.collection, sorted]);
          if (options.onRecords) records.push([b.collection, sorted]);
          lines.push(jsonText([b.collection, sorted]));
        }
      });
      result.documents += lines.length;
      let patch: unknown;
      let replaced = false;
      for (const cp of tx.checkpoints) {
        if (collect) result.checkpoints.push(cp);
        if (cp.mergePatch) {
          result.state = applyMergePatch(result.state, cp.updated);
          patch = replaced ? applyMergePatch(patch, cp.updated) : composeMergePatches(patch, cp.updated);
        } else {
          result.state = structuredClone(cp.updated);
          patch = structuredClone(cp.updated);
          replaced = true;
        }
      }
      if (options.outputState) {
        const state = replaced ? { updated: sortKeys(patch) } : { updated: sortKeys(patch ?? {}), mergePatch: true };
        lines.push(jsonText(['connectorState', state]), jsonText(['connectorState', {}]));
      }
      if (options.stateFile !== undefined) persistState(options.stateFile, result.state);
      const written = emit(lines);
      options.onRecords?.(records);
      options.onProgress?.({
        type: 'transaction',
        session,
        shard: tx.shard,
        transaction: result.transactions,
        checkpoints: tx.checkpoints.length,
        bindings: task.bindings.map((b, i) => ({
          collection: b.collection,
          captured: tx.capturedCounts[i]!,
          combined: tx.documents[i]!.length,
          checkpoints: tx.checkpointCounts[i]!,
        })),
      });
      return written;
    };
    const abort = new AbortController();
    const ranges = splitKeyRange(shards);
    const outcomes = await Promise.allSettled(
      ranges.map((range, shard) =>
        runPreviewSession({
          launch,
          open: { capture: captureSpec, version: 'preview', range, state: result.state },
          shard,
          combiners: task.bindings.map((b) => new BindingCombiner(b)),
          maxTransactions: limit === UNBOUNDED ? undefined : limit,
          delayMs: options.delayMs ?? 0,
          ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
          ...(hasStopCondition ? { stopAfterCommit: stopConditionHolds } : {}),
          onCommit,
          abort: abort.signal,
          stop: stop.signal,
        }).catch((err: unknown) => {
          abort.abort();
          throw err;
        }),
      ),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected' && !isAbort(o.reason));
    if (failed) throw failed.reason;
    let transactions = 0;
    for (const o of outcomes) {
      if (o.status === 'fulfilled') {
        result.acknowledgements.push(...o.value.acknowledgementsSent);
        transactions += o.value.transactions;
      }
    }
    options.onProgress?.({ type: 'session-end', session, transactions });
    if (result.timedOut || result.stopConditionMet) break;
  }
  clearTimeout(timer);
  if (result.timedOut && options.failOnTimeout === true && !result.stopConditionMet) {
    const waitedFor = hasStopCondition ? 'its stop condition held' : 'the connector finished';
    throw new HarnessError('TIMEOUT', `the capture was stopped after ${options.timeoutMs} ms, before ${waitedFor} (${result.documents} documents in ${result.transactions} transactions)`);
  }
  if (options.outputState) void emit([jsonText(['connectorState', { updated: sortKeys(result.state) }])]);
  return result;
}

function isAbort(err: unknown): boolean {
  return err instanceof HarnessError && err.code === 'ABORTED';
}

import { CaptureError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { StopSignal } from '../runtime/capture/stop-signal';
import type { AirbyteMessage, ConfiguredCatalog, ConfiguredStream } from './airbyte-protocol';
import { flowLevel } from './airbyte-protocol';
import { describeExit } from './command-source';
import { closedSchema, type ShimResourceConfig } from './shim-discovery';
import { applyState, loadShimState, sourceState, type StreamRef } from './shim-state';
import type { ShimTask } from './shim-task';
import type { SourceDriver, SourceExit } from './source-driver';

/** A binding of the open request, resolved against the discovered streams. */
export interface ShimBinding extends StreamRef {
  index: number;
  resourceConfig: ShimResourceConfig;
  /** The collection's write (or read) schema, for the configured catalog. */
  writeSchema: Record<string, unknown>;
  /** The stream's discovered schema (for sourced schemas). */
  discoveredSchema: Record<string, unknown>;
}

/** What one capture run needs. */
export interface ShimCaptureContext {
  driver: SourceDriver;
  config: Record<string, unknown>;
  bindings: readonly ShimBinding[];
  openState: unknown;
  task: ShimTask;
  stop: StopSignal;
  log: Logger;
  sourcedSchemas: boolean;
  silenceWarningMs: number;
  graceMs: number;
  /** Passes a CONTROL config update on (as a `configUpdate` log event). */
  onConfigUpdate(config: Record<string, unknown>): Promise<void>;
}

/** The configured catalog the source reads, from the bindings. */
export function configuredCatalog(bindings: readonly ShimBinding[]): ConfiguredCatalog {
  return {
    streams: bindings.map((b): ConfiguredStream => ({
      stream: { json_schema: b.writeSchema, name: b.stream, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), supported_sync_modes: [b.resourceConfig.syncMode] },
      ...(b.resourceConfig.cursorField !== undefined ? { cursor_field: b.resourceConfig.cursorField } : {}),
      destination_sync_mode: 'append',
      sync_mode: b.resourceConfig.syncMode,
    })),
  };
}

/**
 * Runs one `read` of the source and maps its messages onto Flow: records to documents, STATE to
 * checkpoints (each commits the records before it), LOG to logs, TRACE errors to a failure.
 * Returns normally on a clean exit (after a final checkpoint) or a requested stop (committing
 * nothing the source did not checkpoint); throws otherwise.
 */
export async function runShimCapture(ctx: ShimCaptureContext): Promise<void> {
  const { task, log, bindings } = ctx;
  const state = loadShimState(ctx.openState);
  for (const b of bindings) state.bindingStateV1[b.stateKey] ??= { rowId: 0 };
  if (ctx.sourcedSchemas) {
    for (const b of bindings) {
      task.sourcedSchema(b.index, closedSchema(b.discoveredSchema));
      await task.checkpoint({}, true);
    }
  }
  const byStream = new Map(bindings.map((b) => [`${b.namespace ?? ''}\u0000${b.stream}`, b] as const));
  const run = ctx.driver.read({ config: ctx.config, catalog: configuredCatalog(bindings), state: sourceState(state, bindings, log) });
  void ctx.stop.wait().then(() => run.stop(ctx.stop.reason ?? 'stop requested'));

  let failure: string | undefined;
  let lastError: string | undefined;
  let lastActivity = Date.now();
  const unknownStreams = new Set<string>();
  const watchdog = setInterval(
    () => {
      const idle = Date.now() - lastActivity;
      if (idle >= ctx.silenceWarningMs) log.warn({ idleMs: idle }, `${ctx.driver.description} has written nothing for ${Math.round(idle / 1000)} s`);
    },
    Math.max(1000, ctx.silenceWarningMs),
  );
  watchdog.unref();
  let sinceYield = 0;
  let checkpoints = 0;
  try {
    for await (const out of run.output) {
      lastActivity = Date.now();
      // A long stretch of records without a STATE would otherwise never turn the event loop.
      if (++sinceYield >= 1000) {
        sinceYield = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
      if ('rogue' in out) {
        log.info({ source: 'stdout' }, out.rogue);
        continue;
      }
      if (failure !== undefined) continue;
      const m: AirbyteMessage = out.message;
      switch (m.type) {
        case 'RECORD': {
          const r = m.record!;
          const b = byStream.get(`${r.namespace ?? ''}\u0000${r.stream}`);
          if (b === undefined) {
            const name = `${r.namespace ? `${r.namespace}.` : ''}${r.stream}`;
            if (!unknownStreams.has(name)) log.warn({ stream: r.stream, namespace: r.namespace }, `document read in unrecognized stream ${name}; dropping it`);
            unknownStreams.add(name);
            break;
          }
          const entry = state.bindingStateV1[b.stateKey]!;
          task.record(b.index, r.data, entry.rowId++);
          break;
        }
        case 'STATE':
          if (m.state !== undefined && applyState(state, m.state, bindings, log)) {
            await task.checkpoint(state, false);
            checkpoints++;
          }
          break;
        case 'TRACE':
          if (m.trace?.error !== undefined) {
            const e = m.trace.error;
            log.error({ internal_message: e.internal_message, failure_type: e.failure_type, stack_trace: e.stack_trace }, e.message);
            failure = e.message;
            run.stop('the source reported an error');
          } else if (m.trace?.estimate !== undefined) {
            const e = m.trace.estimate;
            log.info({ estimate: { stream: e.name, namespace: e.namespace, type: e.type, row_estimate: e.row_estimate, byte_estimate: e.byte_estimate } }, 'progress estimate');
          } else if (m.trace?.stream_status !== undefined) {
            const s = m.trace.stream_status;
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- parsed from the source output, which may omit it
            log.info({ status: { stream: s.stream_descriptor?.name, namespace: s.stream_descriptor?.namespace, status: s.status } }, 'stream status');
          } else log.debug({ trace: m.trace?.type }, 'ignoring a TRACE message of unknown type');
          break;
        case 'LOG': {
          const level = flowLevel(m.log?.level);
          const text = m.log?.message ?? '';
          if (m.log?.stack_trace) log[level]({ stack_trace: m.log.stack_trace }, text);
          else log[level](text);
          if (level === 'error') lastError = text;
          break;
        }
        case 'CONTROL':
          if (m.control?.type === 'CONNECTOR_CONFIG' && m.control.connectorConfig?.config !== undefined) await ctx.onConfigUpdate(m.control.connectorConfig.config);
          else log.debug({ control: m.control?.type }, 'ignoring a CONTROL message of unknown type');
          break;
        default:
          log.debug({ type: m.type }, `ignoring an AirbyteMessage of type ${m.type}`);
      }
    }
  } finally {
    clearInterval(watchdog);
  }
  const exit = await exitOrStop(run, ctx);
  if (failure !== undefined) {
    dropUncommitted(task, log);
    throw new CaptureError(failure, { code: 'AIRBYTE_SOURCE' });
  }
  if (exit.killed) {
    dropUncommitted(task, log);
    throw new CaptureError(`${ctx.driver.description} did not stop within ${ctx.graceMs} ms and was killed`, { code: 'STOP_DEADLINE' });
  }
  if (ctx.stop.stopping) {
    const n = dropUncommitted(task, log);
    log.info({ checkpoints, dropped: n }, 'Airbyte source stopped');
    return;
  }
  if (exit.error !== undefined) {
    dropUncommitted(task, log);
    throw new CaptureError(`${ctx.driver.description} failed`, { code: 'AIRBYTE_SOURCE', cause: exit.error });
  }
  if (exit.code !== 0) {
    dropUncommitted(task, log);
    const why = lastError ?? exit.stderrTail[exit.stderrTail.length - 1];
    throw new CaptureError(`${ctx.driver.description} exited with ${describeExit(exit)}${why !== undefined ? `: ${why}` : ''}`, { code: 'AIRBYTE_SOURCE' });
  }
  log.info('Emitting final checkpoint for sweep.');
  await task.checkpoint(state, false);
}

/** Waits for the source to exit; one that closed its output but lingers is stopped. */
async function exitOrStop(run: ReturnType<SourceDriver['read']>, ctx: ShimCaptureContext): Promise<SourceExit> {
  let timer: NodeJS.Timeout | undefined;
  const lingering = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ctx.graceMs);
    timer.unref();
  }).then(() => {
    ctx.log.warn(`${ctx.driver.description} closed its output but has not exited; stopping it`);
    run.stop('closed its output but did not exit');
  });
  void lingering;
  try {
    return await run.exit();
  } finally {
    clearTimeout(timer);
  }
}

function dropUncommitted(task: ShimTask, log: Logger): number {
  const n = task.discard();
  if (n > 0) log.info({ records: n }, 'dropping records the source emitted after its last state message');
  return n;
}

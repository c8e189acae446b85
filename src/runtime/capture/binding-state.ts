import { formatDateTime } from '../../common/time';
import type { StrategyRecord } from '../../common/metadata';

type SubtaskOption = NonNullable<StrategyRecord['subtasks']>;
import type { BoundBinding } from './bound-binding';
import { encodeCursor } from './state-codec';

/** A strategy's state: one entry, or one per subtask id (a subtask's entry may be null). */
export type PerSubtask<T> = T | Record<string, T | null>;

/** The incremental state of one (sub)task: its encoded cursor. */
export interface StoredIncremental {
  cursor?: unknown;
}

/** The backfill state of one (sub)task; null once it completed. */
export interface StoredBackfill {
  cutoff?: unknown;
  next_page?: unknown;
}

/** A binding's state as the Python CDK's `ResourceState` stores it. */
export interface StoredBindingState {
  inc?: PerSubtask<StoredIncremental>;
  backfill?: PerSubtask<StoredBackfill> | null;
  /** Read by the snapshot driver's `snapshotState`, which checks each field. */
  snapshot?: PerSubtask<unknown>;
  last_initialized?: string | null;
  is_connector_initiated?: boolean;
}

/** The fields of a binding state in the order Pydantic writes Python's `ResourceState`. */
const STATE_FIELDS = ['inc', 'backfill', 'snapshot', 'last_initialized', 'is_connector_initiated'] as const;

/**
 * A binding state with its fields in the order the Python CDK serializes them (then any others),
 * so a whole-state checkpoint has the bytes Python's would have.
 */
export function orderedBindingState(state: StoredBindingState): StoredBindingState {
  const out: Record<string, unknown> = {};
  for (const k of STATE_FIELDS) if (state[k] !== undefined) out[k] = state[k];
  for (const [k, v] of Object.entries(state)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

/** The state of subtask `id` (or the whole strategy's when `id` is undefined); undefined when absent. */
export function subtaskState<T>(stored: PerSubtask<T> | null | undefined, id: string | undefined): T | null | undefined {
  if (stored === undefined || stored === null) return id === undefined ? stored : undefined;
  return id === undefined ? (stored as T) : (stored as Record<string, T | null>)[id];
}

/** Subtask ids of a strategy, or undefined when it does not fan out. */
export function subtaskIds(option: SubtaskOption | undefined, ctx: { config: unknown; params: unknown }): readonly string[] | undefined {
  if (option === undefined) return undefined;
  return typeof option === 'function' ? option(ctx) : option;
}

/** The state a binding starts from (Python's `Resource.initial_state`). */
export function initialBindingState(b: BoundBinding, now: Date): StoredBindingState {
  const ctx = { config: b.config, params: b.params };
  const out: StoredBindingState = {};
  let cutoff: unknown = formatDateTime(now);
  if (b.def.incremental !== undefined) {
    const initial = encodeCursor(b.def.incremental.initial!(ctx));
    cutoff = initial;
    const ids = subtaskIds(b.def.incremental.subtasks, ctx);
    out.inc = ids === undefined ? { cursor: initial } : Object.fromEntries(ids.map((id) => [id, { cursor: initial }]));
  } else if (b.def.backfill?.cutoff !== undefined) {
    cutoff = encodeCursor(b.def.backfill.cutoff(ctx));
  }
  if (b.def.backfill !== undefined) {
    const ids = subtaskIds(b.def.backfill.subtasks, ctx);
    const one = { cutoff, next_page: null };
    out.backfill = ids === undefined ? one : Object.fromEntries(ids.map((id) => [id, { ...one }]));
  }
  return out;
}

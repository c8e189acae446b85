import { CaptureError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { AirbyteStateMessage, StreamDescriptor, StreamState } from './airbyte-protocol';

/**
 * A binding's state, as the Python shim's `ResourceState` stores it: the next `_meta.row_id` and
 * the last AirbyteStateMessage of the binding, in the shape pydantic's `.dict()` gives it
 * (`type`, `stream`, `global_`, `data`).
 */
export interface ShimBindingState {
  rowId: number;
  state?: Record<string, unknown>;
}

/** The connector state: `bindingStateV1` keyed by state key; other top-level keys are dropped, as in Python. */
export interface ShimConnectorState {
  bindingStateV1: Record<string, ShimBindingState>;
}

/** A bound stream, for routing records and state messages. */
export interface StreamRef {
  stateKey: string;
  stream: string;
  namespace: string | undefined;
}

/** Parses the open request's state; names the state key whose entry is malformed. */
export function loadShimState(raw: unknown): ShimConnectorState {
  const v1 = (raw as { bindingStateV1?: unknown } | null | undefined)?.bindingStateV1;
  const out: ShimConnectorState = { bindingStateV1: {} };
  if (v1 === undefined || v1 === null) return out;
  if (typeof v1 !== 'object' || Array.isArray(v1)) throw new CaptureError('connector state bindingStateV1 must be an object', { code: 'STATE_INVALID' });
  for (const [key, entry] of Object.entries(v1 as Record<string, unknown>)) {
    if (entry === null || entry === undefined) continue;
    const e = entry as { rowId?: unknown; state?: unknown };
    if (typeof e.rowId !== 'number' || !Number.isInteger(e.rowId) || e.rowId < 0) {
      throw new CaptureError(`connector state of ${key}: rowId must be a non-negative integer, got ${JSON.stringify(e.rowId)}; reset the binding's state (backfill it) to start over`, {
        code: 'STATE_INVALID',
      });
    }
    const state = e.state !== null && typeof e.state === 'object' && !Array.isArray(e.state) ? (e.state as Record<string, unknown>) : undefined;
    out.bindingStateV1[key] = state === undefined ? { rowId: e.rowId } : { rowId: e.rowId, state };
  }
  return out;
}

/** The kind of a stored or received state message. */
export function stateType(msg: { type?: unknown }): 'STREAM' | 'GLOBAL' | 'LEGACY' {
  return msg.type === 'STREAM' ? 'STREAM' : msg.type === 'GLOBAL' ? 'GLOBAL' : 'LEGACY';
}

const sameStream = (d: StreamDescriptor | undefined | null, r: StreamRef): boolean => d != null && d.name === r.stream && (d.namespace || undefined) === (r.namespace || undefined);

/**
 * The contents of the `--state` file for the bound streams: STREAM and GLOBAL states as an array
 * of AirbyteStateMessages (per-stream entries of GLOBAL states reassembled into one message), or a
 * LEGACY state's `data` blob. Undefined when no binding has state.
 */
export function sourceState(state: ShimConnectorState, refs: readonly StreamRef[], log: Logger): unknown {
  const messages: Record<string, unknown>[] = [];
  let shared: { value: unknown } | undefined;
  const globalStreams: StreamState[] = [];
  let legacy: { value: unknown } | undefined;
  for (const ref of refs) {
    const s = state.bindingStateV1[ref.stateKey]?.state;
    if (s === undefined) continue;
    const global = (s.global_ ?? s.global) as AirbyteStateMessage['global'];
    switch (stateType(s)) {
      case 'STREAM':
        if (s.stream) messages.push({ type: 'STREAM', stream: s.stream });
        break;
      case 'GLOBAL':
        shared ??= { value: global?.shared_state };
        globalStreams.push(...(global?.stream_states ?? []));
        break;
      case 'LEGACY':
        legacy ??= { value: s.data };
        break;
    }
  }
  if (shared !== undefined) messages.push({ type: 'GLOBAL', global: { ...(shared.value !== undefined && shared.value !== null ? { shared_state: shared.value } : {}), stream_states: globalStreams } });
  if (messages.length > 0) {
    if (legacy !== undefined) log.warn('some bindings hold a LEGACY state and others a STREAM or GLOBAL state; passing only the latter to the source');
    return messages;
  }
  return legacy?.value;
}

/**
 * Applies a STATE message to the bound bindings' states, in the Python shim's stored shape.
 * STREAM updates its stream's binding; GLOBAL and LEGACY describe the whole source, so every bound
 * binding stores the shared part (plus, for GLOBAL, its own stream's entry). Returns false when
 * the message concerns no bound stream (nothing to checkpoint).
 */
export function applyState(state: ShimConnectorState, msg: AirbyteStateMessage, refs: readonly StreamRef[], log: Logger): boolean {
  const entry = (ref: StreamRef): ShimBindingState => (state.bindingStateV1[ref.stateKey] ??= { rowId: 0 });
  switch (stateType(msg)) {
    case 'STREAM': {
      const d = msg.stream?.stream_descriptor;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- parsed from the source output, which may omit it
      if (d === undefined || d === null) throw new CaptureError('the source sent a STREAM state message without stream.stream_descriptor', { code: 'AIRBYTE_STATE' });
      const ref = refs.find((r) => sameStream(d, r));
      if (ref === undefined) {
        log.warn({ stream: d.name, namespace: d.namespace }, `received a state message for unrecognized stream ${d.name}`);
        return false;
      }
      entry(ref).state = pythonShape({ type: 'STREAM', stream: { stream_descriptor: { name: d.name, namespace: d.namespace ?? null }, stream_state: msg.stream!.stream_state } });
      return true;
    }
    case 'GLOBAL': {
      const g = msg.global ?? (msg as { global_?: AirbyteStateMessage['global'] }).global_;
      if (g === undefined || g === null) throw new CaptureError('the source sent a GLOBAL state message without global', { code: 'AIRBYTE_STATE' });
      for (const ref of refs) {
        const mine = (g.stream_states ?? []).filter((s) => sameStream(s.stream_descriptor, ref));
        entry(ref).state = pythonShape({ type: 'GLOBAL', global_: { shared_state: g.shared_state ?? null, stream_states: mine } });
      }
      return refs.length > 0;
    }
    case 'LEGACY':
      for (const ref of refs) entry(ref).state = pythonShape({ type: 'LEGACY', data: msg.data ?? null });
      return refs.length > 0;
  }
}

function pythonShape(fields: Record<string, unknown>): Record<string, unknown> {
  return { type: null, stream: null, global_: null, data: null, ...fields };
}

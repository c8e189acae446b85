import { escapePointerToken } from '../../common/json-pointer';
import { toJsonText } from '../../common/json-text';
import type * as Typia from 'typia';

/**
 * typia's calls are compiled away by its transform, but a value import would stay in the output and
 * load typia's runtime (~80 modules) at every start; declaring the namespace keeps the types only.
 */
declare const typia: typeof Typia.default;
import { CdkError } from '../../common/errors';
import type { CursorKind } from '../../common/metadata';
import type { ResolvedBinding } from '../resolve-resources';
import { decodeCursor } from './state-codec';

/** The connector state handed back in `open` does not have the shape this connector writes. */
export class StateError extends CdkError {
  constructor(message: string) {
    super('STATE_INVALID', message, { userError: true });
  }
}

/** A binding's entry under `bindingStateV1`, as the Python CDK's `ResourceState` writes it. */
interface BindingStateShape {
  inc?: Record<string, unknown> | null;
  backfill?: Record<string, unknown> | null;
  snapshot?: Record<string, unknown> | null;
  last_initialized?: string | null;
  is_connector_initiated?: boolean | null;
}

/** Exact: an unknown key is an error (it would otherwise be dropped and the binding restarted). */
const validateBindingState: (input: unknown) => Typia.IValidation<BindingStateShape> = typia.createValidateEquals<BindingStateShape>();

/**
 * Checks the `open` state against the shape this connector writes, before anything is written:
 * `bindingStateV1` and `backfillRequests` are objects, each bound binding's entry has only known
 * keys, and its cursors, cutoffs and `last_initialized` decode as the binding's strategies declare.
 * Entries of state keys no longer bound are left alone (Flow keeps them). Throws a
 * {@link StateError} naming the binding, the path and what was expected.
 */
export function checkOpenState(state: unknown, bindings: readonly ResolvedBinding[]): void {
  if (state === undefined || state === null) return;
  if (!isObject(state)) fail('open state', '', 'an object', state);
  const s = state;
  if (s.bindingStateV1 !== undefined && s.bindingStateV1 !== null && !isObject(s.bindingStateV1)) {
    fail('open state', '/bindingStateV1', 'an object keyed by state key', s.bindingStateV1);
  }
  const requests = s.backfillRequests;
  if (requests !== undefined && requests !== null) {
    if (!isObject(requests)) fail('open state', '/backfillRequests', 'an object of state key: true', requests);
    for (const [key, value] of Object.entries(requests)) {
      if (value !== true && value !== null) fail('open state', `/backfillRequests/${escapePointerToken(key)}`, 'true or null', value);
    }
  }
  const all = s.bindingStateV1 ?? {};
  for (const rb of bindings) {
    const key = rb.spec.stateKey ?? rb.resource.name;
    const stored = all[key];
    if (stored === undefined || stored === null) continue;
    checkBindingState(`binding '${rb.resource.name}'`, `/bindingStateV1/${escapePointerToken(key)}`, stored, rb);
  }
}

function checkBindingState(who: string, at: string, stored: unknown, rb: ResolvedBinding): void {
  const result = validateBindingState(stored);
  if (!result.success) {
    const e = result.errors[0]!;
    const path = e.path
      .replace(/^\$input/, '')
      .replace(/\.(\w+)/g, '/$1')
      .replace(/\["([^"]*)"\]/g, (_m, k: string) => `/${escapePointerToken(k)}`);
    const expected = e.expected === 'undefined' ? 'no such key (known keys: inc, backfill, snapshot, last_initialized, is_connector_initiated)' : e.expected;
    fail(who, at + path, expected, e.value);
  }
  const b = result.data;
  if (typeof b.last_initialized === 'string') decodeAt(who, `${at}/last_initialized`, 'datetime', b.last_initialized);
  const def = rb.resource.def;
  const fans = (subtasks: unknown): boolean => subtasks !== undefined;
  if (def.incremental !== undefined && b.inc) {
    forEachSubtask(who, `${at}/inc`, b.inc, fans(def.incremental.subtasks), (path, entry) => {
      if (!isObject(entry) || !('cursor' in entry)) fail(who, path, 'an object {"cursor": …}', entry);
      decodeAt(who, `${path}/cursor`, def.incremental!.cursor, (entry as { cursor: unknown }).cursor);
    });
  }
  if (def.backfill !== undefined && b.backfill) {
    const kind = def.incremental?.cursor ?? 'datetime';
    forEachSubtask(who, `${at}/backfill`, b.backfill, fans(def.backfill.subtasks), (path, entry) => {
      if (!isObject(entry) || !('cutoff' in entry)) fail(who, path, 'an object {"cutoff": …, "next_page": …}', entry);
      decodeAt(who, `${path}/cutoff`, kind, (entry as { cutoff: unknown }).cutoff);
    });
  }
}

/** Calls `check` with the single entry, or with each subtask's entry (null entries are finished subtasks). */
function forEachSubtask(who: string, at: string, value: Record<string, unknown>, fansOut: boolean, check: (path: string, entry: unknown) => void): void {
  if (!fansOut) return check(at, value);
  for (const [id, entry] of Object.entries(value)) {
    if (entry === null) continue;
    if (!isObject(entry)) fail(who, `${at}/${escapePointerToken(id)}`, 'an object per subtask, or null', entry);
    check(`${at}/${escapePointerToken(id)}`, entry);
  }
}

function decodeAt(who: string, path: string, kind: CursorKind, value: unknown): void {
  try {
    decodeCursor(kind, value, path);
  } catch {
    const integer = typeof value === 'bigint' ? 'an integer cursor within ±2^53 (integer cursors are JavaScript numbers)' : 'an integer cursor';
    fail(who, path, kind === 'string-tuple' ? 'an array cursor' : kind === 'integer' ? integer : 'an RFC 3339 datetime', value);
  }
}

function fail(who: string, path: string, expected: string, got: unknown): never {
  throw new StateError(`${who}: state ${path === '' ? '' : `at ${path} `}is invalid: expected ${expected}, got ${describe(got)}; fix or clear the connector state (backfill the binding)`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- toJsonText returns undefined for functions, symbols and undefined
  const json = toJsonText(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

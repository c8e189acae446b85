import { toJsonText } from '../common/json-text';
import { HarnessError } from './harness-errors';
import { CheckpointState } from './preview-session';
import { isJsonObject, JsonObject } from './json-utils';
import { runPreview } from './preview';
import { BindingRequest } from './task-resolver';

/** Options of {@link runCapture}. */
export interface RunCaptureOptions {
  /** The connector command, e.g. `connectorCommand('./my-connector')`. */
  command: readonly string[];
  /** The endpoint config object. */
  config: unknown;
  /** Bindings to capture; all discovered bindings when omitted. Schema and key default to discovery's. */
  bindings?: BindingRequest[];
  /** The state the first session opens with. */
  state?: unknown;
  /** Transactions per session, as `--sessions`; default one session until the connector exits. */
  sessions?: number | readonly number[];
  /** Environment for the connector, e.g. `{ API_URL: mockServer.url }`. */
  env?: Record<string, string>;
  /**
   * Stop once this many documents were captured, or once the predicate holds (checked after every
   * transaction). The run fails when the connector finishes or idles out before it holds.
   */
  until?: number | ((progress: CaptureProgress) => boolean);
  /** End the run when nothing is checkpointed this long after a poll (then `until` must already hold). */
  idleTimeoutMs?: number;
  /** Fail when the run has not ended after this long. Default 60 s. */
  timeoutMs?: number;
}

/** What an `until` predicate of {@link runCapture} sees after each transaction. */
export interface CaptureProgress {
  /** Combined documents per collection so far. */
  readonly documents: ReadonlyMap<string, readonly JsonObject[]>;
  /** The state with every checkpoint so far merged in. */
  readonly state: unknown;
  /** Transactions committed so far. */
  readonly transactions: number;
}

/** What {@link runCapture} captured. */
export interface CaptureRun {
  /** Combined documents per collection, in output order. */
  documents: Map<string, JsonObject[]>;
  /** Every checkpoint state update, in commit order. */
  checkpoints: CheckpointState[];
  /** The final state, all checkpoints merged. */
  state: unknown;
  /** The output lines, as `flowctl preview` prints them. */
  lines: string[];
}

/**
 * Runs a connector under the preview harness for a test: documents are validated against their
 * collection schemas and combined by key exactly as in `estuary preview`.
 *
 * @example
 * const run = await runCapture({ command: connectorCommand('./shop'), config: { apiToken: 't' }, env: { SHOP_URL: url } });
 * expect(run.documents.get('acmeCo/orders')).to.have.length(3);
 * @throws when the connector fails (even after the harness stopped it), on a `TIMEOUT`, or when it
 *   finished or idled out before `until` held.
 */
export async function runCapture(options: RunCaptureOptions): Promise<CaptureRun> {
  const documents = new Map<string, JsonObject[]>();
  const { until } = options;
  const result = await runPreview({
    command: options.command,
    config: options.config ?? {},
    bindings: options.bindings,
    initialState: options.state,
    sessions: options.sessions,
    env: options.env,
    timeoutMs: options.timeoutMs ?? 60_000,
    failOnTimeout: true,
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(typeof until === 'number' ? { untilDocuments: until } : {}),
    ...(typeof until === 'function' ? { until: (state, p) => until({ documents, state, transactions: p.transactions }) } : {}),
    onRecords: (records) => {
      for (const [collection, doc] of records) {
        const list = documents.get(collection) ?? [];
        list.push(doc);
        documents.set(collection, list);
      }
    },
  });
  if (until !== undefined && !result.stopConditionMet) {
    const wanted = typeof until === 'number' ? `${until} documents` : 'its until predicate';
    throw new HarnessError('STOP_CONDITION_UNMET', `the capture ended before reaching ${wanted} (${result.documents} documents in ${result.transactions} transactions)`);
  }
  return { documents, checkpoints: result.checkpoints, state: result.state, lines: result.lines };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function show(value: unknown): string {
  return toJsonText(value) ?? String(value);
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/**
 * Compares one expected value with the actual one, as the Python CDK's `compare_values`: every key of
 * an expected object must be in the actual object with a matching value (extra actual keys are fine);
 * arrays must have the same length and are compared element-wise; scalars must be equal.
 *
 * @returns one message per difference, each starting with its path; empty when they match.
 */
export function compareValues(expected: unknown, actual: unknown, path: string): string[] {
  if (isJsonObject(expected)) {
    if (!isJsonObject(actual)) return [`${path}: expected object, got ${typeName(actual)}`];
    const errors: string[] = [];
    for (const key of Object.keys(expected)) {
      if (!Object.prototype.hasOwnProperty.call(actual, key)) errors.push(`${path}: key '${key}' missing from actual document`);
      else errors.push(...compareValues(expected[key], actual[key], `${path}.${key}`));
    }
    return errors;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected array, got ${typeName(actual)}`];
    if (expected.length !== actual.length) return [`${path}: array length ${actual.length}, expected ${expected.length}`];
    if (expected.some(isContainer)) return expected.flatMap((e, i) => compareValues(e, actual[i], `${path}[${i}]`));
    return show(expected) === show(actual) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
  }
  return sameScalar(expected, actual) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

/** Scalars are equal; an exact big integer (`bigint`) equals the number of the same integer value. */
function sameScalar(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (typeof expected !== 'bigint' && typeof actual !== 'bigint') return false;
  const exact = (v: unknown): bigint | undefined => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined);
  const e = exact(expected);
  return e !== undefined && e === exact(actual);
}

/**
 * Compares captured records (`[collection, document]` pairs) with a snapshot, as the Python CDK's
 * `compare_capture_records`: record counts must agree, and each expected document must be contained
 * in the actual one at the same position (see {@link compareValues}). Paths start with the collection.
 *
 * @returns the differences; an empty array means the capture matches.
 * @example
 * expect(compareCaptureRecords(snapshot, run.lines.map((l) => JSON.parse(l)))).to.deep.equal([]);
 */
export function compareCaptureRecords(expected: readonly unknown[], actual: readonly unknown[]): string[] {
  if (expected.length !== actual.length) return [`Record count: got ${actual.length}, expected ${expected.length}`];
  return expected.flatMap((exp, i) => {
    const act = actual[i];
    const name = Array.isArray(exp) && exp.length > 0 ? String(exp[0]) : `record[${i}]`;
    const expectedDoc = Array.isArray(exp) && exp.length > 1 ? (exp[1] as unknown) : exp;
    const actualDoc = Array.isArray(act) && act.length > 1 ? (act[1] as unknown) : act;
    return compareValues(expectedDoc, actualDoc, name);
  });
}

import { pointerTokens } from '../../common/json-pointer';
import { CaptureError } from '../../common/errors';

/** Throws a {@link CaptureError} when a document a strategy yielded cannot be committed as is. */
export type DocumentCheck = (doc: object) => void;

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';
const JSON_TYPES = new Set<string>(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);

/**
 * Compiles the cheap check run on every captured document before it is buffered: each collection
 * key location is present, each top-level field the model requires is present, and each top-level
 * field the model types has a value of that JSON type (a `Date` counts as a string, a `bigint` as
 * an integer). Nested values are left to Flow's full schema validation; what is checked here are the
 * mistakes that would otherwise be rejected by Flow far from their cause. A document with its own
 * `toJSON` is checked as it serializes only by Flow (its fields are not what is written).
 *
 * The check is a few property reads per document: the backfill throughput benchmark keeps its figure.
 */
export function compileDocumentCheck(resource: string, schema: Record<string, unknown> | undefined, key: readonly string[]): DocumentCheck {
  const keyPaths = key.map(pointerTokens);
  const required = Array.isArray(schema?.required) ? (schema.required as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  // `mask` holds one bit per allowed type: the hot test is a bit test, not a set lookup by name.
  const typed: { name: string; types: ReadonlySet<JsonType>; mask: number }[] = [];
  const props = schema?.properties;
  if (props !== null && typeof props === 'object') {
    for (const [name, prop] of Object.entries(props as Record<string, unknown>)) {
      const types = declaredTypes(prop);
      if (types !== undefined) typed.push({ name, types, mask: [...types].reduce((m, t) => m | TYPE_BIT[t], 0) });
    }
  }
  const fail = (doc: object, problem: string): never => {
    throw new CaptureError(`resource '${resource}': document with key ${describeKey(doc, keyPaths)} ${problem}`, { code: 'DOCUMENT_INVALID' });
  };
  return (doc) => {
    if (typeof (doc as { toJSON?: unknown }).toJSON === 'function') return;
    for (let i = 0; i < keyPaths.length; i++) {
      if (lookup(doc, keyPaths[i]!) === undefined) fail(doc, `lacks its collection key field ${key[i]}`);
    }
    const d = doc as Record<string, unknown>;
    for (let i = 0; i < required.length; i++) {
      if (d[required[i]!] === undefined) fail(doc, `lacks field /${required[i]}, which its model requires`);
    }
    for (let i = 0; i < typed.length; i++) {
      const { name, types, mask } = typed[i]!;
      const value = d[name];
      if (value !== undefined && (jsonTypeBit(value) & mask) === 0 && !compatible(value, types)) {
        fail(doc, `has field /${name} = ${describe(value)}, but its model declares ${[...types].join(' or ')}`);
      }
    }
  };
}

/** The JSON types a property schema allows, or `undefined` when it does not say plainly. */
function declaredTypes(prop: unknown): ReadonlySet<JsonType> | undefined {
  if (prop === null || typeof prop !== 'object') return undefined;
  const p = prop as Record<string, unknown>;
  const t = p.type;
  const list = typeof t === 'string' ? [t] : Array.isArray(t) ? t : undefined;
  if (list === undefined || !list.every((x) => typeof x === 'string' && JSON_TYPES.has(x))) return undefined;
  if (p.anyOf !== undefined || p.oneOf !== undefined || p.allOf !== undefined) return undefined;
  return new Set(list as JsonType[]);
}

const TYPE_BIT: Readonly<Record<JsonType, number>> = { string: 1, integer: 2, number: 4, boolean: 8, object: 16, array: 32, null: 64 };

/** The {@link TYPE_BIT} of a value's own JSON type (0 for none); {@link compatible} covers the rest. */
function jsonTypeBit(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 1;
    case 'number':
      return Number.isInteger(value) ? 2 : 4;
    case 'boolean':
      return 8;
    case 'bigint':
      return 2;
    case 'object':
      return value === null ? 64 : Array.isArray(value) ? 32 : 16;
    default:
      return 0;
  }
}

/** Values whose JSON form has a declared type: integers are numbers, dates serialize as strings. */
function compatible(value: unknown, types: ReadonlySet<JsonType>): boolean {
  if (types.has('number') && (typeof value === 'number' || typeof value === 'bigint')) return Number.isFinite(Number(value));
  if (types.has('string') && value instanceof Date) return true;
  // Other objects with a toJSON (Decimal-like classes) serialize to whatever they choose.
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function lookup(doc: unknown, path: readonly string[]): unknown {
  let v = doc;
  for (let i = 0; i < path.length; i++) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[path[i]!];
  }
  return v;
}

function describeKey(doc: object, paths: readonly string[][]): string {
  return `[${paths.map((p) => describe(lookup(doc, p))).join(', ')}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return value.toString();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition, @typescript-eslint/no-base-to-string -- JSON.stringify returns undefined for functions, symbols and undefined despite its type
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 60)}…` : json;
}

import { escapePointerToken } from '../common/json-pointer';
import { CompiledSchema } from './schema-validator';
import { compareJson, isJsonObject, JsonObject, resolvePointer } from './json-utils';

/** A subschema located by its JSON pointer within the root schema. */
interface SchemaNode {
  schema: JsonObject;
  ptr: string;
}

/** A `reduce` annotation as Flow reads it. */
interface ReduceAnnotation {
  strategy: string;
  key?: string[];
  delete?: boolean;
}

const MAX_DEPTH = 32;

/**
 * Reduces documents with the `reduce` annotations of a collection schema, as Flow's combiner does:
 * `lastWriteWins` (the default), `firstWriteWins`, `merge` (with `delete` from the merge-and-delete
 * `if/then` block), `append`, `sum`, `minimize`, `maximize` and a simplified `set`.
 */
export class Reducer {
  constructor(private readonly compiled: CompiledSchema) {}

  /** Reduces `rhs` (the later document) into `lhs` (the earlier one) and returns the result. */
  reduce(lhs: unknown, rhs: unknown): unknown {
    const root = this.compiled.root;
    const nodes = isJsonObject(root) ? this.expand([{ schema: root, ptr: '' }], rhs) : [];
    return this.reduceAt(lhs, rhs, nodes);
  }

  private reduceAt(lhs: unknown, rhs: unknown, nodes: SchemaNode[]): unknown {
    const annotation = findReduce(nodes);
    switch (annotation?.strategy ?? 'lastWriteWins') {
      case 'firstWriteWins':
        return lhs;
      case 'sum':
        return sum(lhs, rhs);
      case 'append':
        return Array.isArray(lhs) && Array.isArray(rhs) ? [...(lhs as unknown[]), ...(rhs as unknown[])] : rhs;
      case 'minimize':
      case 'maximize': {
        const c = compareByKey(lhs, rhs, annotation?.key);
        if (c === 0) return this.merge(lhs, rhs, nodes, annotation?.key);
        const lhsWins = annotation?.strategy === 'minimize' ? c < 0 : c > 0;
        return lhsWins ? lhs : rhs;
      }
      case 'merge':
        return this.merge(lhs, rhs, nodes, annotation?.key);
      case 'set':
        return reduceSet(lhs, rhs);
      default:
        return rhs;
    }
  }

  private merge(lhs: unknown, rhs: unknown, nodes: SchemaNode[], key: string[] | undefined): unknown {
    if (isJsonObject(lhs) && isJsonObject(rhs)) {
      const out: JsonObject = { ...lhs };
      for (const [k, v] of Object.entries(rhs)) {
        out[k] = k in lhs ? this.reduceAt(lhs[k], v, this.expand(this.propertyNodes(nodes, k), v)) : v;
      }
      return out;
    }
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (key && key.length > 0) return this.mergeKeyed(lhs, rhs, nodes, key);
      const out: unknown[] = [];
      for (let i = 0; i < Math.max(lhs.length, rhs.length); i++) {
        if (i >= rhs.length) out.push(lhs[i]);
        else if (i >= lhs.length) out.push(rhs[i]);
        else out.push(this.reduceAt(lhs[i], rhs[i], this.expand(this.itemNodes(nodes, i), rhs[i])));
      }
      return out;
    }
    return rhs;
  }

  /** Merges two arrays ordered by `key`, reducing items with equal keys. */
  private mergeKeyed(lhs: unknown[], rhs: unknown[], nodes: SchemaNode[], key: string[]): unknown[] {
    const out: unknown[] = [];
    let i = 0;
    let j = 0;
    while (i < lhs.length || j < rhs.length) {
      if (j >= rhs.length) out.push(lhs[i++]);
      else if (i >= lhs.length) out.push(rhs[j++]);
      else {
        const c = compareByKey(lhs[i], rhs[j], key);
        if (c < 0) out.push(lhs[i++]);
        else if (c > 0) out.push(rhs[j++]);
        else {
          out.push(this.reduceAt(lhs[i], rhs[j], this.expand(this.itemNodes(nodes, i), rhs[j])));
          i++;
          j++;
        }
      }
    }
    return out;
  }

  private propertyNodes(nodes: SchemaNode[], prop: string): SchemaNode[] {
    const out: SchemaNode[] = [];
    for (const n of nodes) {
      let matched = false;
      const props = n.schema.properties;
      if (isJsonObject(props) && isJsonObject(props[prop])) {
        out.push({ schema: props[prop], ptr: `${n.ptr}/properties/${escapePointerToken(prop)}` });
        matched = true;
      }
      const patterns = n.schema.patternProperties;
      if (isJsonObject(patterns)) {
        for (const [pattern, sub] of Object.entries(patterns)) {
          if (isJsonObject(sub) && safeRegExp(pattern)?.test(prop)) {
            out.push({ schema: sub, ptr: `${n.ptr}/patternProperties/${escapePointerToken(pattern)}` });
            matched = true;
          }
        }
      }
      if (!matched && isJsonObject(n.schema.additionalProperties)) {
        out.push({ schema: n.schema.additionalProperties, ptr: `${n.ptr}/additionalProperties` });
      }
    }
    return out;
  }

  private itemNodes(nodes: SchemaNode[], index: number): SchemaNode[] {
    const out: SchemaNode[] = [];
    for (const n of nodes) {
      const prefix = n.schema.prefixItems;
      const items = n.schema.items;
      if (Array.isArray(prefix) && index < prefix.length && isJsonObject(prefix[index])) {
        out.push({ schema: prefix[index], ptr: `${n.ptr}/prefixItems/${index}` });
      } else if (Array.isArray(items) && index < items.length && isJsonObject(items[index])) {
        out.push({ schema: items[index], ptr: `${n.ptr}/items/${index}` });
      } else if (isJsonObject(items)) {
        out.push({ schema: items, ptr: `${n.ptr}/items` });
      }
    }
    return out;
  }

  /** Adds the subschemas that apply to `value` through `$ref`, `allOf`, `anyOf`, `oneOf` and `if/then/else`. */
  private expand(nodes: SchemaNode[], value: unknown): SchemaNode[] {
    const out: SchemaNode[] = [];
    const seen = new Set<string>();
    const visit = (n: SchemaNode, depth: number): void => {
      if (depth > MAX_DEPTH || seen.has(n.ptr)) return;
      seen.add(n.ptr);
      out.push(n);
      const s = n.schema;
      if (s.if !== undefined) {
        const branch = this.compiled.matches(`${n.ptr}/if`, value) ? 'then' : 'else';
        if (isJsonObject(s[branch])) visit({ schema: s[branch], ptr: `${n.ptr}/${branch}` }, depth + 1);
      }
      if (Array.isArray(s.allOf)) {
        s.allOf.forEach((sub, i) => isJsonObject(sub) && visit({ schema: sub, ptr: `${n.ptr}/allOf/${i}` }, depth + 1));
      }
      if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) {
        const ptr = decodeURIComponent(s.$ref.slice(1));
        const target = resolvePointer(this.compiled.root, ptr);
        if (isJsonObject(target)) visit({ schema: target, ptr }, depth + 1);
      }
      for (const word of ['anyOf', 'oneOf'] as const) {
        const list = s[word];
        if (!Array.isArray(list)) continue;
        list.forEach((sub, i) => {
          const ptr = `${n.ptr}/${word}/${i}`;
          if (isJsonObject(sub) && this.compiled.matches(ptr, value)) visit({ schema: sub, ptr }, depth + 1);
        });
      }
    };
    for (const n of nodes) visit(n, 0);
    return out;
  }
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

function findReduce(nodes: SchemaNode[]): ReduceAnnotation | undefined {
  for (const n of nodes) {
    const r = n.schema.reduce;
    if (isJsonObject(r) && typeof r.strategy === 'string') {
      return {
        strategy: r.strategy,
        key: Array.isArray(r.key) ? r.key.filter((k): k is string => typeof k === 'string') : undefined,
        delete: r.delete === true,
      };
    }
  }
  return undefined;
}

function compareByKey(a: unknown, b: unknown, key: string[] | undefined): number {
  if (!key || key.length === 0) return compareJson(a, b);
  for (const ptr of key) {
    const c = compareJson(resolvePointer(a, ptr), resolvePointer(b, ptr));
    if (c !== 0) return c;
  }
  return 0;
}

/** A simplified `set` reduction over objects: `add` merges, `remove` deletes, `intersect` keeps common entries. */
function reduceSet(lhs: unknown, rhs: unknown): unknown {
  if (!isJsonObject(lhs) || !isJsonObject(rhs)) return rhs;
  const out: JsonObject = { ...lhs };
  let added: JsonObject = isJsonObject(lhs.add) ? { ...lhs.add } : {};
  if (isJsonObject(rhs.intersect)) {
    added = Object.fromEntries(Object.entries(added).filter(([k]) => k in (rhs.intersect as JsonObject)));
  }
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the reduction removes the named keys
  if (isJsonObject(rhs.remove)) for (const k of Object.keys(rhs.remove)) delete added[k];
  if (isJsonObject(rhs.add)) Object.assign(added, rhs.add);
  out.add = added;
  if (isJsonObject(rhs.remove)) out.remove = { ...(isJsonObject(lhs.remove) ? lhs.remove : {}), ...rhs.remove };
  return out;
}

/** Extracts the key tuple of `doc`; used by the combiner to group documents. */
export function extractKey(doc: unknown, key: readonly string[]): unknown[] {
  return key.map((ptr) => resolvePointer(doc, ptr));
}

/** Checks that every key location is present and a string, integer or boolean; returns the problem or `undefined`. */
export function checkKey(doc: unknown, key: readonly string[]): string | undefined {
  for (const ptr of key) {
    const v = resolvePointer(doc, ptr);
    if (v === undefined) return `document key ${ptr} is missing`;
    const ok = typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    if (!ok) {
      const kind = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'fractional number' : typeof v;
      return `document key ${ptr} must be a string, integer or boolean, not ${kind}`;
    }
  }
  return undefined;
}

/**
 * The `sum` reduction: numbers add as numbers; when either side is an exact big integer and both are
 * integers, they add exactly (a result within ±2^53 is a number again). Anything else keeps `rhs`.
 */
function sum(lhs: unknown, rhs: unknown): unknown {
  if (typeof lhs === 'number' && typeof rhs === 'number') return lhs + rhs;
  const integer = (v: unknown): v is bigint | number => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
  if (typeof lhs === 'bigint' || typeof rhs === 'bigint') {
    if (!integer(lhs) || !integer(rhs)) return typeof lhs === 'number' || typeof rhs === 'number' ? Number(lhs) + Number(rhs) : rhs;
    const total = BigInt(lhs) + BigInt(rhs);
    return total >= BigInt(Number.MIN_SAFE_INTEGER) && total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : total;
  }
  return rhs;
}

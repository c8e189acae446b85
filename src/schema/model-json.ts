import type { Class } from '../common/metadata';
import { formatDateTime } from '../common/time';
import { pythonFloatText, toJsonText, type BigIntHint } from '../common/json-text';
import { modelProperties, nestedType } from './model-schema';

/** How one declared field of a model is written. */
interface FieldWriter {
  readonly name: string;
  /** The field's JSON key text, `"name":`. */
  readonly key: string;
  /** `float`: Python float formatting; `model`: a nested model's order; `date`: Pydantic datetimes. */
  readonly kind: 'plain' | 'float' | 'model' | 'date';
  readonly model?: Class;
}

/**
 * How documents of a model class are serialized, as Pydantic's `model_dump_json` writes a model:
 * its declared fields first, in declaration order with base-class fields first, then any extra
 * fields in the order the object has them. Declared float fields (`@IsNumber` without `@IsInt`)
 * with integral values are written `10.0`, nested models in their own declared order, and `Date`
 * fields as Pydantic datetimes.
 */
export class ModelJsonWriter {
  private readonly fields: readonly FieldWriter[];
  private readonly rank: ReadonlyMap<string, number>;
  /** Set once a document of this model held a bigint. */
  private readonly hint: BigIntHint = { bigint: false };

  private constructor(cls: Class) {
    this.fields = modelProperties(cls).map((p): FieldWriter => {
      const names = new Set(p.validators.map((v) => v.name));
      const nested = nestedType(p);
      const key = JSON.stringify(p.name) + ':';
      if ((nested as unknown) === Date || names.has('isDate')) return { name: p.name, key, kind: 'date' };
      if (nested !== undefined) return { name: p.name, key, kind: 'model', model: nested };
      if (names.has('isNumber') && !names.has('isInt')) return { name: p.name, key, kind: 'float' };
      return { name: p.name, key, kind: 'plain' };
    });
    this.rank = new Map(this.fields.map((f, i) => [f.name, i]));
  }

  private static readonly cache = new WeakMap<Class, ModelJsonWriter>();

  /** The writer of `cls` (built once per class). */
  /** The last class asked for, and its writer: documents come in runs of one class. */
  private static lastClass: Class | undefined;
  private static lastWriter: ModelJsonWriter | undefined;

  static of(cls: Class): ModelJsonWriter {
    if (cls === ModelJsonWriter.lastClass) return ModelJsonWriter.lastWriter!;
    let w = ModelJsonWriter.cache.get(cls);
    if (w === undefined) {
      w = new ModelJsonWriter(cls);
      ModelJsonWriter.cache.set(cls, w);
    }
    ModelJsonWriter.lastClass = cls;
    ModelJsonWriter.lastWriter = w;
    return w;
  }

  /**
   * The writer for a document: its own class when it is an instance of a class (as Pydantic
   * serializes a model by its own type), else `declared`, else none.
   */
  static forDocument(doc: object, declared: Class | undefined): ModelJsonWriter | undefined {
    const ctor = (doc as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function' && ctor !== Object && !Array.isArray(doc)) return ModelJsonWriter.of(ctor as Class);
    return declared === undefined ? undefined : ModelJsonWriter.of(declared);
  }

  /** Whether plain `JSON.stringify` already writes `doc` as this model would. */
  isNative(doc: object): boolean {
    return this.fields.length === 0 || this.fit(doc as Record<string, unknown>) === 'native';
  }

  /** The JSON text of `doc`. */
  write(doc: object): string | undefined {
    const obj = doc as Record<string, unknown>;
    if (this.fields.length === 0) return toJsonText(obj, this.hint);
    // Most documents hold nothing Python would write differently, often in order already.
    const fit = this.fit(obj);
    if (fit === 'native') return toJsonText(obj, this.hint);
    if (fit === 'reorder') return toJsonText(this.reordered(obj), this.hint);
    const parts: string[] = [];
    for (const f of this.fields) {
      if (!Object.prototype.hasOwnProperty.call(obj, f.name)) continue;
      const text = this.fieldText(f, obj[f.name]);
      if (text !== undefined) parts.push(f.key + text);
    }
    for (const k of Object.keys(obj)) {
      if (this.rank.has(k)) continue;
      const text = toJsonText(obj[k], this.hint);
      if (text !== undefined) parts.push(JSON.stringify(k) + ':' + text);
    }
    return '{' + parts.join(',') + '}';
  }

  /**
   * The key sequence of the last document {@link fit} examined (as `for…in` enumerates it), and
   * what it found: documents of one model mostly share one shape, so a document enumerating the
   * same keys gets the same answer after re-checking only the values of its non-plain fields.
   */
  private shapeKeys: string[] | undefined;
  /** Whether the own declared fields of that shape come in declared order. */
  private shapeOrdered = true;
  /** The non-plain declared fields of that shape, whose values decide `manual` per document. */
  private shapeSpecial: FieldWriter[] = [];

  /**
   * `native` when `JSON.stringify` writes `obj` as Pydantic would (declared fields first and in
   * order, nested models likewise, no integral or tiny float, no `Date` in a datetime field);
   * `reorder` when only the top-level order differs; `manual` otherwise.
   */
  private fit(obj: Record<string, unknown>): 'native' | 'reorder' | 'manual' {
    // A `for…in` walk compares keys with the last shape without allocating a key array (as
    // `Object.keys` would per document). Inherited enumerable keys, which `for…in` adds after the
    // own ones, are part of the shape but never of the order: see `learnShape`.
    const keys = this.shapeKeys;
    if (keys === undefined || !sameKeys(obj, keys)) this.learnShape(obj);
    const special = this.shapeSpecial;
    for (let i = 0; i < special.length; i++) {
      const f = special[i]!;
      if (!nativeValue(f, obj[f.name])) return 'manual';
    }
    return this.shapeOrdered ? 'native' : 'reorder';
  }

  /**
   * Records the shape of `obj`: its `for…in` keys, whether its declared fields come in order and
   * which of them are not plain. Only own properties count, as `Object.keys` and `JSON.stringify`
   * see them. A shape with an inherited enumerable key is used for `obj` alone and not kept: the
   * same key sequence could hold that key as an own property of the next document.
   */
  private learnShape(obj: Record<string, unknown>): void {
    const keys: string[] = [];
    const special: FieldWriter[] = [];
    let last = -1;
    let ordered = true;
    let allOwn = true;
    for (const k in obj) {
      keys.push(k);
      if (!Object.prototype.hasOwnProperty.call(obj, k)) {
        allOwn = false;
        continue;
      }
      const r = this.rank.get(k);
      if (r === undefined) {
        last = Infinity;
        continue;
      }
      if (r < last) ordered = false;
      last = r;
      const f = this.fields[r]!;
      if (f.kind !== 'plain') special.push(f);
    }
    this.shapeKeys = allOwn ? keys : undefined;
    this.shapeOrdered = ordered;
    this.shapeSpecial = special;
  }

  private reordered(obj: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.fields) if (Object.prototype.hasOwnProperty.call(obj, f.name)) out[f.name] = obj[f.name];
    for (const k of Object.keys(obj)) if (!this.rank.has(k)) out[k] = obj[k];
    return out;
  }

  private fieldText(f: FieldWriter, v: unknown): string | undefined {
    if (Array.isArray(v)) return '[' + v.map((x) => this.fieldText(f, x) ?? 'null').join(',') + ']';
    switch (f.kind) {
      case 'float':
        return typeof v === 'number' ? pythonFloatText(v) : toJsonText(v, this.hint);
      case 'date':
        return v instanceof Date && !Number.isNaN(v.getTime()) ? JSON.stringify(formatDateTime(v)) : toJsonText(v, this.hint);
      case 'model':
        return v !== null && typeof v === 'object' && !(v instanceof Date) ? ModelJsonWriter.forDocument(v, f.model)!.write(v) : toJsonText(v, this.hint);
      default:
        return toJsonText(v, this.hint);
    }
  }
}

/** Whether `obj` enumerates exactly `keys`, in order (without allocating). */
function sameKeys(obj: object, keys: readonly string[]): boolean {
  let n = 0;
  for (const k in obj) {
    if (n >= keys.length || keys[n] !== k) return false;
    n++;
  }
  return n === keys.length;
}

function nativeValue(f: FieldWriter, v: unknown): boolean {
  if (Array.isArray(v)) return v.every((x) => nativeValue(f, x));
  switch (f.kind) {
    case 'float':
      // JavaScript and Python agree on every other float.
      return typeof v !== 'number' || !(Number.isInteger(v) || Math.abs(v) < 1e-5);
    case 'date':
      return !(v instanceof Date);
    case 'model':
      return v === null || typeof v !== 'object' || v instanceof Date || ModelJsonWriter.forDocument(v, f.model)!.isNative(v);
    default:
      return true;
  }
}

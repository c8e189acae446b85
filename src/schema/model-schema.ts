import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { lineage, metadata, type Class, type PropertyAnnotations, type SchemaPrimitive } from '../common/metadata';
import { declaredType } from './class-transformer-types';
import { pydanticTitle, sortSchemaKeys } from './pydantic-title';

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/** One property of a model as the schema builder and config loader see it. */
export interface PropertyInfo {
  name: string;
  annotations: PropertyAnnotations;
  validators: ValidationMetadata[];
  designType: unknown;
  optional: boolean;
}

/** The properties of `cls` in declaration order, base classes first, with their validators and annotations. */
export function modelProperties(cls: Class): PropertyInfo[] {
  const all = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const annotations = metadata.getProperties(cls);
  const names: string[] = [];
  for (const c of lineage(cls).reverse()) {
    // Decorators of one property run together, so class-validator's entry index orders properties;
    // a property with only our annotations sits where it was annotated among those entries.
    const ranked = new Map<string, number>();
    all
      .filter((m) => m.target === c)
      .forEach((m, i) => {
        if (!ranked.has(m.propertyName)) ranked.set(m.propertyName, i * 2 + 1);
      });
    for (const [name, ann] of metadata.getProperties(c)) {
      if (!ranked.has(name) && ann.position !== undefined) ranked.set(name, ann.position * 2);
    }
    for (const [name] of [...ranked].sort((a, b) => a[1] - b[1])) if (!names.includes(name)) names.push(name);
  }
  return names.map((name) => {
    const validators = all.filter((m) => m.propertyName === name);
    const ann = annotations.get(name) ?? {};
    const optional = validators.some((v) => v.name === 'isOptional') || ann.hasDefault === true || ann.nullable === true;
    return { name, annotations: ann, validators, designType: Reflect.getMetadata('design:type', cls.prototype as object, name) as unknown, optional };
  });
}

const STRING_FORMATS: Record<string, string> = {
  isIso8601: 'date-time',
  isISO8601: 'date-time',
  isDateString: 'date-time',
  isEmail: 'email',
  isUrl: 'uri',
  isUuid: 'uuid',
  isIp: 'ipv4',
};

/** Builds model schemas, collecting nested models into `$defs` as Pydantic does. */
export class SchemaBuilder {
  private readonly defs = new Map<Class, { name: string; schema: JsonSchema }>();

  /** The root schema of `cls`, with every nested model under `$defs`, keys ordered as Pydantic's. */
  static build(cls: Class, extraRoot: JsonSchema = {}): JsonSchema {
    const b = new SchemaBuilder();
    const root = b.objectSchema(cls);
    const out: JsonSchema = { ...root, ...extraRoot };
    if (b.defs.size > 0) {
      const defs: JsonSchema = {};
      for (const { name, schema } of b.defs.values()) defs[name] = schema;
      out.$defs = defs;
    }
    return sortSchemaKeys(out) as JsonSchema;
  }

  private ref(cls: Class): JsonSchema {
    if (!this.defs.has(cls)) {
      const taken = new Set([...this.defs.values()].map((d) => d.name));
      const base = metadata.getOwnModel(cls).name ?? cls.name;
      let name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
      this.defs.set(cls, { name, schema: {} });
      this.defs.get(cls)!.schema = this.objectSchema(cls);
    }
    return { $ref: `#/$defs/${this.defs.get(cls)!.name}` };
  }

  private objectSchema(cls: Class): JsonSchema {
    const model = metadata.getModel(cls);
    const ownModel = ownModelAnnotations(cls);
    const properties: JsonSchema = {};
    const required: string[] = [];
    for (const p of modelProperties(cls)) {
      properties[p.name] = this.propertySchema(p);
      if (!p.optional) required.push(p.name);
    }
    // `@Model({ name })` renames the model as a Python class name would: its `$defs` key and, unless a
    // title is given, its title.
    const schema: JsonSchema = { type: 'object', title: ownModel.title ?? metadata.getOwnModel(cls).name ?? cls.name, properties };
    if (required.length > 0) schema.required = required;
    if (ownModel.description !== undefined) schema.description = ownModel.description;
    if (model.additionalProperties !== undefined) schema.additionalProperties = model.additionalProperties;
    if (model.oauth2Provider !== undefined) schema['x-oauth2-provider'] = model.oauth2Provider;
    Object.assign(schema, model.extra);
    return schema;
  }

  private propertySchema(p: PropertyInfo): JsonSchema {
    const a = p.annotations;
    let s: JsonSchema;
    if (a.oneOf !== undefined) {
      s = { oneOf: a.oneOf.classes.map((c) => this.ref(c)) };
      if (a.oneOf.discriminator !== undefined) {
        const mapping: Record<string, string> = {};
        for (const c of a.oneOf.classes) {
          const value = discriminatorValue(c, a.oneOf.discriminator);
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- discriminator values are literals; String() is the mapping key
          if (value !== undefined) mapping[String(value)] = this.ref(c).$ref as string;
        }
        s.discriminator = { propertyName: a.oneOf.discriminator, mapping };
      }
    } else {
      s = this.typeSchema(p);
    }
    // Pydantic gives no derived title to a field that is a reference to a model (nullable or not).
    const isRef = s.$ref !== undefined;
    // Python's Optional[T] = None: T's schema (constraints included) or null, defaulting to null.
    if (a.nullable) s = { anyOf: [s, { type: 'null' }], default: null };
    if (a.title !== undefined) s.title = a.title;
    else if (!isRef) s.title = pydanticTitle(p.name);
    if (a.description !== undefined) s.description = a.description;
    if (a.hasDefault) s.default = a.default;
    if (a.format !== undefined) s.format = a.format;
    if (a.secret) s.secret = true;
    if (a.advanced) s.advanced = true;
    if (a.order !== undefined) s.order = a.order;
    if (a.multiline) s.multiline = true;
    if (a.extra !== undefined) {
      if ('anyOf' in a.extra || 'oneOf' in a.extra || '$ref' in a.extra) delete s.type;
      Object.assign(s, a.extra);
    }
    return s;
  }

  private typeSchema(p: PropertyInfo): JsonSchema {
    const s: JsonSchema = {};
    const names = new Set(p.validators.map((v) => v.name ?? v.type));
    const each = p.validators.filter((v) => v.each);
    const isArray = p.designType === Array || names.has('isArray') || each.length > 0;
    const declared = p.annotations.itemType?.() ?? nestedType(p);
    if (isArray) {
      s.type = 'array';
      const items = declared !== undefined ? this.valueSchema(declared, []) : this.scalarFromValidators(each, undefined);
      if (Object.keys(items).length > 0) s.items = items;
      for (const v of p.validators) {
        if (v.name === 'arrayMinSize') s.minItems = v.constraints[0];
        if (v.name === 'arrayMaxSize') s.maxItems = v.constraints[0];
      }
      return s;
    }
    if (declared !== undefined) return this.valueSchema(declared, p.validators);
    const scalar = this.scalarFromValidators(p.validators, p.annotations.schemaType ?? designPrimitive(p.designType));
    // An object of no declared model is Python's `dict`, which Pydantic writes as open.
    if (scalar.type === 'object') scalar.additionalProperties = true;
    return scalar;
  }

  private valueSchema(type: Class | SchemaPrimitive, validators: ValidationMetadata[]): JsonSchema {
    if (typeof type === 'string') return this.scalarFromValidators(validators, type);
    if ((type as unknown) === Date) return { type: 'string', format: 'date-time' };
    const prim = designPrimitive(type);
    if (prim !== undefined && prim !== 'object') return this.scalarFromValidators(validators, prim);
    if ((type as unknown) === Object) return { type: 'object' };
    return this.ref(type);
  }

  private scalarFromValidators(validators: ValidationMetadata[], base: SchemaPrimitive | undefined): JsonSchema {
    const s: JsonSchema = {};
    let type: string | undefined = base;
    for (const v of validators) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- class-validator metadata may omit constraints despite its type
      const c = v.constraints ?? [];
      switch (v.name) {
        case 'isString':
          type = 'string';
          break;
        case 'isInt':
          type = 'integer';
          break;
        case 'isNumber':
        case 'isNumberString':
          type = v.name === 'isNumber' ? (type === 'integer' ? 'integer' : 'number') : 'string';
          break;
        case 'isBoolean':
          type = 'boolean';
          break;
        case 'isObject':
          type = 'object';
          break;
        case 'isDate':
          type = 'string';
          s.format = 'date-time';
          break;
        case 'isPositive':
          s.exclusiveMinimum = 0;
          break;
        case 'min':
          s.minimum = c[0];
          break;
        case 'max':
          s.maximum = c[0];
          break;
        case 'minLength':
          s.minLength = c[0];
          break;
        case 'maxLength':
          s.maxLength = c[0];
          break;
        case 'isLength':
          s.minLength = c[0];
          if (c[1] !== undefined) s.maxLength = c[1];
          break;
        // A RegExp's source escapes '/'; Pydantic writes the pattern as given.
        case 'matches':
          s.pattern = c[0] instanceof RegExp ? c[0].source.replace(/\\\//g, '/') : String(c[0]);
          break;
        case 'isIn':
          s.enum = [...(c[0] as unknown[])];
          break;
        case 'isEnum':
          s.enum = [
            ...new Set(
              Object.entries(c[0] as Record<string, unknown>)
                .filter(([k]) => !/^\d+$/.test(k))
                .map(([, x]) => x),
            ),
          ];
          break;
        case 'equals':
          s.const = c[0];
          break;
        default:
          if (v.name !== undefined && STRING_FORMATS[v.name] !== undefined) {
            type = 'string';
            s.format = STRING_FORMATS[v.name];
          }
      }
    }
    if (type === undefined && s.enum !== undefined) type = enumType(s.enum as unknown[]);
    if (type === undefined && s.const !== undefined) type = enumType([s.const]);
    if (type !== undefined && type !== 'null') s.type = type;
    return s;
  }
}

/**
 * A model's title inherits (as Pydantic's `model_config` title does); its description and `$defs`
 * name belong to the class itself (as a Python docstring and class name do).
 */
function ownModelAnnotations(cls: Class): { title?: string; description?: string } {
  const own = metadata.getOwnModel(cls);
  const title = metadata.getModel(cls).title;
  return { ...(title !== undefined ? { title } : {}), ...(own.description !== undefined ? { description: own.description } : {}) };
}

function enumType(values: unknown[]): string | undefined {
  const kinds = new Set(values.map((v) => (Number.isInteger(v) ? 'integer' : typeof v)));
  if (kinds.size !== 1) return undefined;
  const k = [...kinds][0];
  return k === 'string' ? 'string' : k === 'integer' ? 'integer' : k === 'number' ? 'number' : k === 'boolean' ? 'boolean' : undefined;
}

function designPrimitive(t: unknown): SchemaPrimitive | undefined {
  if (t === String) return 'string';
  if (t === Number) return 'number';
  if (t === Boolean) return 'boolean';
  if (t === Array) return 'array';
  if (t === Object) return 'object';
  return undefined;
}

/** The nested model class of a property: class-transformer's `@Type`, else its emitted class type. */
export function nestedType(p: PropertyInfo): Class | undefined {
  for (const v of p.validators) {
    const target = v.target as Class;
    const declared = declaredType(target, p.name);
    if (declared !== undefined) return declared as Class;
  }
  const t = p.designType;
  if (typeof t === 'function' && t !== Date && designPrimitive(t) === undefined && t !== Function && t !== Promise) return t as Class;
  if (t === Date) return Date;
  return undefined;
}

/** The constant a model declares for `property` (via `@Equals` or a default), for discriminated unions. */
export function discriminatorValue(cls: Class, property: string): unknown {
  const p = modelProperties(cls).find((x) => x.name === property);
  if (p === undefined) return undefined;
  const eq = p.validators.find((v) => v.name === 'equals');
  if (eq !== undefined) return eq.constraints[0];
  return p.annotations.hasDefault ? p.annotations.default : undefined;
}

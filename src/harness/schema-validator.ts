import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { bigIntsAsNumbers, isJsonObject, JsonObject } from './json-utils';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Creates the Ajv instance the harness validates with: JSON Schema 2020-12, non-strict so Flow's
 * annotations (`reduce`, `secret`, `advanced`, `order`, `multiline`, `x-*`, …) pass, and the string
 * formats Flow checks. Unknown formats are ignored rather than rejected, as Flow does.
 */
export function createAjv(allErrors = false): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors, logger: false, validateSchema: false });
  ajv.addFormat('date', (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));
  ajv.addFormat('time', TIME);
  ajv.addFormat('date-time', (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))));
  ajv.addFormat('uuid', UUID);
  ajv.addFormat('integer', /^-?\d+$/);
  ajv.addFormat('number', /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^(NaN|-?Infinity)$/);
  return ajv;
}

/** Drops a `$schema` that Ajv 2020 would not know (draft-07 config schemas are common). */
export function withoutMetaSchema(schema: unknown): unknown {
  if (!isJsonObject(schema) || schema.$schema === undefined) return schema;
  const copy: JsonObject = { ...schema };
  delete copy.$schema;
  return copy;
}

/** One schema violation: where (a JSON pointer into the instance) and which rule. */
export interface SchemaViolation {
  pointer: string;
  rule: string;
}

/** Turns the first Ajv error into a pointer and a short rule description. */
export function describeAjvError(error: ErrorObject): SchemaViolation {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return { pointer: `${error.instancePath}/${String(params.missingProperty)}`, rule: 'required property is missing (required)' };
  }
  if (error.keyword === 'additionalProperties') {
    return {
      pointer: `${error.instancePath}/${String(params.additionalProperty)}`,
      rule: 'property is not allowed (additionalProperties)',
    };
  }
  return { pointer: error.instancePath, rule: `${error.message ?? 'is invalid'} (${error.keyword})` };
}

/** Formats a violation as `<pointer>: <rule>`, showing the document root as `(root)`. */
export function formatViolation(v: SchemaViolation): string {
  return `${v.pointer === '' ? '(root)' : v.pointer}: ${v.rule}`;
}

/**
 * A compiled schema that can validate documents and answer which subschemas apply at a location,
 * which the combiner needs to find `reduce` annotations.
 */
export class CompiledSchema {
  readonly root: unknown;
  private readonly ajv: Ajv2020;
  private readonly id: string;
  private readonly validateRoot: ValidateFunction;
  private readonly subValidators = new Map<string, ValidateFunction | undefined>();

  constructor(schema: unknown, id: string) {
    this.ajv = createAjv();
    const root = withoutMetaSchema(schema);
    this.id = isJsonObject(root) && typeof root.$id === 'string' ? root.$id : id;
    this.root = isJsonObject(root) && root.$id === undefined ? { ...root, $id: this.id } : root;
    this.ajv.addSchema(this.root as object, this.id);
    const validate = this.ajv.getSchema(this.id);
    if (!validate) throw new Error(`cannot compile schema ${this.id}`);
    this.validateRoot = validate;
  }

  /** Validates `doc`; returns the first violation or `undefined` when valid. */
  validate(doc: unknown): SchemaViolation | undefined {
    if (this.validateRoot(bigIntsAsNumbers(doc))) return undefined;
    const first = this.validateRoot.errors?.[0];
    return first ? describeAjvError(first) : { pointer: '', rule: 'is invalid' };
  }

  /** True when `value` satisfies the subschema at `schemaPointer` (a JSON pointer into the root schema). */
  matches(schemaPointer: string, value: unknown): boolean {
    let fn = this.subValidators.get(schemaPointer);
    if (!this.subValidators.has(schemaPointer)) {
      const fragment = schemaPointer
        .split('/')
        .map((t) => encodeURIComponent(t))
        .join('/');
      try {
        fn = this.ajv.getSchema(`${this.id}#${fragment}`);
      } catch {
        fn = undefined;
      }
      this.subValidators.set(schemaPointer, fn);
    }
    return fn ? fn(bigIntsAsNumbers(value)) : false;
  }
}

import { code, durationInWords, escapeText } from './markdown-text';

/** A JSON schema node as the `spec` response carries it (loosely typed: it is data). */
export type SchemaNode = Record<string, unknown>;

/** One row of a properties table: one JSON pointer. */
export interface PropertyRow {
  pointer: string;
  required: boolean;
  title: string;
  description: string;
  type: string;
  requiredDefault: string;
}

/** A table: the properties of one object, or of one variant of a `oneOf`. */
export interface PropertyTable {
  /** `''` for the top-level object. */
  pointer: string;
  /** The variant's title when the table documents one `oneOf` branch. */
  variant?: string;
  rows: PropertyRow[];
}

/** Properties Flow sets itself; they are not configuration a user writes. */
const HIDDEN = new Set(['_meta']);

/** Follows a local `$ref` (`#/$defs/X`), letting the referring node's own keywords win. */
export function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (target === undefined || target === null || typeof target !== 'object') return node;
  const { $ref: _ignored, ...rest } = node;
  return { ...resolve(target as SchemaNode, root), ...rest };
}

/** A nullable `anyOf`/`oneOf` (`X | null`) unwrapped to `X`; anything else unchanged. */
function unwrapNullable(node: SchemaNode, root: SchemaNode): { node: SchemaNode; nullable: boolean } {
  const union = (node.anyOf ?? node.oneOf) as SchemaNode[] | undefined;
  if (!Array.isArray(union)) return { node, nullable: false };
  const rest = union.filter((v) => resolve(v, root).type !== 'null');
  if (rest.length !== 1 || rest.length === union.length) return { node, nullable: false };
  const { anyOf: _a, oneOf: _o, ...own } = node;
  return { node: { ...resolve(rest[0]!, root), ...own }, nullable: true };
}

/** The branches of a union that documents alternatives (not a nullable wrapper). */
export function variantsOf(node: SchemaNode, root: SchemaNode): SchemaNode[] | undefined {
  const union = (node.oneOf ?? node.anyOf) as SchemaNode[] | undefined;
  return Array.isArray(union) && union.length > 0 ? union.map((v) => resolve(v, root)) : undefined;
}

function typeOf(node: SchemaNode, root: SchemaNode, nullable: boolean): string {
  let type: string;
  const variants = variantsOf(node, root);
  if (variants !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- schema titles are strings; String() keeps a malformed one printable
    type = `${variants.every((v) => v.type === 'object') ? 'object' : 'value'}, one of: ${variants.map((v, i) => escapeText(String(v.title ?? `variant ${i + 1}`))).join(', ')}`;
  } else if (Array.isArray(node.type)) {
    type = node.type.join(' or ');
  } else if (node.type === 'array' && node.items !== undefined) {
    type = `array of ${typeOf(resolve(node.items as SchemaNode, root), root, false)}`;
  } else if (typeof node.type === 'string') {
    type = node.type;
  } else if (node.const !== undefined) {
    type = typeof node.const;
  } else {
    type = 'any';
  }
  if (typeof node.format === 'string') type += ` (${node.format})`;
  return nullable ? `${type} or null` : type;
}

/** A default, const or enum value, with ISO durations in words. */
function valueText(value: unknown, node: SchemaNode): string {
  const words = node.format === 'duration' ? durationInWords(value) : undefined;
  return words === undefined ? code(value) : `${code(value)} (${words})`;
}

const BOUNDS: ReadonlyArray<[string, string]> = [
  ['minimum', 'Minimum'],
  ['exclusiveMinimum', 'Greater than'],
  ['maximum', 'Maximum'],
  ['exclusiveMaximum', 'Less than'],
  ['minLength', 'Minimum length'],
  ['maxLength', 'Maximum length'],
  ['minItems', 'Minimum items'],
  ['maxItems', 'Maximum items'],
];

function describe(node: SchemaNode): string {
  const parts: string[] = [];
  if (typeof node.description === 'string' && node.description.trim() !== '') {
    const text = escapeText(node.description.trim());
    parts.push(/[.!?:)]$/.test(text) ? text : `${text}.`);
  }
  if (Array.isArray(node.enum)) parts.push(`One of: ${node.enum.map((v) => valueText(v, node)).join(', ')}.`);
  for (const [key, label] of BOUNDS) if (typeof node[key] === 'number') parts.push(`${label}: ${String(node[key])}.`);
  if (typeof node.pattern === 'string') parts.push(`Pattern: ${code(node.pattern)}.`);
  if (Array.isArray(node.examples) && node.examples.length > 0) parts.push(`Example: ${valueText(node.examples[0], node)}.`);
  if (node.secret === true || node.airbyte_secret === true) parts.push('**Secret.**');
  if (node.advanced === true) parts.push('*Advanced.*');
  return parts.join(' ');
}

function requiredDefault(node: SchemaNode, required: boolean): string {
  const parts: string[] = [];
  if (required && node.const === undefined) parts.push('Required');
  if (node.const !== undefined) parts.push(`Set to ${valueText(node.const, node)}`);
  else if (node.default !== undefined && node.default !== null) parts.push(`Default: ${valueText(node.default, node)}`);
  return parts.join(', ');
}

/**
 * Flattens an object schema into tables: one row per JSON pointer, and a further table for each
 * nested object and for each `oneOf`/`anyOf` variant, in document order.
 */
export function schemaTables(schema: SchemaNode): PropertyTable[] {
  const tables: PropertyTable[] = [];
  walkObject(resolve(schema, schema), schema, '', undefined, tables);
  return tables;
}

function walkObject(node: SchemaNode, root: SchemaNode, pointer: string, variant: string | undefined, tables: PropertyTable[]): void {
  const table: PropertyTable = { pointer, rows: [], ...(variant === undefined ? {} : { variant }) };
  tables.push(table);
  const props = (node.properties ?? {}) as Record<string, SchemaNode>;
  const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  const nested: Array<() => void> = [];
  for (const [name, raw] of Object.entries(props)) {
    if (pointer === '' && HIDDEN.has(name)) continue;
    const { node: prop, nullable } = unwrapNullable(resolve(raw, root), root);
    const ptr = `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const isRequired = required.has(name);
    table.rows.push({
      pointer: ptr,
      required: isRequired,
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- schema titles are strings; String() keeps a malformed one printable
      title: escapeText(String(prop.title ?? '')),
      description: describe(prop),
      type: typeOf(prop, root, nullable),
      requiredDefault: requiredDefault(prop, isRequired),
    });
    const variants = variantsOf(prop, root);
    if (variants !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- schema titles are strings; String() keeps a malformed one printable
      variants.forEach((v, i) => nested.push(() => walkObject(v, root, ptr, String(v.title ?? `variant ${i + 1}`), tables)));
    } else if (prop.properties !== undefined) {
      nested.push(() => walkObject(prop, root, ptr, undefined, tables));
    } else if (prop.type === 'array' && prop.items !== undefined) {
      const items = resolve(prop.items as SchemaNode, root);
      if (items.properties !== undefined) nested.push(() => walkObject(items, root, `${ptr}/[]`, undefined, tables));
    }
  }
  for (const n of nested) n();
}

type Schema = Record<string, unknown>;

const META_SCHEMA: Schema = {
  additionalProperties: false,
  type: 'object',
  properties: {
    op: { type: 'string', enum: ['c', 'u', 'd'], minLength: 1, maxLength: 1 },
    row_id: { type: 'integer', minimum: 1, maximum: 1 },
    uuid: { type: 'string', minLength: 36, maxLength: 36 },
  },
  required: ['uuid', 'op', 'row_id'],
};

/**
 * Makes a sourced schema maximally restrictive, as the Python CDK does before sending it: the
 * runtime unions it into the inferred schema, which only widens, so anything left unstated would
 * be lost. Adds `_meta` (op, row_id, uuid), closes every object that declares properties, requires
 * every declared property, and gives strings and numbers tight bounds. What the connector declared
 * wins. The input is not modified.
 */
export function withSourcedSchemaDefaults(schema: Schema): Schema {
  const root: Schema = { ...schema, type: 'object' };
  const props = (root.properties as Record<string, Schema> | undefined) ?? {};
  const declaredMeta = props._meta ?? {};
  root.properties = {
    ...props,
    _meta: {
      ...META_SCHEMA,
      ...declaredMeta,
      properties: { ...(META_SCHEMA.properties as Schema), ...((declaredMeta.properties as Schema | undefined) ?? {}) },
    },
  };
  return normalize(root);
}

function normalize(location: Schema): Schema {
  let out: Schema = { ...location };
  for (const kw of ['properties', 'patternProperties', '$defs', 'definitions']) {
    const sub = out[kw];
    if (isObject(sub)) out[kw] = Object.fromEntries(Object.entries(sub).map(([k, v]) => [k, isObject(v) ? normalize(v) : v]));
  }
  for (const kw of ['oneOf', 'anyOf', 'allOf', 'prefixItems']) {
    const sub = out[kw];
    if (Array.isArray(sub)) out[kw] = sub.map((v: unknown) => (isObject(v) ? normalize(v) : v));
  }
  for (const kw of ['items', 'additionalProperties']) {
    const sub = out[kw];
    if (isObject(sub)) out[kw] = normalize(sub);
    else if (Array.isArray(sub)) out[kw] = sub.map((v: unknown) => (isObject(v) ? normalize(v) : v));
  }
  const hasProps = isObject(out.properties) && Object.keys(out.properties).length > 0;
  const hasPattern = isObject(out.patternProperties) && Object.keys(out.patternProperties).length > 0;
  if (hasProps || hasPattern) out = { type: 'object', ...out, additionalProperties: false };
  if (hasProps) {
    const required = Array.isArray(out.required) ? (out.required as string[]) : [];
    out.required = [...required, ...Object.keys(out.properties as Schema).filter((n) => !required.includes(n))];
  }
  const declared = out.type;
  const types = new Set(typeof declared === 'string' ? [declared] : Array.isArray(declared) ? (declared as string[]) : []);
  if (types.has('string')) out = { minLength: 1, maxLength: 1, ...out };
  if (types.has('integer') || types.has('number')) out = { minimum: 1, maximum: 1, ...out };
  return out;
}

function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

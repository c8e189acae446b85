import { stringify } from 'yaml';
import { resolve, variantsOf, type SchemaNode } from './schema-tables';

/** What a secret is shown as in a sample: never a value, whatever the schema's default says. */
export const SECRET_PLACEHOLDER = '<secret>';

/**
 * A sample value for a schema node: secrets masked, then `const`, the first example, the default,
 * the first `oneOf` variant, an object of its required and defaulted properties, or a placeholder.
 */
export function sampleValue(raw: SchemaNode, root: SchemaNode, name = 'value'): unknown {
  const node = resolve(raw, root);
  if (node.secret === true || node.airbyte_secret === true) return SECRET_PLACEHOLDER;
  if (node.const !== undefined) return node.const;
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  if (node.default !== undefined && node.default !== null) return node.default;
  const variants = variantsOf(node, root)?.filter((v) => v.type !== 'null');
  if (variants !== undefined && variants.length > 0) return sampleValue(variants[0]!, root, name);
  if (node.properties !== undefined) return sampleObject(node, root, false);
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  switch (node.type) {
    case 'integer':
    case 'number':
      return typeof node.minimum === 'number' ? node.minimum : 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- schema titles are strings; String() keeps a malformed one printable
      return `<${String(node.title ?? name)}>`;
  }
}

/** The required properties of an object, plus optional ones with a default or example (not advanced). */
export function sampleObject(node: SchemaNode, root: SchemaNode, hideMeta: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  for (const [name, raw] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
    if (hideMeta && name === '_meta') continue;
    const prop = resolve(raw, root);
    const shown = required.has(name) || (prop.advanced !== true && ((prop.default !== undefined && prop.default !== null) || Array.isArray(prop.examples) || prop.const !== undefined));
    if (shown) out[name] = sampleValue(prop, root, name);
  }
  return out;
}

/** The `### Sample` catalog YAML for a connector image. */
export function sampleCatalog(image: string, configSchema: SchemaNode, resourceSchema: SchemaNode): string {
  const catalog = {
    captures: {
      '${PREFIX}/${CAPTURE_NAME}': {
        endpoint: { connector: { image, config: sampleObject(resolve(configSchema, configSchema), configSchema, false) } },
        bindings: [{ resource: sampleObject(resolve(resourceSchema, resourceSchema), resourceSchema, true), target: '${PREFIX}/${COLLECTION_NAME}' }],
      },
    },
  };
  return stringify(catalog, { lineWidth: 0 });
}

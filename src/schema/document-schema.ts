import type { Class } from '../common/metadata';
import { BaseDocument } from '../models';
import { SchemaBuilder, type JsonSchema } from './model-schema';

/** What decides a binding's document schema. */
export interface DocumentSchemaSource {
  document?: Class;
  schema?: JsonSchema;
  schemaInference: boolean;
  reduction?: string;
}

/**
 * The discovered document schema of a resource, exactly as the Python CDK's `discovered()` builds
 * it: the model's schema, then with schema inference `x-infer-schema` and the `if/then(/else)`
 * block that makes `_meta.op == "d"` documents merge-and-delete; without it, a top-level `reduce`.
 */
export function documentSchema(src: DocumentSchemaSource): JsonSchema {
  const schema: JsonSchema = src.schema !== undefined ? structuredClone(src.schema) : SchemaBuilder.build(src.document ?? BaseDocument);
  if (src.schemaInference) {
    schema['x-infer-schema'] = true;
    schema.if = {
      required: ['_meta'],
      properties: { _meta: { required: ['op'], properties: { op: { const: 'd' } } } },
    };
    schema.then = { reduce: { strategy: 'merge', delete: true } };
    if (src.reduction !== undefined) schema.else = { reduce: { strategy: src.reduction } };
  } else if (src.reduction !== undefined) {
    schema.reduce = { strategy: src.reduction };
  }
  return schema;
}

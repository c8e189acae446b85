import { escapePointerToken } from '../common/json-pointer';
import { CaptureError } from '../common/errors';
import type { DiscoveredBinding } from '../protocol';
import type { AirbyteStream } from './airbyte-protocol';

/**
 * The resource config JSON schema of the Python shim's `ResourceConfig`, byte for byte as its
 * spec answers it, so bindings of Python-shim tasks validate unchanged.
 */
export const SHIM_RESOURCE_CONFIG_SCHEMA: Readonly<Record<string, unknown>> = Object.freeze({
  additionalProperties: false,
  description: 'ResourceConfig encodes a configured resource stream',
  properties: {
    _meta: { title: 'Meta', type: 'object' },
    stream: { description: 'Name of this stream', title: 'Stream', type: 'string' },
    syncMode: {
      description: 'Sync this resource incrementally, or fully refresh it every run',
      enum: ['full_refresh', 'incremental'],
      title: 'Sync Mode',
      type: 'string',
    },
    namespace: { title: 'Namespace', description: 'Enclosing schema namespace of this resource', type: 'string' },
    cursorField: { title: 'Cursor Field', type: 'array', items: { type: 'string' } },
  },
  required: ['stream', 'syncMode'],
  title: 'ResourceConfig',
  type: 'object',
});

/** The resource path pointers of the shim's resource config. */
export const SHIM_RESOURCE_PATH_POINTERS = ['/namespace', '/stream'] as const;

/** A binding's resource config. */
export interface ShimResourceConfig {
  stream: string;
  syncMode: 'full_refresh' | 'incremental';
  namespace?: string;
  cursorField?: string[];
}

/**
 * The collection key of an Airbyte `source_defined_primary_key`: a field, fields, or paths of
 * nested fields, as JSON pointers (`[["a", "b/c"], "d"]` → `["/a/b~1c", "/d"]`).
 */
export function keyPointers(key: NonNullable<AirbyteStream['source_defined_primary_key']>): string[] {
  const components = typeof key === 'string' ? [key] : key;
  return components.map((c) => {
    if (typeof c === 'string') return '/' + escapePointerToken(c);
    if (Array.isArray(c) && c.every((f) => typeof f === 'string')) return '/' + c.map(escapePointerToken).join('/');
    throw new CaptureError(`invalid primary key component ${JSON.stringify(c)}`, { code: 'AIRBYTE_CATALOG' });
  });
}

/** Options that shape discovered bindings. */
export interface DiscoverOptions {
  schemaInference: boolean;
}

/** The discovered bindings of an Airbyte catalog, as the Python shim builds them. */
export function shimBindings(streams: readonly AirbyteStream[], options: DiscoverOptions): DiscoveredBinding[] {
  return streams.map((stream) => {
    const modes = stream.supported_sync_modes ?? [];
    let syncMode: ShimResourceConfig['syncMode'];
    if (modes.includes('incremental')) syncMode = 'incremental';
    else if (modes.includes('full_refresh')) syncMode = 'full_refresh';
    else throw new CaptureError(`stream ${stream.name} supports no known sync mode (got ${JSON.stringify(modes)}); it must support full_refresh or incremental`, { code: 'AIRBYTE_CATALOG' });
    const resourceConfig: Record<string, unknown> = { stream: stream.name, syncMode };
    if (stream.namespace) resourceConfig.namespace = stream.namespace;
    if (stream.default_cursor_field && stream.default_cursor_field.length > 0) resourceConfig.cursorField = stream.default_cursor_field;
    const pk = stream.source_defined_primary_key;
    let key: string[];
    if (pk !== undefined && pk !== null && pk.length > 0) key = keyPointers(pk);
    else if (syncMode === 'full_refresh') key = ['/_meta/row_id'];
    else {
      throw new CaptureError(
        `incremental stream ${stream.namespace ? `${stream.namespace}.` : ''}${stream.name} has no source_defined_primary_key; the source must declare one (Flow needs a collection key), or offer the stream as full_refresh only`,
        { code: 'AIRBYTE_CATALOG' },
      );
    }
    return { recommendedName: stream.name, resourceConfig, documentSchema: documentSchema(stream, options), key };
  });
}

/** The stream's schema extended with `_meta.row_id`, which the shim always writes. */
export function documentSchema(stream: AirbyteStream, options: DiscoverOptions): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- parsed from the source output, which may omit it
  const schema = structuredClone(stream.json_schema ?? {});
  const props = (schema.properties ??= {}) as Record<string, Record<string, unknown>>;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- parsed from the source output, which may omit it
  const meta = (props._meta ??= { type: 'object' });
  ((meta.properties ??= {}) as Record<string, unknown>).row_id = { type: 'integer' };
  const required = (meta.required ??= []) as string[];
  if (!required.includes('row_id')) required.push('row_id');
  if (options.schemaInference) {
    schema['x-infer-schema'] = true;
    schema.if = { required: ['_meta'], properties: { _meta: { required: ['op'], properties: { op: { const: 'd' } } } } };
    schema.then = { reduce: { strategy: 'merge', delete: true } };
  }
  return schema;
}

/**
 * A sourced schema as the Python shim sends it: the discovered schema without `$id`, with every
 * object closed (`additionalProperties: false`) recursively.
 */
export function closedSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const { $id: _drop, ...rest } = schema;
  return close(rest) as Record<string, unknown>;
}

function close(node: unknown): unknown {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: Record<string, unknown> = { ...(node as Record<string, unknown>) };
  const t = out.type;
  if (t === 'object' || (Array.isArray(t) && t.includes('object'))) out.additionalProperties = false;
  for (const [k, v] of Object.entries(out)) {
    if (k === 'properties' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, close(pv)]));
    } else if (k === 'items') out[k] = Array.isArray(v) ? v.map(close) : close(v);
    else if ((k === 'oneOf' || k === 'anyOf' || k === 'allOf') && Array.isArray(v)) out[k] = v.map(close);
  }
  return out;
}

/**
 * Responses of Flow's capture protocol (JSON codec): what a connector sends the Flow runtime, and
 * the parser the harness reads them with, as strictly as the Flow runtime does.
 */
import { HarnessError } from '../common/errors';
import { mayHoldLongIntegers, parseJsonExact } from '../common/json-exact';

/** The protocol version a capture connector must report in its `spec` response. */
export const PROTOCOL_VERSION = 3032023;

/** A JSON object as parsed from the wire. */
export type JsonObject = { [key: string]: unknown };

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The connector broke the wire protocol: framing, JSON, unknown fields, order of responses. */
export class ConnectorProtocolError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONNECTOR_PROTOCOL', message, options);
  }
}

/** A parsed `spec` response. */
export interface SpecResponse {
  protocol: number;
  configSchema: unknown;
  resourceConfigSchema: unknown;
  documentationUrl?: string;
  oauth2?: unknown;
  resourcePathPointers: string[];
}

/** One binding of a `discovered` response. */
export interface DiscoveredBinding {
  recommendedName: string;
  resourceConfig: JsonObject;
  documentSchema: unknown;
  /** The collection key as JSON pointers. */
  key: string[];
  /** Suggests the binding start disabled; the parser always sets it. */
  disable?: boolean;
  resourcePath?: string[];
}

/** A connector response, checked and normalized from either proto3-JSON spelling. */
export type ConnectorResponse =
  | { type: 'spec'; spec: SpecResponse }
  | { type: 'discovered'; bindings: DiscoveredBinding[] }
  | { type: 'validated'; bindings: { resourcePath: string[] }[] }
  | { type: 'applied'; actionDescription: string }
  | { type: 'opened'; explicitAcknowledgements: boolean }
  | { type: 'captured'; binding: number; doc: JsonObject }
  | { type: 'sourcedSchema'; binding: number; schema: unknown }
  | { type: 'checkpoint'; updated: unknown; mergePatch: boolean };

/** Field name (json_name) → its proto name alternative. */
type FieldSpec = Record<string, string>;

function readFields(value: unknown, where: string, spec: FieldSpec): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw new ConnectorProtocolError(`${where} must be a JSON object`);
  const out: Record<string, unknown> = {};
  const byProto = new Map(Object.entries(spec).map(([json, proto]) => [proto, json]));
  for (const [k, v] of Object.entries(value)) {
    const name = k in spec ? k : byProto.get(k);
    if (name === undefined) throw new ConnectorProtocolError(`unknown field \`${k}\` in ${where}`);
    out[name] = v;
  }
  return out;
}

function stringArray(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ConnectorProtocolError(`${where} must be an array of strings`);
  }
  return value as string[];
}

function uint32(value: unknown, where: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConnectorProtocolError(`${where} must be a non-negative integer`);
  }
  return value;
}

const RESPONSE_TYPES = ['spec', 'discovered', 'validated', 'applied', 'opened', 'captured', 'sourcedSchema', 'checkpoint'];
const PROTO_TYPE_NAMES: Record<string, string> = { sourced_schema: 'sourcedSchema' };

/**
 * Checks a response the way the Flow runtime's pbjson decoder does: exactly one response variant,
 * each field in its json or proto spelling, unknown fields rejected.
 */
export function parseResponse(message: unknown): ConnectorResponse {
  if (!isJsonObject(message)) throw new ConnectorProtocolError('connector response must be a JSON object');
  const variants = Object.keys(message).filter((k) => k !== '$internal' && k !== 'internal');
  const unknown = variants.find((k) => !RESPONSE_TYPES.includes(k) && !(k in PROTO_TYPE_NAMES));
  if (unknown !== undefined) throw new ConnectorProtocolError(`unknown field \`${unknown}\` in connector response`);
  if (variants.length !== 1) {
    throw new ConnectorProtocolError(`connector response must have exactly one of ${RESPONSE_TYPES.join(', ')}; got ${variants.length === 0 ? 'none' : variants.join(', ')}`);
  }
  const variant = variants[0]!;
  const type = PROTO_TYPE_NAMES[variant] ?? variant;
  const body = message[variant];
  switch (type) {
    case 'spec': {
      const f = readFields(body, 'spec response', {
        protocol: 'protocol',
        configSchema: 'config_schema_json',
        resourceConfigSchema: 'resource_config_schema_json',
        documentationUrl: 'documentation_url',
        oauth2: 'oauth2',
        resourcePathPointers: 'resource_path_pointers',
      });
      if (f.protocol !== PROTOCOL_VERSION) {
        throw new ConnectorProtocolError(`connector returned an unexpected protocol version: ${JSON.stringify(f.protocol ?? 0)} (expected ${PROTOCOL_VERSION})`);
      }
      return {
        type,
        spec: {
          protocol: PROTOCOL_VERSION,
          configSchema: f.configSchema ?? {},
          resourceConfigSchema: f.resourceConfigSchema ?? {},
          documentationUrl: typeof f.documentationUrl === 'string' ? f.documentationUrl : undefined,
          oauth2: f.oauth2,
          resourcePathPointers: stringArray(f.resourcePathPointers, 'spec.resourcePathPointers'),
        },
      };
    }
    case 'discovered': {
      const f = readFields(body, 'discovered response', { bindings: 'bindings' });
      const list = f.bindings === undefined ? [] : f.bindings;
      if (!Array.isArray(list)) throw new ConnectorProtocolError('discovered.bindings must be an array');
      return {
        type,
        bindings: list.map((b, i) => {
          const where = `discovered.bindings[${i}]`;
          const g = readFields(b, where, {
            recommendedName: 'recommended_name',
            resourceConfig: 'resource_config_json',
            documentSchema: 'document_schema_json',
            key: 'key',
            disable: 'disable',
            resourcePath: 'resource_path',
          });
          if (!isJsonObject(g.resourceConfig)) throw new ConnectorProtocolError(`${where}.resourceConfig must be an object`);
          return {
            // eslint-disable-next-line @typescript-eslint/no-base-to-string -- recommendedName comes from connector output; String() keeps a malformed one printable
            recommendedName: String(g.recommendedName ?? ''),
            resourceConfig: g.resourceConfig,
            documentSchema: g.documentSchema ?? {},
            key: stringArray(g.key, `${where}.key`),
            disable: g.disable === true,
            resourcePath: g.resourcePath === undefined ? undefined : stringArray(g.resourcePath, `${where}.resourcePath`),
          };
        }),
      };
    }
    case 'validated': {
      const f = readFields(body, 'validated response', { bindings: 'bindings' });
      const list = f.bindings === undefined ? [] : f.bindings;
      if (!Array.isArray(list)) throw new ConnectorProtocolError('validated.bindings must be an array');
      return {
        type,
        bindings: list.map((b, i) => {
          const g = readFields(b, `validated.bindings[${i}]`, { resourcePath: 'resource_path' });
          return { resourcePath: stringArray(g.resourcePath, `validated.bindings[${i}].resourcePath`) };
        }),
      };
    }
    case 'applied': {
      const f = readFields(body, 'applied response', { actionDescription: 'action_description' });
      return { type, actionDescription: typeof f.actionDescription === 'string' ? f.actionDescription : '' };
    }
    case 'opened': {
      const f = readFields(body, 'opened response', { explicitAcknowledgements: 'explicit_acknowledgements' });
      return { type, explicitAcknowledgements: f.explicitAcknowledgements === true };
    }
    case 'captured': {
      const f = readFields(body, 'captured response', { binding: 'binding', doc: 'doc_json' });
      if (!isJsonObject(f.doc)) throw new ConnectorProtocolError('captured.doc must be a JSON object');
      return { type, binding: uint32(f.binding, 'captured.binding'), doc: f.doc };
    }
    case 'sourcedSchema': {
      const f = readFields(body, 'sourcedSchema response', { binding: 'binding', documentSchema: 'schema_json' });
      return { type, binding: uint32(f.binding, 'sourcedSchema.binding'), schema: f.documentSchema };
    }
    default: {
      const f = readFields(body, 'checkpoint response', { state: 'state' });
      const s = readFields(f.state, 'checkpoint.state', { updated: 'updated_json', mergePatch: 'merge_patch' });
      return { type: 'checkpoint', updated: s.updated ?? {}, mergePatch: s.mergePatch === true };
    }
  }
}

/**
 * Decodes one response line: JSON, then {@link parseResponse}. Returns the raw message next to the
 * parsed one for readers that keep the wire form. Integers beyond ±2^53 (in documents and state)
 * come back as exact `bigint`s, as the connector wrote them, not rounded numbers.
 *
 * @throws ConnectorProtocolError naming what is wrong with the line.
 */
export function decodeResponseLine(line: string): { raw: unknown; response: ConnectorResponse } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    const snippet = line.length > 120 ? `${line.slice(0, 120)}…` : line;
    throw new ConnectorProtocolError(`parsing JSON message: connector wrote a line that is not JSON: ${JSON.stringify(snippet)}`, {
      cause: err,
    });
  }
  if (mayHoldLongIntegers(line)) raw = parseJsonExact(line);
  return { raw, response: parseResponse(raw) };
}

/**
 * The Airbyte protocol as the shim reads and writes it: AirbyteMessages as JSON lines, the
 * configured catalog, and the three kinds of state. Only the fields the shim uses are typed;
 * everything else passes through untouched.
 */

/** A stream as `discover` describes it. */
export interface AirbyteStream {
  name: string;
  namespace?: string | null;
  json_schema: Record<string, unknown>;
  supported_sync_modes?: string[];
  source_defined_cursor?: boolean | null;
  default_cursor_field?: string[] | null;
  source_defined_primary_key?: string | string[] | (string | string[])[] | null;
}

/** `connectionSpecification` and friends, as `spec` answers. */
export interface AirbyteSpec {
  documentationUrl?: string;
  connectionSpecification: Record<string, unknown>;
  [k: string]: unknown;
}

export interface StreamDescriptor {
  name: string;
  namespace?: string | null;
}

export interface StreamState {
  stream_descriptor: StreamDescriptor;
  stream_state?: unknown;
}

/** An AirbyteStateMessage: STREAM, GLOBAL, or LEGACY (`type` absent or `LEGACY`, with `data`). */
export interface AirbyteStateMessage {
  type?: 'STREAM' | 'GLOBAL' | 'LEGACY' | null;
  stream?: StreamState | null;
  global?: { shared_state?: unknown; stream_states?: StreamState[] } | null;
  data?: unknown;
  [k: string]: unknown;
}

export interface ConfiguredStream {
  stream: AirbyteStream;
  sync_mode: 'full_refresh' | 'incremental';
  cursor_field?: string[];
  destination_sync_mode: 'append';
  primary_key?: string[][];
}

export interface ConfiguredCatalog {
  streams: ConfiguredStream[];
}

/** One AirbyteMessage line. */
export interface AirbyteMessage {
  type: string;
  record?: { stream: string; namespace?: string | null; data: Record<string, unknown>; emitted_at?: number };
  state?: AirbyteStateMessage;
  log?: { level: string; message: string; stack_trace?: string };
  trace?: {
    type: string;
    error?: { message: string; internal_message?: string; stack_trace?: string; failure_type?: string };
    estimate?: { name: string; namespace?: string | null; type: string; row_estimate?: number; byte_estimate?: number };
    stream_status?: { stream_descriptor: StreamDescriptor; status: string };
  };
  control?: { type: string; connectorConfig?: { config: Record<string, unknown> } };
  spec?: AirbyteSpec;
  catalog?: { streams: AirbyteStream[] };
  connectionStatus?: { status: 'SUCCEEDED' | 'FAILED'; message?: string };
  [k: string]: unknown;
}

/** What a source produced on stdout: a message, or a line that is not one (logged, not fatal). */
export type SourceOutput = { message: AirbyteMessage } | { rogue: string };

/** Parses one stdout line of a source. Blank lines yield undefined. */
export function parseSourceLine(line: string): SourceOutput | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  if (trimmed[0] !== '{') return { rogue: trimmed };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { rogue: trimmed };
  }
  if (parsed === null || typeof parsed !== 'object' || typeof (parsed as { type?: unknown }).type !== 'string') return { rogue: trimmed };
  return { message: parsed as AirbyteMessage };
}

/** The Flow log level of an Airbyte log level. */
export function flowLevel(level: string | undefined): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  switch ((level ?? '').toUpperCase()) {
    case 'TRACE':
      return 'trace';
    case 'DEBUG':
      return 'debug';
    case 'INFO':
      return 'info';
    case 'WARN':
    case 'WARNING':
      return 'warn';
    default:
      // FATAL, ERROR and anything unknown: the Python shim maps everything else to error.
      return 'error';
  }
}

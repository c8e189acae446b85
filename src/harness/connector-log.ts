import { isJsonObject, JsonObject } from './json-utils';

/** A connector log line decoded as the Flow runtime's ops decoder does. */
export interface ConnectorLog {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: JsonObject;
  /** The line as the connector wrote it. */
  raw: string;
}

const LEVELS: Record<string, ConnectorLog['level']> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'error',
  panic: 'error',
};

const LEVEL_RANK: Record<ConnectorLog['level'], number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

const ERRORISH = /error|failed|panic|timeout|unable|unrecognised|unrecognized/i;

/** True when `level` is at least `min`. */
export function levelAtLeast(level: ConnectorLog['level'], min: ConnectorLog['level']): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[min];
}

function lookupLevel(value: unknown): ConnectorLog['level'] | undefined {
  if (typeof value !== 'string') return undefined;
  if (value !== value.toLowerCase() && value !== value.toUpperCase()) return undefined;
  return LEVELS[value.toLowerCase()];
}

/**
 * Decodes one stderr line: JSON objects with `level`|`lvl`, `message`|`msg`, `fields` (other keys merge
 * into fields); anything else, including levels the Flow runtime does not know such as `CRITICAL`, is raw
 * text, logged at `error` when it reads like one and `warn` otherwise.
 */
export function decodeLogLine(raw: string): ConnectorLog {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (isJsonObject(parsed)) {
    const levelField = parsed.level ?? parsed.lvl;
    const level = lookupLevel(levelField);
    if (levelField === undefined || level !== undefined) {
      const message = typeof (parsed.message ?? parsed.msg) === 'string' ? String(parsed.message ?? parsed.msg) : '';
      const fields: JsonObject = isJsonObject(parsed.fields) ? { ...parsed.fields } : {};
      for (const [k, v] of Object.entries(parsed)) {
        if (!['level', 'lvl', 'message', 'msg', 'fields', 'ts', 'timestamp', 'time'].includes(k)) fields[k] = v;
      }
      return { level: level ?? (ERRORISH.test(message) ? 'error' : 'warn'), message, fields, raw };
    }
  }
  return { level: ERRORISH.test(raw) ? 'error' : 'warn', message: raw, fields: {}, raw };
}

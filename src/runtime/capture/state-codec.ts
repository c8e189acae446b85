import type { CursorKind } from '../../common/metadata';
import { formatDateTime, parseDateTime } from '../../common/time';
import { CaptureError } from '../../common/errors';
import { toJsonText } from '../../common/json-text';

/** A cursor value in memory: an integer, a `Date`, or a tuple of strings/integers. */
export type CursorValue = number | Date | readonly (string | number)[];

/** Encodes a cursor the way the Python CDK stores it in state. */
export function encodeCursor(value: unknown): unknown {
  return value instanceof Date ? formatDateTime(value) : value;
}

/** Decodes a stored cursor of kind `kind`, naming `where` if the stored value does not fit. */
export function decodeCursor(kind: CursorKind | undefined, stored: unknown, where: string): CursorValue {
  try {
    switch (kind) {
      case 'integer':
        if (typeof stored === 'number' && Number.isInteger(stored)) return stored;
        if (typeof stored === 'string' && /^-?\d+$/.test(stored)) return Number(stored);
        break;
      case 'string-tuple':
        if (Array.isArray(stored)) return stored as (string | number)[];
        break;
      default:
        return parseDateTime(stored);
    }
  } catch {
    // fall through to the error below
  }
  throw new CaptureError(`${where}: stored cursor ${toJsonText(stored) ?? String(stored)} is not a ${kind ?? 'datetime'} cursor`, { code: 'STATE_INVALID' });
}

/** Whether `value` is a cursor of `kind`. */
export function isCursorOfKind(kind: CursorKind, value: unknown): boolean {
  switch (kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'datetime':
      return value instanceof Date && !Number.isNaN(value.getTime());
    case 'string-tuple':
      return Array.isArray(value);
  }
}

/** Builds the minimal state patch `{bindingStateV1: {key: {field: value}}}` (or under a subtask). */
export function bindingPatch(stateKey: string, field: string, subtask: string | undefined, value: unknown): Record<string, unknown> {
  return { bindingStateV1: { [stateKey]: { [field]: subtask === undefined ? value : { [subtask]: value } } } };
}

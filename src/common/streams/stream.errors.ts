import { CdkError } from '../errors';

/** Where in a stream a problem was found; every field is optional because not every format knows all of them. */
export interface StreamLocation {
  /** Zero-based byte offset into the input (for JSON: at or before which the problem lies). */
  offset?: number;
  /** One-based line number of the input (CSV). */
  line?: number;
  /** One-based record number, not counting a header row (CSV). */
  row?: number;
}

/**
 * Input that cannot be decoded or parsed: malformed or truncated JSON, CSV with an unclosed quote or a
 * row of the wrong width, invalid UTF-8, a corrupt gzip or zip stream. The message says what and where.
 */
export class StreamParseError extends CdkError {
  /** Zero-based byte offset into the input, when known. */
  readonly offset?: number;
  /** One-based line number, when known. */
  readonly line?: number;
  /** One-based record number, when known. */
  readonly row?: number;

  constructor(message: string, location: StreamLocation = {}, options?: { cause?: unknown }) {
    super('STREAM_PARSE', message, options);
    if (location.offset !== undefined) this.offset = location.offset;
    if (location.line !== undefined) this.line = location.line;
    if (location.row !== undefined) this.row = location.row;
  }
}

/** An item parsed from a stream that does not satisfy its model's class-validator constraints. */
export class StreamValidationError extends CdkError {
  /** One line per failed constraint, as `property: message`. */
  readonly problems: readonly string[];

  constructor(what: string, problems: readonly string[]) {
    super('STREAM_VALIDATION', `${what} is invalid: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** A stream processor used out of order, such as asking for the JSON remainder before the input is exhausted. */
export class StreamStateError extends CdkError {
  constructor(message: string) {
    super('STREAM_STATE', message);
  }
}

/** A stream feature this implementation does not support (an encrypted zip entry, an unknown encoding). */
export class StreamUnsupportedError extends CdkError {
  constructor(message: string) {
    super('STREAM_UNSUPPORTED', message, { userError: true });
  }
}

/**
 * The error hierarchy of estuary-cdk. Every error the framework throws is a {@link CdkError} with a
 * stable `code`; `userError` marks errors caused by the user's input (config, request, connector
 * definition) that are reported as one line without a stack trace.
 */
export class CdkError extends Error {
  /** A stable, machine-readable code such as `CONFIG_INVALID`. */
  readonly code: string;
  /** True when the error is the user's to fix and a stack trace would not help. */
  readonly userError: boolean;

  constructor(code: string, message: string, options?: { cause?: unknown; userError?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userError = options?.userError ?? false;
  }
}

/** A connector definition that cannot be built: lists every problem found, not only the first. */
export class DefinitionError extends CdkError {
  readonly problems: readonly string[];
  constructor(subject: string, problems: readonly string[]) {
    super('DEFINITION_INVALID', problems.length === 1 ? `${subject}: ${problems[0]}` : `${subject} has ${problems.length} problems: ${problems.map((p, i) => `(${i + 1}) ${p}`).join('; ')}`, {
      userError: true,
    });
    this.problems = problems;
  }
}

/** Endpoint or resource configuration that does not satisfy its model. Never echoes secret values. */
export class ConfigError extends CdkError {
  readonly problems: readonly string[];
  constructor(what: string, problems: readonly string[]) {
    super('CONFIG_INVALID', `${what} is invalid: ${problems.join('; ')}`, { userError: true });
    this.problems = problems;
  }
}

/** A protocol request that is malformed, unknown or out of order. */
export class ProtocolError extends CdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PROTOCOL', message, { ...options, userError: true });
  }
}

/** A capture task broke a strategy's contract or failed while fetching. */
export class CaptureError extends CdkError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'CAPTURE', message, options);
  }
}

/** Loading a connector module failed (file not found, syntax error, no connector exported). */
export class LoadError extends CdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LOAD', message, { ...options, userError: true });
  }
}

/**
 * An error raised by the preview harness or the test kit where the Flow runtime would fail the task.
 * Its message is one line, phrased as the Flow runtime phrases it where it has a fixed wording.
 */
export class HarnessError extends CdkError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, userError: true });
  }
}

/** Thrown inside strategies when the connector is stopping; never reported as a failure. */
export class StoppedError extends CdkError {
  constructor(reason = 'the connector is stopping') {
    super('STOPPED', reason);
  }
}

/** One line describing an error for a log or terminal, with its cause chain. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let text = err.message;
  let cause: unknown = (err as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a non-Error cause is shown as JavaScript prints it
    const msg = cause instanceof Error ? cause.message : String(cause);
    if (!text.includes(msg)) text += `: ${msg}`;
    cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
  }
  return text.replace(/\s*\n\s*/g, ' ');
}

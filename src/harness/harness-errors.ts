import { HarnessError } from '../common/errors';

// Defined lower down so the protocol module can throw them; re-exported where the harness keeps its errors.
export { HarnessError } from '../common/errors';
export { ConnectorProtocolError } from '../protocol';

/** The connector process exited non-zero; the message is its last log message, as Flow reports it. */
export class ConnectorFailedError extends HarnessError {
  /** The process exit code, or `null` when it died from a signal. */
  readonly exitCode: number | null;
  /** The last message the connector logged on stderr, if any. */
  readonly lastLogMessage: string | undefined;

  /**
   * @param loggedError the connector exited cleanly after the harness stopped it, but had logged
   *   `lastLogMessage` at error level.
   */
  constructor(rpc: string, exitCode: number | null, signal: string | null, lastLogMessage: string | undefined, loggedError = false) {
    const how = exitCode !== null ? `exit code ${exitCode}` : `signal ${signal ?? 'unknown'}`;
    const what = loggedError ? 'connector logged an error' : `connector exited with ${how}`;
    super('CONNECTOR_FAILED', `${rpc} failed: ${what}: ${lastLogMessage ?? '(no log output)'}`);
    this.exitCode = exitCode;
    this.lastLogMessage = lastLogMessage;
  }
}

/** A captured document failed its collection schema, or its key is missing or not a scalar. */
export class DocumentError extends HarnessError {
  /** The collection the document was captured into. */
  readonly collection: string;

  constructor(collection: string, binding: number, message: string) {
    super('DOCUMENT_INVALID', `collection ${collection} (binding ${binding}): ${message}`);
    this.collection = collection;
  }
}

/** The catalog (test.flow.yaml), its bindings, or the command-line options are unusable. */
export class CatalogError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CATALOG_INVALID', message, options);
  }
}

import { ConnectorProtocolError, type ConnectorResponse } from '../protocol';

/** A response a connector may send once a capture is open. */
export type CaptureOutput = Extract<ConnectorResponse, { type: 'captured' | 'sourcedSchema' | 'checkpoint' }>;

/**
 * Checks the first response to `open`, as the Flow runtime does: it must be `opened`.
 *
 * @throws ConnectorProtocolError otherwise.
 */
export function expectOpened(r: ConnectorResponse): Extract<ConnectorResponse, { type: 'opened' }> {
  if (r.type !== 'opened') throw new ConnectorProtocolError(`expected opened as the first response to open, got ${r.type}`);
  return r;
}

/**
 * Checks a response that follows `opened`, as the Flow runtime does: only documents, sourced schemas
 * and checkpoints, each naming a binding the capture has. Shared by `estuary preview` and the
 * in-process runner so both reject the same output.
 *
 * @throws ConnectorProtocolError naming what is wrong.
 */
export function checkCaptureResponse(r: ConnectorResponse, bindingCount: number): CaptureOutput {
  switch (r.type) {
    case 'captured':
      if (r.binding >= bindingCount) {
        throw new ConnectorProtocolError(`captured document for binding ${r.binding}, but the capture has ${bindingCount} bindings`);
      }
      return r;
    case 'sourcedSchema':
      if (r.binding >= bindingCount) {
        throw new ConnectorProtocolError(`sourcedSchema for binding ${r.binding}, but the capture has ${bindingCount} bindings`);
      }
      return r;
    case 'checkpoint':
      return r;
    default:
      throw new ConnectorProtocolError(`unexpected ${r.type} response during a capture session`);
  }
}

/** The error for a connector that ended its output with documents not yet followed by a checkpoint. */
export function eofWithinCheckpoint(): ConnectorProtocolError {
  return new ConnectorProtocolError('unexpected capture connector EOF while within a checkpoint');
}

import { ProtocolError, describeError } from '../../common/errors';
import { parseRequest, type Request, type RequestKind } from '../../protocol';
import type { StopSignal } from '../capture/stop-signal';
import type { Transactor } from '../capture/transactor';
import { readLines } from './line-reader';

/** One parsed request line. */
export interface RequestItem {
  req: Request;
  kind: RequestKind;
}

/** Reads request lines one at a time; `lineNo` is the number of the last line read (for messages). */
export interface RequestReader {
  next(): Promise<RequestItem | undefined>;
  readonly lineNo: number;
}

/** Parses `stdin` into requests, skipping blank lines; undefined once stdin closes. */
export function requestReader(stdin: Parameters<typeof readLines>[0]): RequestReader {
  const lines = readLines(stdin)[Symbol.asyncIterator]();
  const reader = {
    lineNo: 0,
    async next(): Promise<RequestItem | undefined> {
      for (;;) {
        const r = await lines.next();
        if (r.done) return undefined;
        reader.lineNo++;
        if (r.value.trim() !== '') return parseRequest(r.value, reader.lineNo);
      }
    },
  };
  return reader;
}

/** What a running capture exposes to the requests that follow `open`. */
export interface CaptureControls {
  readonly stop: StopSignal;
  readonly transactor: Transactor;
}

/**
 * Reads the requests that follow `open` while a capture runs: acknowledgements go to the transactor
 * (which refuses ones the capture did not ask for); stdin closing asks for a graceful stop. Anything
 * else is fatal at once — checkpoints waiting for an acknowledgement would otherwise wait forever —
 * so waiting checkpoints fail, in-flight work is aborted, and the error is left in the returned
 * holder for the caller to report. Not awaited: Flow may keep stdin open after the capture ends.
 */
export function readAcknowledgements(capture: CaptureControls, requests: RequestReader): { error: unknown } {
  const reader: { error: unknown } = { error: undefined };
  void (async () => {
    for (;;) {
      const item = await requests.next();
      if (item === undefined) {
        capture.stop.stop('stdin closed');
        capture.transactor.releaseAll();
        return;
      }
      if (item.kind !== 'acknowledge') throw new ProtocolError(`unexpected ${item.kind} request during a capture; only acknowledge may follow open`);
      capture.transactor.acknowledge(item.req.acknowledge?.checkpoints ?? 0);
    }
  })().catch((err: unknown) => {
    reader.error = err;
    capture.transactor.failAll(err);
    capture.stop.abort(describeError(err));
  });
  return reader;
}

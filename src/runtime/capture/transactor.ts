import { CaptureError, ProtocolError } from '../../common/errors';
import type { OutputWriter } from '../io/output-writer';
import type { TaskBuffer } from './task-buffer';
import { capYoungGeneration } from './heap-tuning';

/**
 * Writes each task's documents and checkpoint as one unit, never interleaved with another task's,
 * and pairs explicit acknowledgements with emitted checkpoints in FIFO order.
 */
export class Transactor {
  private lock: Promise<void> = Promise.resolve();
  private readonly pending: ({ resolve: () => void; reject: (err: unknown) => void } | undefined)[] = [];
  /** Set once the request stream failed: no acknowledgement can arrive any more. */
  private failure: unknown;
  /** Set once acknowledgements can no longer arrive (released or failed); webhooks then answer 503. */
  acksEnded = false;

  constructor(
    private readonly out: OutputWriter,
    /** Whether `opened` asked for explicit acknowledgements. */
    readonly tracksAcks: boolean,
  ) {}

  /**
   * Emits `buffer` followed by `checkpointLine`. Resolves when written; when `waitForAck`, the
   * returned promise resolves once Flow acknowledged this checkpoint.
   */
  async commit(buffer: TaskBuffer, checkpointLine: string, waitForAck: boolean): Promise<{ ack: Promise<void> | undefined }> {
    if (waitForAck && !this.tracksAcks) {
      throw new CaptureError('waiting for acknowledgements requires opened.explicitAcknowledgements');
    }
    const prev = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => (release = r));
    await prev;
    try {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows whatever was caught earlier, as a catch clause would
      if (this.failure !== undefined) throw this.failure;
      let ack: Promise<void> | undefined;
      if (this.tracksAcks) {
        if (waitForAck) {
          let resolve!: () => void;
          let reject!: (err: unknown) => void;
          ack = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
          // A task may stop before it awaits its acknowledgement; a later failure must not go unhandled.
          ack.catch(() => undefined);
          this.pending.push({ resolve, reject });
        } else this.pending.push(undefined);
      }
      // The checkpoint goes into the same bytes as its documents: one write per checkpoint, not two.
      buffer.push(checkpointLine);
      let last: Promise<void> | undefined;
      for (const chunk of buffer.drain()) last = this.out.write(chunk);
      await last;
      // Written through and not queued (files, /dev/null, a pipe that took it at once): the buffer's
      // memory can take the next checkpoint. Otherwise the stream still holds it and it is left.
      if (this.out.idle) buffer.recycle();
      capYoungGeneration();
      // Turn the event loop once per checkpoint: a CPU-bound strategy would otherwise run entirely
      // in microtasks, starving stdin (acknowledgements, EOF), signals and timers.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Wrapped: returning the promise itself would make commit() wait for the acknowledgement.
      return { ack };
    } finally {
      release();
    }
  }

  /**
   * Releases every checkpoint still waiting for an acknowledgement: Flow closed the stream, so none
   * will come. The documents may or may not be durable (at-least-once, as in the Python CDK).
   */
  releaseAll(): void {
    this.acksEnded = true;
    for (const p of this.pending.splice(0)) p?.resolve();
  }

  /**
   * Fails every checkpoint waiting for an acknowledgement, and every later commit, with `err`: the
   * request stream broke, so the tasks waiting on it must stop now rather than hang.
   */
  /** Whether `err` is the request stream's failure that {@link failAll} passed to waiting checkpoints. */
  isStreamFailure(err: unknown): boolean {
    return this.failure !== undefined && err === this.failure;
  }

  failAll(err: unknown): void {
    this.failure ??= err;
    this.acksEnded = true;
    for (const p of this.pending.splice(0)) p?.reject(err);
  }

  /** Delivers `count` acknowledgements, oldest checkpoint first; a count Flow cannot send is a {@link ProtocolError}. */
  acknowledge(count: number): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new ProtocolError(`acknowledge of ${count} checkpoints: the count must be a non-negative integer`);
    }
    if (!this.tracksAcks) {
      throw new ProtocolError('received acknowledge, but opened did not request explicit acknowledgements');
    }
    if (count > this.pending.length) {
      throw new ProtocolError(`acknowledge of ${count} checkpoints, but only ${this.pending.length} checkpoint(s) await an acknowledgement`);
    }
    for (let i = 0; i < count; i++) this.pending.shift()?.resolve();
  }
}

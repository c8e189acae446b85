import type { Writable } from 'node:stream';

/**
 * Writes protocol output, respecting back-pressure: a write resolves once the stream accepted it
 * or drained. Writes are serialized so units never interleave.
 */
export class OutputWriter {
  private tail: Promise<void> = Promise.resolve();
  private failed: Error | undefined;

  constructor(private readonly out: Writable) {
    out.on('error', (err: Error) => {
      this.failed ??= err;
    });
  }

  /** Queues `chunk`; resolves when it is written (or rejects if the stream broke). */
  write(chunk: string | Buffer): Promise<void> {
    const next = this.tail.then(() => this.writeNow(chunk));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private writeNow(chunk: string | Buffer): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    // No per-write callback: on synchronous destinations (files, /dev/null, TTYs) Node defers each
    // callback to the next tick, and each would pin its chunk in memory until the event loop turns.
    // Errors arrive through the 'error' listener instead.
    if (this.out.write(chunk)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.out.off('error', onError);
        resolve();
      };
      const onError = (err: Error): void => {
        this.out.off('drain', onDrain);
        reject(err);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }

  /** Whether the stream holds no written data any more (everything went through to the destination). */
  get idle(): boolean {
    return this.out.writableLength === 0;
  }

  /** Resolves when everything queued so far has been handed to the stream. */
  flush(): Promise<void> {
    return this.tail;
  }
}

import { TaskBuffer } from '../capture/task-buffer';
import type { Transactor } from '../capture/transactor';

const CHECKPOINT = '{"checkpoint":{"state":{"updated":{},"mergePatch":true}}}\n';

interface Waiter {
  readonly lines: readonly string[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Thrown when documents were written but Flow will not acknowledge them (the stream closed). */
export class NotCommittedError extends Error {}

/**
 * Group commit of webhook requests: requests arriving while a checkpoint is being written join the
 * next one, so 200 concurrent senders cost a handful of checkpoints, not 200. Each request's promise
 * settles when Flow acknowledged the checkpoint holding its documents, and fails when it will not.
 */
export class WebhookPublisher {
  private queue: Waiter[] = [];
  private writing = false;
  /** Checkpoints written and not yet acknowledged or failed. */
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly transactor: Transactor,
    /** Whether acknowledgements can no longer arrive (Flow closed the stream). */
    private readonly acksEnded: () => boolean,
  ) {}

  /** Publishes capture lines (`{"captured":...}` without newline); resolves once committed. */
  publish(lines: readonly string[]): Promise<void> {
    if (this.acksEnded()) return Promise.reject(new NotCommittedError('Flow closed the stream; no acknowledgement can arrive'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ lines, resolve, reject });
      void this.pump();
    });
  }

  /** Resolves when no request waits for a checkpoint or its acknowledgement. */
  drained(): Promise<void> {
    if (!this.writing && this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        const buffer = new TaskBuffer();
        for (const w of batch) for (const l of w.lines) buffer.push(l + '\n');
        this.inFlight++;
        let ack: Promise<void> | undefined;
        try {
          ({ ack } = await this.transactor.commit(buffer, CHECKPOINT, true));
        } catch (err) {
          for (const w of batch) w.reject(err);
          this.settled();
          continue;
        } finally {
          buffer.reset();
        }
        ack!.then(
          () => {
            // Released without an acknowledgement: Flow closed the stream, durability is unknown.
            const err = this.acksEnded() ? new NotCommittedError('Flow closed the stream before acknowledging') : undefined;
            for (const w of batch)
              if (err === undefined) w.resolve();
              else w.reject(err);
            this.settled();
          },
          (err: unknown) => {
            for (const w of batch) w.reject(err);
            this.settled();
          },
        );
      }
    } finally {
      this.writing = false;
      this.checkIdle();
    }
  }

  private settled(): void {
    this.inFlight--;
    this.checkIdle();
  }

  private checkIdle(): void {
    if (!this.writing && this.queue.length === 0 && this.inFlight === 0) for (const r of this.idle.splice(0)) r();
  }
}

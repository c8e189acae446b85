import { checkCaptureResponse, eofWithinCheckpoint, expectOpened } from './capture-checks';
import { BindingCombiner } from './combiner';
import { ConnectorLaunch, ConnectorProcess } from './connector-process';
import { ConnectorProtocolError, HarnessError } from './harness-errors';
import { JsonObject } from './json-utils';
import { Signal } from './signal';
import { INTERNAL_SPEC_REQUEST } from './unary-rpc';

/** A checkpoint's state update as the connector sent it. */
export interface CheckpointState {
  updated: unknown;
  mergePatch: boolean;
}

/** A transaction the harness committed: combined documents per binding and the checkpoints folded into it. */
export interface CommittedTransaction {
  shard: number;
  /** Combined documents, in key order, indexed by binding. */
  documents: JsonObject[][];
  /** Raw documents counted per binding before combining. */
  capturedCounts: number[];
  /** Per binding, how many of the folded checkpoints carried documents of it. */
  checkpointCounts: number[];
  checkpoints: CheckpointState[];
}

/** Options for one capture session (one Open on one connector process). */
export interface PreviewSessionOptions {
  launch: ConnectorLaunch;
  /** The body of the `open` request. */
  open: JsonObject;
  shard: number;
  /** Combiners indexed by binding; they also validate documents as they arrive. */
  combiners: BindingCombiner[];
  /** End the session after this many transactions; `undefined` runs until the connector exits. */
  maxTransactions?: number;
  /** Wait this long before each poll for a transaction (the first wait starts at `opened`). */
  delayMs: number;
  /** End the session (with no further transaction) when nothing is ready this long after a poll. */
  idleTimeoutMs?: number;
  /** Checked after each commit: true ends the session (as `maxTransactions` does). */
  stopAfterCommit?: () => boolean;
  /**
   * Called synchronously for each committed transaction, before any acknowledgement is sent. A
   * returned promise (e.g. stdout draining) is awaited before the next poll, so a slow reader of the
   * output holds the session back instead of output piling up in memory.
   */
  onCommit: (tx: CommittedTransaction) => void | Promise<void>;
  /** Stops the session (as failed with code `ABORTED`), e.g. when another shard failed. */
  abort?: AbortSignal;
  /** Ends the session gracefully, as a reached transaction count does, e.g. at an overall timeout. */
  stop?: AbortSignal;
}

interface ReadyCheckpoint {
  docs: Array<{ binding: number; doc: JsonObject }>;
  state: CheckpointState;
}

/** What a finished session reports. */
export interface SessionOutcome {
  transactions: number;
  explicitAcknowledgements: boolean;
  acknowledgementsSent: number[];
}

/**
 * Runs one capture session as the Flow runtime does: internal spec, `open`, `opened` first, documents held
 * until a checkpoint; every poll folds all checkpoints available at that moment into one transaction,
 * commits it and (when asked for) acknowledges it.
 */
export async function runPreviewSession(options: PreviewSessionOptions): Promise<SessionOutcome> {
  const { combiners } = options;
  const proc = new ConnectorProcess('capture', options.launch);
  const signal = new Signal();
  let sawSpec = false;
  let opened = false;
  let explicitAcks = false;
  let ended = false;
  let pending: ReadyCheckpoint['docs'] = [];
  let ready: ReadyCheckpoint[] = [];
  const acks: number[] = [];

  proc.onResponse = (r) => {
    if (!sawSpec) {
      if (r.type !== 'spec') throw new ConnectorProtocolError(`expected a spec response to the internal spec request, got ${r.type}`);
      sawSpec = true;
      proc.send({ open: options.open });
      return;
    }
    if (!opened) {
      explicitAcks = expectOpened(r).explicitAcknowledgements;
      opened = true;
      signal.notify();
      return;
    }
    const output = checkCaptureResponse(r, combiners.length);
    switch (output.type) {
      case 'captured':
        combiners[output.binding]!.check(output.doc);
        pending.push({ binding: output.binding, doc: output.doc });
        return;
      case 'sourcedSchema':
        return;
      case 'checkpoint':
        ready.push({ docs: pending, state: { updated: output.updated, mergePatch: output.mergePatch } });
        pending = [];
        return;
    }
  };
  proc.onChunk = () => {
    if (ready.length > 0) signal.notify();
  };
  const closed = proc.closed.then((outcome) => {
    ended = true;
    signal.notify();
    return outcome;
  });

  const commit = (): void | Promise<void> => {
    const batch = ready;
    ready = [];
    const capturedCounts = combiners.map(() => 0);
    const checkpointCounts = combiners.map(() => 0);
    for (const cp of batch) {
      const touched = new Set<number>();
      for (const { binding, doc } of cp.docs) {
        combiners[binding]!.add(doc);
        capturedCounts[binding]!++;
        touched.add(binding);
      }
      for (const b of touched) checkpointCounts[b]!++;
    }
    const written = options.onCommit({
      shard: options.shard,
      documents: combiners.map((c) => c.drain()),
      capturedCounts,
      checkpointCounts,
      checkpoints: batch.map((cp) => cp.state),
    });
    if (explicitAcks) {
      proc.send({ acknowledge: { checkpoints: batch.length } });
      acks.push(batch.length);
    }
    return written;
  };

  const onAbort = (): void => proc.fail(new HarnessError('ABORTED', 'capture session stopped because another shard failed'));
  if (options.abort?.aborted) onAbort();
  options.abort?.addEventListener('abort', onAbort, { once: true });
  let stopRequested = options.stop?.aborted === true;
  const onStop = (): void => {
    stopRequested = true;
    signal.notify();
  };
  options.stop?.addEventListener('abort', onStop, { once: true });

  proc.send(INTERNAL_SPEC_REQUEST);
  let transactions = 0;
  try {
    // The delay counts from `opened`, so connector start-up does not eat into the first transaction.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
    while (!opened && !ended && !stopRequested) await signal.wait();
    for (;;) {
      if (options.delayMs > 0) await sleepUnless(options.delayMs, () => ended || stopRequested, signal);
      const idleUntil = options.idleTimeoutMs !== undefined ? Date.now() + options.idleTimeoutMs : undefined;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
      while (ready.length === 0 && !ended && !stopRequested) {
        if (idleUntil === undefined) await signal.wait();
        else if (Date.now() >= idleUntil) break;
        else await sleepUnless(idleUntil - Date.now(), () => ended || stopRequested || ready.length > 0, signal);
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
      if (stopRequested && !ended) {
        proc.stop();
        break;
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
      if (ready.length === 0 && !ended) {
        proc.stop();
        break;
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
      if (ended) {
        const error = proc.errorFor(await closed);
        if (error) throw error;
      }
      if (ready.length > 0) {
        await commit();
        transactions++;
        if ((options.maxTransactions !== undefined && transactions >= options.maxTransactions) || options.stopAfterCommit?.() === true) {
          proc.stop();
          break;
        }
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
      } else if (ended) {
        break;
      }
    }
    const outcome = await closed;
    const error = proc.errorFor(outcome);
    if (error) throw error;
    if (!outcome.stoppedByHarness) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
      if (!opened) throw new ConnectorProtocolError('connector closed its output without sending opened');
      if (pending.length > 0) throw eofWithinCheckpoint();
    }
    return { transactions, explicitAcknowledgements: explicitAcks, acknowledgementsSent: acks };
  } catch (err) {
    proc.fail(err as Error);
    await closed;
    throw err;
  } finally {
    options.abort?.removeEventListener('abort', onAbort);
    options.stop?.removeEventListener('abort', onStop);
  }
}

async function sleepUnless(ms: number, done: () => boolean, signal: Signal): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([signal.wait(), new Promise<void>((r) => (timer = setTimeout(r, until - Date.now())))]);
    clearTimeout(timer);
  }
}

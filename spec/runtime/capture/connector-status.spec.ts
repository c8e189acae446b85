import { expect } from 'chai';
import pino from 'pino';
import { Writable } from 'node:stream';
import { ConnectorStatus } from '../../../src/runtime/capture/connector-status';

/** A status reporter whose lines are collected; `onLine` sees each as it is written. */
function reporter(firstMs: number, everyMs: number, onLine: (msg: string) => void = () => undefined): { status: ConnectorStatus; lines: string[] } {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) {
        if (l.trim() === '') continue;
        const msg = (JSON.parse(l) as { msg: string }).msg;
        lines.push(msg);
        onLine(msg);
      }
      cb();
    },
  });
  return { status: new ConnectorStatus(pino({ base: null }, out), { firstMs, everyMs }), lines };
}

/** Resolves after `ms`; a timer made after the reporter's with a longer delay fires after it. */
const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('connector status (backfill progress)', () => {
  it('writes nothing for a capture that ends before the first look', async () => {
    const { status, lines } = reporter(1, 1);
    status.addBinding();
    status.startBackfill(0);
    status.started();
    status.close();
    await after(5);
    expect(lines).to.deep.equal([]);
  });

  it('writes one line per look that saw a change, with the final count of the Python CDK wording', async () => {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const { status, lines } = reporter(1, 1, (msg) => {
      if (msg.startsWith('Backfilling')) {
        // Three changes before the next look: one line for them.
        status.endBackfill(0);
        status.endBackfill(1);
        status.endBackfill(2);
      }
      if (msg.startsWith('Streaming')) done();
    });
    for (let i = 0; i < 3; i++) {
      status.addBinding();
      status.startBackfill(i);
    }
    status.started();
    await finished;
    status.close();
    expect(lines).to.deep.equal(['Backfilling 3 out of 3 bindings', 'Streaming change events (all 3 bindings are backfilled)']);
  });

  it('reports a rate-limit wait at once and keeps the progress line back until the wait is over', async () => {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const { status, lines } = reporter(1, 5, (msg) => msg.startsWith('Backfilling') && done());
    status.addBinding();
    status.startBackfill(0);
    const start = Date.now();
    status.rateLimited('api.example.com', 1000);
    status.started();
    await finished;
    status.close();
    expect(lines).to.deep.equal(['Rate limited by api.example.com: waiting 1 s before retrying', 'Backfilling 1 out of 1 bindings']);
    expect(Date.now() - start).to.be.at.least(1000);
  });
});

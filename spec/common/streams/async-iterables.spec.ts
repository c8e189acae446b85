import { expect } from 'chai';
import { bufferOrdered, merge } from '../../../src/common/streams';
import { collect, rejection } from './stream-spec.helpers';

/** A promise with its resolve function exposed, for ordering events without timers. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('merge', () => {
  it('yields every item of every source in completion order', async () => {
    const gate = deferred();
    async function* slow(): AsyncGenerator<string> {
      await gate.promise;
      yield 'slow';
    }
    async function* fast(): AsyncGenerator<string> {
      yield 'fast-1';
      yield 'fast-2';
      gate.resolve();
    }
    expect(await collect(merge([slow(), fast()]))).to.deep.equal(['fast-1', 'fast-2', 'slow']);
    expect(await collect(merge<number>([]))).to.deep.equal([]);
  });

  it('pauses a source that gets further ahead than the buffer', async () => {
    let produced = 0;
    async function* endless(): AsyncGenerator<number> {
      for (;;) yield produced++;
    }
    const merged = merge([endless()], { bufferSize: 4 });
    const first = await merged.next();
    expect(first.value).to.equal(0);
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(produced).to.be.at.most(6);
    await merged.return();
  });

  it('throws the first error and stops the other sources', async () => {
    let otherClosed = false;
    async function* other(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        otherClosed = true;
      }
    }
    async function* failing(): AsyncGenerator<number> {
      yield -1;
      throw new Error('boom');
    }
    const err = await rejection(() => collect(merge([other(), failing()], { bufferSize: 2 })));
    expect(err.message).to.equal('boom');
    expect(otherClosed).to.equal(true);
  });

  it('does not hang when the consumer breaks while a source is stuck', async () => {
    const never = deferred();
    let quickClosed = false;
    async function* stuck(): AsyncGenerator<number> {
      await never.promise;
      yield 1;
    }
    async function* quick(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        quickClosed = true;
      }
    }
    const got: number[] = [];
    for await (const item of merge([stuck(), quick()])) {
      got.push(item);
      if (got.length === 3) break;
    }
    expect(got).to.deep.equal([0, 1, 2]);
    expect(quickClosed).to.equal(true);
  });
});

describe('bufferOrdered', () => {
  it('returns results in input order while running n at once', async () => {
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const twoRunning = deferred();
    let running = 0;
    let maxRunning = 0;
    const task = (i: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (running === 2) twoRunning.resolve();
      await gates[i]!.promise;
      running--;
      return i * 10;
    };
    const out = bufferOrdered([0, 1, 2, 3].map(task), 2);
    const first = out.next();
    await twoRunning.promise;
    // Task 1 finishes before task 0, but 0 still comes out first.
    gates[1]!.resolve();
    gates[0]!.resolve();
    expect((await first).value).to.equal(0);
    gates[3]!.resolve();
    gates[2]!.resolve();
    expect(await collect(out)).to.deep.equal([10, 20, 30]);
    expect(maxRunning).to.equal(2);
  });

  it('accepts an async iterable of tasks and already-started promises', async () => {
    async function* tasks(): AsyncGenerator<() => Promise<string>> {
      yield async () => 'a';
      yield async () => 'b';
    }
    expect(await collect(bufferOrdered(tasks(), 3))).to.deep.equal(['a', 'b']);
    expect(await collect(bufferOrdered([Promise.resolve('c'), async () => 'd'], 1))).to.deep.equal(['c', 'd']);
  });

  it('throws the first failure without waiting for earlier tasks, and stops taking input', async () => {
    const never = deferred<number>();
    let pulled = 0;
    function* tasks(): Generator<() => Promise<number>> {
      pulled++;
      yield () => never.promise;
      pulled++;
      yield () => Promise.reject(new Error('task 1 failed'));
      pulled++;
      yield () => Promise.resolve(2);
    }
    const err = await rejection(() => collect(bufferOrdered(tasks(), 2)));
    expect(err.message).to.equal('task 1 failed');
    expect(pulled).to.equal(2);
  });

  it('rejects a concurrency below one', async () => {
    const err = await rejection(() => collect(bufferOrdered([], 0)));
    expect(err).to.be.instanceOf(RangeError);
  });
});

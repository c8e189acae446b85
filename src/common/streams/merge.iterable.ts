/** Options for {@link merge}. */
export interface MergeOptions {
  /** Items held for the consumer before the sources are paused; 16 by default. */
  bufferSize?: number;
}

interface Waiter {
  resolve(): void;
}

/**
 * Runs several async iterables at once and yields their items in the order they arrive. At most
 * `bufferSize` items wait for the consumer; a source that gets ahead is paused. The first error from
 * any source is thrown after the other sources are told to stop (`return()`), and breaking out of the
 * loop stops them too, without waiting on a source that is stuck inside `next()`.
 *
 * @example
 * for await (const doc of merge([fetchOrders(), fetchRefunds()])) yield doc;
 */
export async function* merge<T>(sources: readonly AsyncIterable<T>[], options: MergeOptions = {}): AsyncGenerator<T, void, undefined> {
  const bufferSize = Math.max(1, options.bufferSize ?? 16);
  const buffer: T[] = [];
  let active = sources.length;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let consumerWaiting: Waiter | undefined;
  const producersWaiting: Waiter[] = [];
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  // Iterators suspended between items (not inside next()), whose return() therefore settles promptly.
  const idle = new Set<AsyncIterator<T>>();
  const closedByConsumer = new Set<AsyncIterator<T>>();

  const wakeConsumer = (): void => {
    const waiter = consumerWaiting;
    consumerWaiting = undefined;
    waiter?.resolve();
  };

  const pump = async (iterator: AsyncIterator<T>): Promise<void> => {
    try {
      for (;;) {
        if (stopped) break;
        const result = await iterator.next();
        if (result.done) return;
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
        if (stopped) break;
        buffer.push(result.value);
        wakeConsumer();
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
        while (buffer.length >= bufferSize && !stopped) {
          idle.add(iterator);
          await new Promise<void>((resolve) => producersWaiting.push({ resolve }));
          idle.delete(iterator);
        }
      }
      // Stopped while this source was mid-next(): close it now that it has come back.
      if (!closedByConsumer.has(iterator)) await iterator.return?.();
    } catch (error) {
      if (!stopped && failure === undefined) failure = { error };
    } finally {
      active--;
      wakeConsumer();
    }
  };

  for (const iterator of iterators) void pump(iterator);

  try {
    for (;;) {
      if (failure !== undefined) throw failure.error;
      if (buffer.length > 0) {
        const item = buffer.shift() as T;
        producersWaiting.shift()?.resolve();
        yield item;
        continue;
      }
      if (active === 0) return;
      await new Promise<void>((resolve) => {
        consumerWaiting = { resolve };
      });
    }
  } finally {
    stopped = true;
    for (const waiter of producersWaiting.splice(0)) waiter.resolve();
    for (const iterator of idle) closedByConsumer.add(iterator);
    // eslint-disable-next-line @typescript-eslint/await-thenable -- iterators without return() contribute undefined, which allSettled accepts
    await Promise.allSettled([...closedByConsumer].map((iterator) => iterator.return?.()));
  }
}

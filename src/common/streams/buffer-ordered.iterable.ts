/** A unit of work for {@link bufferOrdered}: a function that starts it, or a promise already started. */
export type OrderedTask<T> = (() => PromiseLike<T>) | PromiseLike<T>;

/**
 * Runs up to `concurrency` tasks at a time and yields their results in input order, so at most
 * `concurrency` results are held in memory. Tasks given as functions are started only when a slot is
 * free. The first failure is thrown as soon as it happens (later results are discarded) and no further
 * tasks are taken from the input.
 *
 * @example
 * const pages = bufferOrdered(pageNumbers.map((n) => () => api.fetchPage(n)), 4);
 * for await (const page of pages) yield* page.items;
 */
export async function* bufferOrdered<T>(tasks: AsyncIterable<OrderedTask<T>> | Iterable<OrderedTask<T>>, concurrency: number): AsyncGenerator<T, void, undefined> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`bufferOrdered: concurrency must be a positive integer, got ${concurrency}`);
  }
  const iterator: AsyncIterator<OrderedTask<T>> | Iterator<OrderedTask<T>> = Symbol.asyncIterator in tasks ? tasks[Symbol.asyncIterator]() : tasks[Symbol.iterator]();
  const window: Promise<T>[] = [];
  let failed: { error: unknown } | undefined;
  let wakeOnFailure: (() => void) | undefined;
  let inputDone = false;
  // Read through a function: the task callbacks set `failed`, which TypeScript's narrowing cannot see.
  const failure = (): { error: unknown } | undefined => failed;

  const start = (task: OrderedTask<T>): Promise<T> => {
    const promise = Promise.resolve().then(() => (typeof task === 'function' ? task() : task));
    // Record the first failure at once, so it surfaces even while an earlier task is still running.
    promise.catch((error: unknown) => {
      if (failed === undefined) failed = { error };
      wakeOnFailure?.();
    });
    return promise;
  };

  try {
    for (;;) {
      while (!inputDone && window.length < concurrency && failure() === undefined) {
        const next = await iterator.next();
        if (next.done) inputDone = true;
        else window.push(start(next.value));
      }
      const failedNow = failure();
      if (failedNow !== undefined) throw failedNow.error;
      const head = window.shift();
      if (head === undefined) return;
      const failureSignal = new Promise<void>((resolve) => {
        wakeOnFailure = resolve;
      });
      const winner = await Promise.race([head.then((value) => ({ value })), failureSignal.then(() => undefined)]).catch(() => undefined);
      wakeOnFailure = undefined;
      const failedLater = failure();
      if (failedLater !== undefined || winner === undefined) throw failedLater?.error;
      yield winner.value;
    }
  } finally {
    if (!inputDone) await iterator.return?.();
  }
}

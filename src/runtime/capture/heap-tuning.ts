import * as v8 from 'node:v8';

/** The young generation's size (both semi-spaces) at which its growth stops. */
const NEW_SPACE_CAP_BYTES = 16 * 1024 * 1024;

/**
 * Set once the young generation is capped (or left alone): then a call costs one test. Starts set so
 * that a capture run in someone else's process (mocha, the test kit) leaves its heap alone; only the
 * `estuary` executable opts in through {@link tuneHeapAtStart}.
 */
let settled = true;

/** Whether the user chose V8 heap flags of their own (or `ESTUARY_HEAP_TUNING=off`), which are then left alone. */
function userHeapFlags(): boolean {
  const args = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return /semi[-_]space|heap[-_]growing|max[-_]old[-_]space|max[-_]heap[-_]size/.test(args) || process.env.ESTUARY_HEAP_TUNING === 'off';
}

/** Set while the old-space growth factor is still to be lowered (at the capture's first {@link capYoungGeneration}). */
let growthPending = false;

/** The V8 flags this module changed: the value set, and the one before (V8's default, as no heap flags of the user's were set). */
const changed = new Map<string, { value: number; before: number }>();

function setFlag(name: string, value: number, before: number): void {
  changed.set(name, { value, before: changed.get(name)?.before ?? before });
  v8.setFlagsFromString(`--${name}=${value}`);
}

/**
 * Runs `fn` with the flags {@link capYoungGeneration} changed set back to their values at start, then
 * sets them again. For the code cache (cli/compile-cache): V8 stamps cached code with a hash of its
 * flags and rejects code whose stamp differs from the flags at load. Modules loaded and cached with
 * a flag set mid-run would be compiled afresh by every later process, which starts without it.
 */
export function withStartFlags<T>(fn: () => T): T {
  if (changed.size === 0) return fn();
  for (const [name, { before }] of changed) v8.setFlagsFromString(`--${name}=${before}`);
  try {
    return fn();
  } finally {
    for (const [name, { value }] of changed) v8.setFlagsFromString(`--${name}=${value}`);
  }
}

/**
 * Called first thing by `bin/estuary.js`, before anything is loaded: opts the process in to
 * {@link capYoungGeneration}, which also lowers V8's old-space growth when a capture opens: old space
 * is then collected once it grows 20 % past what the last full collection kept. V8's default lets it
 * grow to several times that first, and during a capture what piles up there is garbage promoted
 * from the busy young generation. On the 1M-document backfill bench peak RSS went from about 106 to
 * 89 MiB for no measurable CPU. The factor is lowered at `open`, not here: during start-up the heap
 * grows by loading modules, and at 20 % V8 ran several more full collections while loading (~50 ms to
 * `opened`) and one more in the capture's first tens of milliseconds (10–25 ms of main thread while
 * the bindings start). V8 applies the factor from the next full collection on.
 */
export function tuneHeapAtStart(): void {
  if (userHeapFlags()) return;
  settled = false;
  growthPending = true;
}

/**
 * Stops the young generation growing past 16 MiB (two 8 MiB semi-spaces, as
 * `--max-semi-space-size=8` would, where V8 goes to 32 MiB). V8 reads its maximum only at start-up,
 * and a connector image's entrypoint may not pass flags; but it reads the growth factor at every
 * growth, so the factor is set to 1 once the cap is reached. Called when a capture opens and after
 * each checkpoint; a few property reads until the cap is reached, one test afterwards.
 */
export function capYoungGeneration(): void {
  // Unsettled only when tuneHeapAtStart found no heap flags of the user's: no need to look again.
  if (settled) return;
  if (growthPending) {
    growthPending = false;
    setFlag('heap-growing-percent', 20, 0);
  }
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (young === undefined || young.space_size >= NEW_SPACE_CAP_BYTES) {
    if (young !== undefined) setFlag('semi-space-growth-factor', 1, 2);
    settled = true;
  }
}

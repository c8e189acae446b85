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

/**
 * Called first thing by `bin/estuary.js`, before anything is loaded: old space is collected once it
 * grows 20 % past what the last full collection kept. V8's default lets it grow to several times
 * that first, and during a capture what piles up there is garbage promoted from the busy young
 * generation. V8 computes each limit from the factor at the previous full collection, so it must be
 * set before start-up's first one. Memory governs the factor more than CPU: on the 1M-document
 * backfill bench peak RSS went from about 110 to 92 MiB (with {@link capYoungGeneration}) for no
 * measurable CPU.
 */
export function tuneHeapAtStart(): void {
  if (userHeapFlags()) return;
  settled = false;
  v8.setFlagsFromString('--heap-growing-percent=20');
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
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (young === undefined || young.space_size >= NEW_SPACE_CAP_BYTES) {
    if (young !== undefined) v8.setFlagsFromString('--semi-space-growth-factor=1');
    settled = true;
  }
}

import * as v8 from 'node:v8';

/**
 * The connector process keeps WebAssembly on V8's baseline compiler (Liftoff). The WebAssembly it
 * runs is undici's HTTP parser (llhttp) and, for snapshot digests, hash-wasm's xxh3. After the first
 * response V8 recompiles llhttp's parser function with its optimizing compiler on a background
 * thread: about 250 ms of CPU, in the middle of the capture's first requests. On a two-core
 * machine that competes with the capture (20 bindings × 10 pages at 50 ms: 696 → 647 ms, median of
 * 8 interleaved runs), while the optimized parser saves nothing measurable per response: the bytes
 * it scans are headers and chunk sizes. xxh3 of a snapshot runs at about 1.5 GiB/s instead of
 * 2.4 GiB/s, small beside serializing the same documents.
 */

/** Why V8's own WebAssembly tiering is left alone, or undefined when the process may change it. */
export function wasmTieringOptOut(execArgv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  if (env.ESTUARY_WASM_TIER_UP === 'on') return 'ESTUARY_WASM_TIER_UP=on';
  const flags = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (flags.some((f) => /^--(no-)?(liftoff|wasm[-_])/.test(f))) return 'WebAssembly flags of its own';
  return undefined;
}

/**
 * Called first thing by `bin/estuary.js`, before any WebAssembly is compiled (V8 reads the flag
 * when a module compiles). Does nothing under {@link wasmTieringOptOut}.
 */
export function keepWasmOnBaselineCompiler(): void {
  if (wasmTieringOptOut(process.execArgv, process.env) !== undefined) return;
  v8.setFlagsFromString('--liftoff-only');
}

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { wasmTieringOptOut } from '../../src/cli/wasm-tiering';
import { REPO } from '../helpers/cli-process';

const TIERING = path.join(REPO, 'dist/src/cli/wasm-tiering.js');

/**
 * Runs a WebAssembly function hot in a fresh node (V8 flags are process-wide) after
 * keepWasmOnBaselineCompiler(), until V8 optimized it or a second passed; reports its tier.
 */
function tierAfterHotLoop(env: NodeJS.ProcessEnv): { liftoff: boolean; turbofan: boolean } {
  // (module (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
  const script = `require(${JSON.stringify(TIERING)}).keepWasmOnBaselineCompiler();
const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,1,0,7,5,1,1,102,0,0,10,9,1,7,0,32,0,65,1,106,11]);
const f = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f;
const until = Date.now() + 1000;
while (Date.now() < until && !%IsTurboFanFunction(f)) for (let i = 0; i < 1e5; i++) f(i);
process.stdout.write(JSON.stringify({ liftoff: %IsLiftoffFunction(f), turbofan: %IsTurboFanFunction(f) }));`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { cwd: REPO, env, encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as { liftoff: boolean; turbofan: boolean };
}

describe('estuary CLI: WebAssembly kept on the baseline compiler', function () {
  this.timeout(30000);

  it('keeps a hot WebAssembly function on Liftoff', () => {
    const env = { ...process.env };
    delete env.ESTUARY_WASM_TIER_UP;
    expect(tierAfterHotLoop(env)).to.deep.equal({ liftoff: true, turbofan: false });
  });

  it('leaves V8 tiering up with ESTUARY_WASM_TIER_UP=on', () => {
    expect(tierAfterHotLoop({ ...process.env, ESTUARY_WASM_TIER_UP: 'on' })).to.deep.equal({ liftoff: false, turbofan: true });
  });

  it('stands aside for WebAssembly flags the user passed', () => {
    expect(wasmTieringOptOut([], {})).to.equal(undefined);
    expect(wasmTieringOptOut(['--max-old-space-size=512'], { NODE_OPTIONS: '--enable-source-maps' })).to.equal(undefined);
    expect(wasmTieringOptOut(['--liftoff'], {})).to.equal('WebAssembly flags of its own');
    expect(wasmTieringOptOut(['-e', 'console.log("--liftoff wasm-x")'], {})).to.equal(undefined);
    expect(wasmTieringOptOut([], { NODE_OPTIONS: '--wasm-tiering-budget=1000' })).to.equal('WebAssembly flags of its own');
    expect(wasmTieringOptOut([], { ESTUARY_WASM_TIER_UP: 'on' })).to.equal('ESTUARY_WASM_TIER_UP=on');
  });
});

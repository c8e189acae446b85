/**
 * Start-up (issue 16, item 3): from process start to the `spec` response of a `.ts` connector
 * (`estuary run bench/fixtures/backfill-connector.ts`, the spec request on stdin) with the compile
 * cache warm, beside a bare `node -e 0`, interleaved round by round in one run. When
 * ESTUARY_PYTHON and ESTUARY_PYTHON_CDK are set (see bench/python-cdk.ts), the Python CDK fixture's
 * `spec` is timed too.
 *
 * Run: `npm run build && BENCH_ROUNDS=10 node dist/bench/startup.js`. Target: ≤ 2.5× `node -e 0`.
 */
import * as path from 'node:path';
import { envInt } from './fixtures/documents';
import { machineLine, median, printTable, range, ROOT, runAsMain, runChild, type ChildRun, type SummaryRow } from './fixtures/measure';
import { pythonCdk, pythonCdkUnavailable } from './fixtures/python-cdk';
import { bareNodeStart } from './fixtures/throughput';

const SPEC_REQUEST = JSON.stringify({ spec: { connectorType: 'IMAGE', config: {} } }) + '\n';
const SPEC_RESPONSE = /^\{"spec"/;

function estuarySpec(): Promise<ChildRun> {
  return runChild({
    command: process.execPath,
    args: [path.join(ROOT, 'bin', 'estuary.js'), 'run', path.join('bench', 'fixtures', 'backfill-connector.ts')],
    stdin: SPEC_REQUEST,
    stdoutMark: SPEC_RESPONSE,
  });
}

export async function run(): Promise<SummaryRow[]> {
  const rounds = Math.max(1, envInt('BENCH_ROUNDS', 10));
  const python = pythonCdk();
  const pythonSpec = (): Promise<ChildRun> => runChild({ ...python!.command(), stdin: SPEC_REQUEST, stdoutMark: SPEC_RESPONSE });
  // Warm-up: fills the compile cache and the OS page cache.
  const first = await estuarySpec();
  if (first.markMs === undefined) throw new Error(`estuary-cdk printed no spec response:\n${first.stderrTail}`);
  await bareNodeStart();
  if (python !== undefined) await pythonSpec();
  const node: ChildRun[] = [];
  const ours: ChildRun[] = [];
  const py: ChildRun[] = [];
  for (let round = 0; round < rounds; round++) {
    node.push(await bareNodeStart());
    ours.push(await estuarySpec());
    if (python !== undefined) py.push(await pythonSpec());
  }
  const nodeMs = node.map((r) => r.wallMs);
  const oursMs = ours.map((r) => r.markMs ?? Number.NaN);
  const ratio = oursMs.map((ms, i) => ms / nodeMs[i]!);
  console.log(`startup: process start to the spec response, compile cache warm; ${rounds} rounds, median [min–max]`);
  console.log(machineLine());
  const rows = [
    [
      'node -e 0 (to exit)',
      range(nodeMs),
      range(
        node.map((r) => r.maxRssMiB),
        1,
      ),
      '',
    ],
    [
      'estuary-cdk .ts connector, spec',
      range(oursMs),
      range(
        ours.map((r) => r.maxRssMiB),
        1,
      ),
      range(ratio, 2),
    ],
  ];
  if (python !== undefined) {
    const pyMs = py.map((r) => r.markMs ?? Number.NaN);
    rows.push([
      'Python CDK connector, spec',
      range(pyMs),
      range(
        py.map((r) => r.maxRssMiB),
        1,
      ),
      range(
        pyMs.map((ms, i) => ms / nodeMs[i]!),
        2,
      ),
    ]);
  } else {
    console.log(`(Python CDK not timed: ${pythonCdkUnavailable()})`);
  }
  printTable(['contender', 'ms to spec response', 'peak RSS MiB', '× node -e 0'], rows);
  console.log(`ratio estuary-cdk spec start-up / node -e 0: ${range(ratio, 2)} (target ≤ 2.5)`);
  return [
    {
      bench: 'startup',
      measure: 'ms to spec response (.ts, cache warm)',
      estuary: range(oursMs),
      baseline: `${range(nodeMs)} node -e 0`,
      ratio: range(ratio, 2),
      target: `≤ 2.5 ${median(ratio) <= 2.5 ? 'met' : 'MISSED'}`,
    },
  ];
}

runAsMain(module, run);

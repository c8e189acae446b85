/**
 * The Airbyte shim's overhead: the same faros-airbyte-cdk source (BENCH_DOCS, default 1,000,000
 * ten-field records, a STATE every BENCH_PAGE = 1000) run directly by faros' runner (Airbyte
 * messages to stdout) and through `airbyteShim({ source })` in-process under `estuary run` (Flow
 * documents and checkpoints to stdout), both as child processes with stdout to /dev/null,
 * interleaved round by round in one run. Target: shim records/s ≥ 0.9 × direct.
 *
 * Run: `npm run build && BENCH_DOCS=1000000 BENCH_ROUNDS=3 node dist/bench/airbyte-shim.js`.
 */
import * as path from 'node:path';
import { envInt } from './fixtures/documents';
import { range, ROOT, runAsMain, runChild, type SummaryRow } from './fixtures/measure';
import { airbyteSource, compareThroughput, ratios, type Contender } from './fixtures/throughput';

const shimInProcess: Contender = {
  name: 'same source via airbyteShim (in-process)',
  run: (docs, page, extra = {}) =>
    runChild({
      command: process.execPath,
      args: [path.join(ROOT, 'bin', 'estuary.js'), 'run', path.join('dist', 'bench', 'fixtures', 'airbyte-shim-connector.js')],
      stdin:
        JSON.stringify({
          open: {
            capture: {
              name: 'bench/shim',
              config: { docs, page_size: page },
              bindings: [{ resourceConfig: { stream: 'docs', syncMode: 'full_refresh' }, collection: { name: 'bench/docs', key: ['/id'], writeSchema: {} }, stateKey: 'docs' }],
            },
          },
        }) + '\n',
      // Flow keeps stdin open while a capture runs; the shim exits when the source's read ends.
      closeStdinOn: /(?!)/,
      ...extra,
    }),
  check: (stdout, docs, page) => {
    const lines = stdout.trimEnd().split('\n');
    const captured = lines.filter((l) => l.startsWith('{"captured"')).length;
    const checkpoints = lines.filter((l) => l.startsWith('{"checkpoint"')).length;
    if (captured !== docs || checkpoints < Math.floor(docs / page)) return `expected ${docs} documents and ${Math.floor(docs / page)}+ checkpoints, got ${captured} and ${checkpoints}`;
    return undefined;
  },
};

export async function run(): Promise<SummaryRow[]> {
  const docs = envInt('BENCH_DOCS', 1_000_000);
  const page = envInt('BENCH_PAGE', 1000);
  const rounds = Math.max(1, envInt('BENCH_ROUNDS', 3));
  const results = await compareThroughput('Airbyte shim vs the same faros-airbyte-cdk source run directly', [airbyteSource, shimInProcess], docs, page, rounds);
  const direct = results.get(airbyteSource)!;
  const shim = results.get(shimInProcess)!;
  const e2e = ratios(shim.e2e, direct.e2e);
  const net = ratios(shim.net, direct.net);
  console.log(`ratio shim / direct, records/s end to end:      ${range(e2e, 2)} (target ≥ 0.9)`);
  console.log(`ratio shim / direct, records/s net of start-up: ${range(net, 2)}`);
  return [
    { bench: 'airbyte-shim', measure: `records/s, ${docs} records, end to end`, estuary: range(shim.e2e), baseline: `${range(direct.e2e)} faros runner`, ratio: range(e2e, 2), target: '≥ 0.9' },
    { bench: 'airbyte-shim', measure: 'records/s net of start-up', estuary: range(shim.net), baseline: `${range(direct.net)} faros runner`, ratio: range(net, 2), target: '' },
  ];
}

runAsMain(module, run);

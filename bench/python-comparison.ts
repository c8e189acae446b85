/**
 * estuary-cdk beside Estuary's Python CDK (issue 16, item 6): the same 1M ten-field documents,
 * checkpoint every 1000, stdout to /dev/null, the open request on a stdin pipe that is closed once
 * the backfill completed; interleaved round by round in one run. Skipped with a note unless
 * ESTUARY_PYTHON and ESTUARY_PYTHON_CDK are set (bench/fixtures/python-cdk.ts).
 *
 * Run: `npm run build && ESTUARY_PYTHON=/path/venv/bin/python ESTUARY_PYTHON_CDK=/path/connectors/estuary-cdk
 * BENCH_ROUNDS=3 node dist/bench/python-comparison.js`. Target: ≥ 2× the Python CDK's docs/s.
 */
import { envInt } from './fixtures/documents';
import { median, range, runAsMain, type SummaryRow } from './fixtures/measure';
import { pythonBackfill, pythonCdk, pythonCdkUnavailable } from './fixtures/python-cdk';
import { compareThroughput, estuaryBackfillEach, ratios } from './fixtures/throughput';

export async function run(): Promise<SummaryRow[]> {
  const cdk = pythonCdk();
  if (cdk === undefined) {
    console.log(`python-comparison skipped: ${pythonCdkUnavailable()}`);
    return [];
  }
  const docs = envInt('BENCH_DOCS', 1_000_000);
  const page = envInt('BENCH_PAGE', 1000);
  const rounds = Math.max(1, envInt('BENCH_ROUNDS', 3));
  const python = pythonBackfill(cdk);
  const results = await compareThroughput('estuary-cdk vs the Python CDK', [python, estuaryBackfillEach], docs, page, rounds);
  const py = results.get(python)!;
  const est = results.get(estuaryBackfillEach)!;
  const e2e = ratios(est.e2e, py.e2e);
  const net = ratios(est.net, py.net);
  const cpu = ratios(
    py.full.map((r) => r.cpuS),
    est.full.map((r) => r.cpuS),
  );
  console.log(`ratio estuary-cdk / Python CDK, docs/s end to end:      ${range(e2e, 2)} (target ≥ 2)`);
  console.log(`ratio estuary-cdk / Python CDK, docs/s net of start-up: ${range(net, 2)}`);
  console.log(`ratio Python CDK CPU s / estuary-cdk CPU s:             ${range(cpu, 2)}`);
  console.log(
    `peak RSS: estuary-cdk ${range(
      est.full.map((r) => r.maxRssMiB),
      1,
    )} MiB, Python CDK ${range(
      py.full.map((r) => r.maxRssMiB),
      1,
    )} MiB`,
  );
  return [
    {
      bench: 'python-comparison',
      measure: `docs/s, ${docs} docs, end to end`,
      estuary: range(est.e2e),
      baseline: `${range(py.e2e)} Python CDK`,
      ratio: range(e2e, 2),
      target: `≥ 2 ${median(e2e) >= 2 ? 'met' : 'MISSED'}`,
    },
    {
      bench: 'python-comparison',
      measure: 'peak RSS MiB',
      estuary: range(
        est.full.map((r) => r.maxRssMiB),
        1,
      ),
      baseline: `${range(
        py.full.map((r) => r.maxRssMiB),
        1,
      )} Python CDK`,
      ratio: '',
      target: '',
    },
  ];
}

runAsMain(module, run);

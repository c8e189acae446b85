/**
 * estuary-cdk beside faros-airbyte-cdk: the same BENCH_DOCS (default 1,000,000) ten-field
 * documents with a checkpoint (Airbyte: a STATE message) every BENCH_PAGE (1000) records, stdout
 * to /dev/null, through an estuary-cdk `@Backfill` connector (`estuary run`, as a user runs it)
 * and through a faros-airbyte-cdk source (`AirbyteSourceBase` + `AirbyteStreamBase` with
 * `stateCheckpointInterval`, run as `node airbyte-source.js read --config … --catalog …`), both as
 * child processes, interleaved round by round, in one run.
 *
 * Run: `npm run build && BENCH_DOCS=1000000 BENCH_ROUNDS=3 node dist/bench/airbyte-comparison.js`.
 */
import { envInt } from './fixtures/documents';
import { range, runAsMain, type SummaryRow } from './fixtures/measure';
import { airbyteSource, compareThroughput, estuaryBackfillEach, ratios } from './fixtures/throughput';

export async function run(): Promise<SummaryRow[]> {
  const docs = envInt('BENCH_DOCS', 1_000_000);
  const page = envInt('BENCH_PAGE', 1000);
  const rounds = Math.max(1, envInt('BENCH_ROUNDS', 3));
  const results = await compareThroughput('estuary-cdk vs faros-airbyte-cdk', [airbyteSource, estuaryBackfillEach], docs, page, rounds);
  const ab = results.get(airbyteSource)!;
  const est = results.get(estuaryBackfillEach)!;
  const e2e = ratios(est.e2e, ab.e2e);
  const net = ratios(est.net, ab.net);
  const cpu = ratios(
    ab.full.map((r) => r.cpuS),
    est.full.map((r) => r.cpuS),
  );
  const rss = ratios(
    est.full.map((r) => r.maxRssMiB),
    ab.full.map((r) => r.maxRssMiB),
  );
  console.log(`ratio estuary-cdk / faros-airbyte-cdk, docs/s end to end:      ${range(e2e, 2)}`);
  console.log(`ratio estuary-cdk / faros-airbyte-cdk, docs/s net of start-up: ${range(net, 2)}`);
  console.log(`ratio faros-airbyte-cdk CPU s / estuary-cdk CPU s:             ${range(cpu, 2)}`);
  console.log(`ratio estuary-cdk / faros-airbyte-cdk, peak RSS:               ${range(rss, 2)}`);
  return [
    { bench: 'airbyte-comparison', measure: `docs/s, ${docs} docs, end to end`, estuary: range(est.e2e), baseline: `${range(ab.e2e)} faros-airbyte-cdk`, ratio: range(e2e, 2), target: '' },
    { bench: 'airbyte-comparison', measure: 'docs/s net of start-up', estuary: range(est.net), baseline: `${range(ab.net)} faros-airbyte-cdk`, ratio: range(net, 2), target: '' },
    {
      bench: 'airbyte-comparison',
      measure: 'CPU s (ratio airbyte/estuary)',
      estuary: range(
        est.full.map((r) => r.cpuS),
        2,
      ),
      baseline: `${range(
        ab.full.map((r) => r.cpuS),
        2,
      )} faros-airbyte-cdk`,
      ratio: range(cpu, 2),
      target: '',
    },
    {
      bench: 'airbyte-comparison',
      measure: 'peak RSS MiB',
      estuary: range(
        est.full.map((r) => r.maxRssMiB),
        1,
      ),
      baseline: `${range(
        ab.full.map((r) => r.maxRssMiB),
        1,
      )} faros-airbyte-cdk`,
      ratio: range(rss, 2),
      target: '',
    },
  ];
}

runAsMain(module, run);

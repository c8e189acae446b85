/**
 * Backfill throughput: BENCH_DOCS (default 1,000,000) ten-field documents with a checkpoint every
 * BENCH_PAGE (1000), stdout to /dev/null, through an estuary-cdk `@Backfill` connector run as a
 * user runs it (`node bin/estuary.js run bench/fixtures/backfill-connector.ts`: TypeScript compiled
 * on the fly, the open request on stdin, stdin closed once the backfill completed) beside a bare
 * NDJSON writer of the same protocol lines (no framework, one write per checkpoint), both as
 * child processes, interleaved round by round, in one run.
 *
 * docs/s is given end to end (process start to exit) and net of start-up (the extra documents over
 * the extra time versus a one-page run of the same contender). Peak RSS and CPU seconds are the
 * child's, from GNU time. Targets: estuary-cdk ≥ 0.85 of the bare writer's docs/s, ≤ 100 MiB.
 *
 * Run: `npm run build && BENCH_DOCS=1000000 BENCH_ROUNDS=3 node dist/bench/backfill-throughput.js`.
 * BENCH_PROFILE=<dir> also writes a CPU profile (`--cpu-prof`) of one estuary-cdk run into <dir>.
 */
import * as path from 'node:path';
import { envInt } from './fixtures/documents';
import { median, range, runAsMain, type SummaryRow } from './fixtures/measure';
import type { ChildRun } from './fixtures/measure';
import { bareNodeStart, bareWriter, compareThroughput, estuaryBackfill, estuaryBackfillEach, floorWriter, ratios } from './fixtures/throughput';

export async function run(): Promise<SummaryRow[]> {
  const docs = envInt('BENCH_DOCS', 1_000_000);
  const page = envInt('BENCH_PAGE', 1000);
  const rounds = Math.max(1, envInt('BENCH_ROUNDS', 3));
  const nodeStarts: ChildRun[] = [];
  const results = await compareThroughput('backfill throughput', [bareWriter, floorWriter, estuaryBackfill, estuaryBackfillEach], docs, page, rounds, async () => {
    nodeStarts.push(await bareNodeStart());
  });
  const bare = results.get(bareWriter)!;
  const floor = results.get(floorWriter)!;
  const est = results.get(estuaryBackfill)!;
  const each = results.get(estuaryBackfillEach)!;
  // Issue 16, item 1: the floor's time beyond a bare Node start over ours beyond our start-up to `opened`.
  const nodeMs = nodeStarts.map((r) => r.wallMs);
  const openedMs = est.startup.map((r) => r.markMs ?? Number.NaN);
  const floorRatio = est.full.map((r, i) => (floor.full[i]!.wallMs - nodeMs[i]!) / (r.wallMs - openedMs[i]!));
  const e2e = ratios(est.e2e, bare.e2e);
  const net = ratios(est.net, bare.net);
  const cpu = ratios(
    bare.full.map((r) => r.cpuS),
    est.full.map((r) => r.cpuS),
  );
  const rss = est.full.map((r) => r.maxRssMiB);
  console.log(`ratio estuary-cdk / bare writer, docs/s end to end:      ${range(e2e, 2)} (target ≥ 0.85)`);
  console.log(`ratio estuary-cdk / bare writer, docs/s net of start-up: ${range(net, 2)}`);
  console.log(`ratio bare writer CPU s / estuary-cdk CPU s:             ${range(cpu, 2)}`);
  console.log(
    `estuary-cdk peak RSS ${range(rss, 1)} MiB (target ≤ 100 MiB), bare writer ${range(
      bare.full.map((r) => r.maxRssMiB),
      1,
    )} MiB`,
  );
  console.log(`start-up: node -e 0 ${range(nodeMs)} ms; estuary-cdk to "opened" ${range(openedMs)} ms; floor writer to "opened" ${range(floor.startup.map((r) => r.markMs ?? Number.NaN))} ms`);
  console.log(`floor / estuary-cdk beyond start-up, (floor − node -e 0) / (ours − our start-up to "opened"): ${range(floorRatio, 2)} (target ≥ 0.85)`);
  const eachOpened = each.startup.map((r) => r.markMs ?? Number.NaN);
  const eachRatio = each.full.map((r, i) => (floor.full[i]!.wallMs - nodeMs[i]!) / (r.wallMs - eachOpened[i]!));
  const cpuFloor = (runs: typeof est.full): number[] => runs.map((r, i) => floor.full[i]!.cpuS / r.cpuS);
  console.log(`same, documents yielded one by one: ${range(eachRatio, 2)}`);
  console.log(`floor CPU s / estuary-cdk CPU s (start-up included): per page ${range(cpuFloor(est.full), 2)}, per document ${range(cpuFloor(each.full), 2)}`);
  console.log(
    `peak RSS: estuary-cdk ${range(rss, 1)} MiB, floor writer ${range(
      floor.full.map((r) => r.maxRssMiB),
      1,
    )} MiB`,
  );
  if (process.env.BENCH_PROFILE) {
    const dir = path.resolve(process.env.BENCH_PROFILE);
    await estuaryBackfill.run(docs, page, { cpuProfDir: dir });
    console.log(`CPU profile of one estuary-cdk run written to ${dir}`);
  }
  const met = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  return [
    {
      bench: 'backfill-throughput',
      measure: `docs/s, ${docs} docs, end to end`,
      estuary: range(est.e2e),
      baseline: `${range(bare.e2e)} bare writer`,
      ratio: range(e2e, 2),
      target: `≥ 0.85 ${met(median(e2e) >= 0.85)}`,
    },
    {
      bench: 'backfill-throughput',
      measure: 'docs/s net of start-up',
      estuary: range(est.net),
      baseline: `${range(bare.net)} bare writer`,
      ratio: range(net, 2),
      target: `≥ 0.85 ${met(median(net) >= 0.85)}`,
    },
    {
      bench: 'backfill-throughput',
      measure: 'CPU s (ratio bare/estuary)',
      estuary: range(
        est.full.map((r) => r.cpuS),
        2,
      ),
      baseline: `${range(
        bare.full.map((r) => r.cpuS),
        2,
      )} bare writer`,
      ratio: range(cpu, 2),
      target: '',
    },
    {
      bench: 'backfill-throughput',
      measure: 'time beyond start-up vs the floor writer',
      estuary: `${range(est.full.map((r, i) => r.wallMs - openedMs[i]!))} ms`,
      baseline: `${range(floor.full.map((r, i) => r.wallMs - nodeMs[i]!))} ms floor`,
      ratio: range(floorRatio, 2),
      target: `≥ 0.85 ${met(median(floorRatio) >= 0.85)}`,
    },
    {
      bench: 'backfill-throughput',
      measure: 'peak RSS MiB',
      estuary: range(rss, 1),
      baseline: `${range(
        bare.full.map((r) => r.maxRssMiB),
        1,
      )} bare writer`,
      ratio: '',
      target: `≤ 100 MiB ${met(Math.max(...rss) <= 100)}`,
    },
  ];
}

runAsMain(module, run);

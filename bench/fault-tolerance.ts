/**
 * Fault tolerance: the paged fixture connector (`spec/fixtures/connectors/paged-api.ts`, four
 * bindings of BENCH_FAULT_PAGES pages of 25 documents) run with `estuary run` against a loopback API
 * that answers after 10 ms, once fault-free and once with 30 % of responses replaced by injected
 * faults (500, 502, 503, 429 with and without `Retry-After`, resets mid-body, bodies stalled past
 * the 200 ms body timeout), round by round. Prints the capture time (from `opened` to the last
 * completed backfill) of each, their ratio (target ≤ 5), and documents lost or duplicated.
 * Then the time from stdin closing to the exit while the connector waits out a 20 s back-off
 * (target ≤ 1 s).
 *
 * Run: `npm run build && BENCH_ROUNDS=3 node dist/bench/fault-tolerance.js`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { envInt } from './fixtures/documents';
import { machineLine, median, range, runAsMain, type SummaryRow } from './fixtures/measure';
import { ESTUARY_BIN, REPO } from '../spec/helpers/cli-process';
import { PAGED_CONNECTOR, pagedOpen, runPagedCapture, startFaultServer } from '../spec/helpers/fault-server';

const PER_PAGE = 25;

async function capture(pages: number, faultRate: number, seed: number): Promise<{ ms: number; lost: number; duplicated: number; faults: number }> {
  const server = await startFaultServer({ pages, perPage: PER_PAGE, faultRate, latencyMs: 10, stallMs: 600, seed });
  try {
    const r = await runPagedCapture({ base_url: server.url, retry_base_ms: 10, body_timeout_ms: 200 });
    if (r.code !== 0 || r.captureMs === undefined) throw new Error(`capture failed (exit ${r.code}): ${JSON.stringify(r.logs.slice(-2))}`);
    let lost = 0;
    let duplicated = 0;
    for (const ids of r.ids) {
      const seen = new Set(ids);
      duplicated += ids.length - seen.size;
      for (let i = 0; i < pages * PER_PAGE; i++) if (!seen.has(i)) lost++;
    }
    return { ms: r.captureMs, lost, duplicated, faults: Object.values(server.injected).reduce((a, b) => a + b, 0) };
  } finally {
    await server.close();
  }
}

async function stopDuringBackoff(): Promise<number> {
  const server = await startFaultServer({ pages: 2, perPage: 1, faultRate: 1, latencyMs: 0, stallMs: 0, seed: 1, faults: ['503'] });
  try {
    const child = spawn(process.execPath, [ESTUARY_BIN, 'run', PAGED_CONNECTOR], { cwd: REPO, stdio: ['pipe', 'ignore', 'pipe'] });
    const closed = once(child, 'close');
    const waiting = new Promise<void>((resolve) => {
      child.stderr.on('data', (c: Buffer) => c.toString().includes('will retry') && resolve());
      void closed.then(() => resolve());
    });
    child.stdin.write(JSON.stringify(pagedOpen({ base_url: server.url, retry_base_ms: 20_000 }, ['a'])) + '\n');
    await waiting;
    const t0 = performance.now();
    child.stdin.end();
    await closed;
    return performance.now() - t0;
  } finally {
    await server.close();
  }
}

export async function run(): Promise<SummaryRow[]> {
  const pages = envInt('BENCH_FAULT_PAGES', 40);
  const rounds = Math.max(1, envInt('BENCH_ROUNDS', 3));
  console.log(`fault tolerance: 4 bindings × ${pages} pages × ${PER_PAGE} docs, API latency 10 ms; ${rounds} rounds, median [min–max]`);
  console.log(machineLine());
  const clean: number[] = [];
  const faulty: number[] = [];
  const ratios: number[] = [];
  const stops: number[] = [];
  let lost = 0;
  let duplicated = 0;
  let faults = 0;
  for (let i = 0; i < rounds; i++) {
    const a = await capture(pages, 0, 100 + i);
    const b = await capture(pages, 0.3, 100 + i);
    clean.push(a.ms);
    faulty.push(b.ms);
    ratios.push(b.ms / a.ms);
    lost += a.lost + b.lost;
    duplicated += a.duplicated + b.duplicated;
    faults += b.faults;
    stops.push(await stopDuringBackoff());
  }
  console.log(`capture ms fault-free ${range(clean)}, with 30 % faults ${range(faulty)} (${faults} faults injected in all)`);
  console.log(`ratio faulted / fault-free: ${range(ratios, 2)} (target ≤ 5); documents lost ${lost}, duplicated ${duplicated}`);
  console.log(`stop during a 20 s back-off: exit after ${range(stops)} ms (target ≤ 1000)`);
  const met = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  return [
    {
      bench: 'fault-tolerance',
      measure: 'capture ms, 30 % faults',
      estuary: range(faulty),
      baseline: `${range(clean)} fault-free`,
      ratio: range(ratios, 2),
      target: `≤ 5 ${met(median(ratios) <= 5)}`,
    },
    { bench: 'fault-tolerance', measure: 'documents lost', estuary: String(lost), baseline: '', ratio: '', target: `0 ${met(lost === 0)}` },
    { bench: 'fault-tolerance', measure: 'stop during back-off, ms to exit', estuary: range(stops), baseline: '', ratio: '', target: `≤ 1000 ${met(median(stops) <= 1000)}` },
  ];
}

runAsMain(module, run);

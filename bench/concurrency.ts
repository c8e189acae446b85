/**
 * Concurrency: BENCH_BINDINGS (20) bindings × BENCH_PAGES (10) pages against a local API that
 * answers every page after BENCH_LATENCY_MS (50) ms. The estuary-cdk fixture connector
 * (bench/fixtures/concurrency-connector.ts: one `@Backfill` per binding, pages fetched with the
 * injected HttpClient) captures all bindings in one process; its capture time (from `opened` to
 * the last binding's `backfill: null` checkpoint) is printed beside the single-binding ideal
 * (pages × latency), a measured single-binding capture, and the same capture done serially,
 * measured: the fixture run once per binding, one after another (the sum of their capture times).
 * In every round the same capture is also run by two floors, hand-written clients with no framework
 * (bench/fixtures/concurrency-floor.ts, on undici and on node:http), and each round's ratio to them
 * is printed: what Node itself takes for this capture on the machine at hand.
 *
 * The API runs in this process (node:http); it also records the most requests it had in flight, and
 * how long it took to answer each one: Node's timers fire at millisecond granularity, so it answers a
 * little after BENCH_LATENCY_MS, and that share of each page's time is the API's, not the client's.
 *
 * Run: `npm run build && BENCH_ROUNDS=3 node dist/bench/concurrency.js`.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { envInt } from './fixtures/documents';
import { machineLine, median, openRequest, printTable, range, ROOT, runAsMain, type SummaryRow } from './fixtures/measure';

const BINDINGS = Math.max(1, envInt('BENCH_BINDINGS', 20));
const PAGES = Math.max(1, envInt('BENCH_PAGES', 10));
const LATENCY_MS = envInt('BENCH_LATENCY_MS', 50);
const DOCS_PER_PAGE = 5;
const ROUNDS = Math.max(1, envInt('BENCH_ROUNDS', 3));
const CONNECTOR = path.join('bench', 'fixtures', 'concurrency-connector.ts');
/** The connector process: the CLI running the fixture connector. */
const ESTUARY_ARGV = [path.join(ROOT, 'bin', 'estuary.js'), 'run', CONNECTOR];
/** The floors: the same capture by a hand-written client with no framework (bench/fixtures/concurrency-floor.ts). */
const FLOOR_SCRIPT = path.join(ROOT, 'dist', 'bench', 'fixtures', 'concurrency-floor.js');
const FLOORS = [
  { label: 'bare undici client (no framework)', argv: [FLOOR_SCRIPT, 'undici'] },
  { label: 'bare node:http client (no framework)', argv: [FLOOR_SCRIPT, 'http'] },
] as const;

interface Api {
  baseUrl: string;
  /** Resets and returns the counters since the last call. */
  take(): { requests: number; maxInFlight: number; gaps: number[]; delays: number[]; firstRequest: Map<string, number>; lastAnswer: Map<string, number> };
  close(): Promise<void>;
}

async function startApi(): Promise<Api> {
  let inFlight = 0;
  let maxInFlight = 0;
  let requests = 0;
  // Per binding, when its last page was answered: the gap to its next request is client-side time.
  const answered = new Map<string, number>();
  let gaps: number[] = [];
  // Per request, from its arrival to its answer being written: the API's own share of each page's time.
  let delays: number[] = [];
  // Per binding, when its first request arrived and its last page was answered (performance.now()).
  let firstRequest = new Map<string, number>();
  let lastAnswer = new Map<string, number>();
  const server = createServer((req, res) => {
    const arrived = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const page = Number(url.searchParams.get('page') ?? 0);
    const binding = url.pathname.slice(1);
    requests++;
    const last = answered.get(binding);
    if (last !== undefined && page > 0) gaps.push(performance.now() - last);
    if (!firstRequest.has(binding)) firstRequest.set(binding, performance.now());
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    setTimeout(() => {
      inFlight--;
      const docs = Array.from({ length: DOCS_PER_PAGE }, (_, i) => ({ id: page * DOCS_PER_PAGE + i, binding, page }));
      const body = JSON.stringify({ docs, next: page + 1 < PAGES ? page + 1 : null });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      delays.push(performance.now() - arrived);
      answered.set(binding, performance.now());
      lastAnswer.set(binding, performance.now());
    }, LATENCY_MS);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take: () => {
      const r = { requests, maxInFlight, gaps, delays, firstRequest, lastAnswer };
      requests = 0;
      maxInFlight = 0;
      gaps = [];
      delays = [];
      firstRequest = new Map();
      lastAnswer = new Map();
      answered.clear();
      return r;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface CaptureRun {
  /** From `opened` to the last binding's completed backfill. */
  captureMs: number;
  /** From spawn to exit. */
  processMs: number;
  /** When `opened` was read (performance.now()). */
  openedAt: number;
  /** Per binding (state key), when its `backfill: null` checkpoint was read. */
  doneAt: Map<string, number>;
  documents: number;
}

/** Runs `argv` (the fixture connector by default) capturing `names`; stops it once every binding's backfill completed. */
function capture(api: Api, names: string[], argv: readonly string[] = ESTUARY_ARGV): Promise<CaptureRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let opened = 0;
    let done = 0;
    let finished = 0;
    let documents = 0;
    const doneAt = new Map<string, number>();
    let pending = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('{"opened"')) opened = performance.now();
        else if (line.startsWith('{"captured"')) documents++;
        else if (line.startsWith('{"checkpoint"') && line.includes('"backfill":null')) {
          const now = performance.now();
          doneAt.set(/"bindingStateV1":\{"([^"]+)"/.exec(line)?.[1] ?? '', now);
          if (++done === names.length) {
            finished = now;
            child.stdin.end();
          }
        }
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.write(openRequest({ baseUrl: api.baseUrl, bindings: BINDINGS }, names));
    child.on('close', (code) => {
      if (code !== 0 || finished === 0) reject(new Error(`connector exited ${code} after ${done}/${names.length} bindings completed:\n${stderr}`));
      else resolve({ captureMs: finished - opened, processMs: performance.now() - started, documents, openedAt: opened, doneAt });
    });
  });
}

/** Per-phase times of one concurrent capture (ms), from the API's and the reader's timestamps. */
interface Phases {
  firstRequestMin: number;
  firstRequestMax: number;
  tailMedian: number;
  tailMax: number;
  clientMedian: number;
  clientMax: number;
}

function phasesOf(r: CaptureRun, counters: ReturnType<Api['take']>): Phases {
  const first = [...counters.firstRequest.values()].map((t) => t - r.openedAt);
  const tails: number[] = [];
  const client: number[] = [];
  for (const [name, done] of r.doneAt) {
    const answered = counters.lastAnswer.get(name);
    const firstAt = counters.firstRequest.get(name);
    if (answered === undefined || firstAt === undefined) continue;
    tails.push(done - answered);
    client.push(done - firstAt - PAGES * LATENCY_MS);
  }
  return {
    firstRequestMin: Math.min(...first),
    firstRequestMax: Math.max(...first),
    tailMedian: median(tails),
    tailMax: Math.max(...tails),
    clientMedian: median(client),
    clientMax: Math.max(...client),
  };
}

export async function run(): Promise<SummaryRow[]> {
  const api = await startApi();
  const names = Array.from({ length: BINDINGS }, (_, i) => `r${i}`);
  try {
    await capture(api, names.slice(0, 1)); // warm the disk cache and swc
    api.take();
    const concurrent: CaptureRun[] = [];
    const inFlight: number[] = [];
    const gaps: number[] = [];
    const delays: number[] = [];
    const phases: Phases[] = [];
    const floors = FLOORS.map(() => [] as CaptureRun[]);
    const expected = BINDINGS * PAGES * DOCS_PER_PAGE;
    for (let round = 0; round < ROUNDS; round++) {
      const r = await capture(api, names);
      if (r.documents !== expected) throw new Error(`expected ${expected} documents, got ${r.documents}`);
      concurrent.push(r);
      const counters = api.take();
      inFlight.push(counters.maxInFlight);
      gaps.push(...counters.gaps);
      delays.push(...counters.delays);
      phases.push(phasesOf(r, counters));
      // The floors in the same round, right after: the machine's speed drifts from minute to minute.
      for (const [i, floor] of FLOORS.entries()) {
        const f = await capture(api, names, floor.argv);
        if (f.documents !== expected) throw new Error(`${floor.label}: expected ${expected} documents, got ${f.documents}`);
        floors[i]!.push(f);
        api.take();
      }
    }
    // Serially: one binding per process, one after another; capture times summed.
    const serial: CaptureRun[] = [];
    for (const name of names) serial.push(await capture(api, [name]));
    const { gaps: serialGaps, delays: serialDelays } = api.take();
    const serialMs = serial.reduce((a, r) => a + r.captureMs, 0);
    const serialProcessMs = serial.reduce((a, r) => a + r.processMs, 0);
    const single = serial.map((r) => r.captureMs);
    const ideal = PAGES * LATENCY_MS;
    const computedSerial = BINDINGS * PAGES * LATENCY_MS;
    const cap = concurrent.map((r) => r.captureMs);

    console.log(`concurrency: ${BINDINGS} bindings × ${PAGES} pages, API latency ${LATENCY_MS} ms/page, ${DOCS_PER_PAGE} docs/page; ${ROUNDS} rounds, median [min–max]`);
    console.log(machineLine());
    printTable(
      ['capture', 'wall ms', 'vs single-binding ideal'],
      [
        [
          `estuary-cdk, ${BINDINGS} bindings in one capture`,
          range(cap),
          `${range(
            cap.map((c) => c / ideal),
            2,
          )}×`,
        ],
        ...FLOORS.map((floor, i) => {
          const ms = floors[i]!.map((r) => r.captureMs);
          return [
            `${floor.label}, ${BINDINGS} bindings`,
            range(ms),
            `${range(
              ms.map((c) => c / ideal),
              2,
            )}×`,
          ];
        }),
        [`single-binding ideal (${PAGES} × ${LATENCY_MS} ms)`, String(ideal), '1.00×'],
        [
          'estuary-cdk, one binding (measured, each serial run)',
          range(single),
          `${range(
            single.map((c) => c / ideal),
            2,
          )}×`,
        ],
        [`serial, measured (${BINDINGS} runs of one binding, summed)`, serialMs.toFixed(0), `${(serialMs / ideal).toFixed(2)}×`],
        [`serial, computed (${BINDINGS} × ${PAGES} × ${LATENCY_MS} ms)`, String(computedSerial), `${(computedSerial / ideal).toFixed(2)}×`],
      ],
    );
    console.log(
      `speed-up of the concurrent capture over serial (measured): ${range(
        cap.map((c) => serialMs / c),
        1,
      )}×, over computed serial: ${range(
        cap.map((c) => computedSerial / c),
        1,
      )}×`,
    );
    for (const [i, floor] of FLOORS.entries()) {
      console.log(
        `estuary-cdk / ${floor.label}, same round: ${range(
          cap.map((c, round) => c / floors[i]![round]!.captureMs),
          2,
        )}×`,
      );
    }
    console.log(`most requests in flight at the API during the concurrent capture: ${range(inFlight)} (of ${BINDINGS} bindings)`);
    const p = (v: number[], q: number): number => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))]!;
    console.log(
      `client time per page (API answered a page → next request of that binding arrived), ms: concurrent median ${median(gaps).toFixed(1)}, p90 ${p(gaps, 0.9).toFixed(1)}, max ${Math.max(...gaps).toFixed(1)}; one binding median ${median(serialGaps).toFixed(1)}, p90 ${p(serialGaps, 0.9).toFixed(1)}, max ${Math.max(...serialGaps).toFixed(1)}`,
    );
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    console.log(
      `the API's own answer time (request read → answer written; the ideal counts ${LATENCY_MS}), ms: concurrent median ${median(delays).toFixed(1)}, mean ${mean(delays).toFixed(1)}; one binding median ${median(serialDelays).toFixed(1)}, mean ${mean(serialDelays).toFixed(1)}`,
    );
    const ph = (f: (p: Phases) => number): string => range(phases.map(f), 1);
    console.log(
      `phases of the concurrent capture, ms: \`opened\` → first request of the first binding ${ph((p) => p.firstRequestMin)}, of the last binding ${ph((p) => p.firstRequestMax)}; ` +
        `a binding's last page answered → its \`backfill: null\` read, median ${ph((p) => p.tailMedian)}, max ${ph((p) => p.tailMax)}; ` +
        `client time summed over a binding's pages (capture − ${PAGES} × ${LATENCY_MS} − first request), median binding ${ph((p) => p.clientMedian)}, slowest ${ph((p) => p.clientMax)}`,
    );
    console.log(`process wall time incl. start-up: concurrent ${range(concurrent.map((r) => r.processMs))} ms; serial runs summed ${serialProcessMs.toFixed(0)} ms`);
    return [
      {
        bench: 'concurrency',
        measure: `${BINDINGS}×${PAGES} pages @${LATENCY_MS} ms, capture ms`,
        estuary: range(cap),
        baseline: `${ideal} ideal; ${serialMs.toFixed(0)} serial measured`,
        ratio: `${range(
          cap.map((c) => c / ideal),
          2,
        )}× ideal`,
        target: '≤ 1.2× ideal',
      },
      ...FLOORS.map((floor, i) => ({
        bench: 'concurrency',
        measure: `vs ${floor.label}, same round`,
        estuary: range(cap),
        baseline: range(floors[i]!.map((r) => r.captureMs)),
        ratio: `${range(
          cap.map((c, round) => c / floors[i]![round]!.captureMs),
          2,
        )}×`,
        target: '',
      })),
      {
        bench: 'concurrency',
        measure: 'speed-up over serial (measured)',
        estuary: `${range(
          cap.map((c) => serialMs / c),
          1,
        )}×`,
        baseline: `max in flight ${range(inFlight)}`,
        ratio: '',
        target: '',
      },
    ];
  } finally {
    await api.close();
  }
}

runAsMain(module, run);

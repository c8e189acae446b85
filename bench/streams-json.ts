/**
 * Benchmark: `IncrementalJsonProcessor` by prefix against `JSON.parse` of the same bytes, side by side
 * in one run, each contender in a fresh process per round (so one side's garbage is never collected
 * on the other's clock), rounds interleaved, medians printed.
 *
 *   BENCH_JSON_MB=200 BENCH_ROUNDS=3 node dist/bench/streams-json.js
 *
 * - **over HTTP**: a node:http server in this process generates a `{"data":{"items":[…]},"next":…}`
 *   body of BENCH_JSON_MB MiB on the fly, with back-pressure. One child streams it by prefix
 *   (`data.items.item`), one reads the whole body and `JSON.parse`s it (what `await body.json()` does),
 *   one drains it without parsing (the HTTP client's own cost). Peak RSS is the child's.
 * - **in memory**: the child builds a 50 MiB document (not timed), warms both parsers up on 4 MiB,
 *   collects garbage, then times one parse from bytes: `JSON.parse(bytes.toString())`, or the processor
 *   over 64 KiB slices.
 *
 * The ratio is processor throughput / `JSON.parse` throughput (≥ 0.8 is issue 16's target); the
 * processor's memory stays bounded while `JSON.parse` holds the whole body and its result.
 */
import { constants } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { IncrementalJsonProcessor } from '../src/common/streams';
import { envInt } from './fixtures/documents';
import { median, range } from './fixtures/measure';

const MB = 1024 * 1024;
const PREFIX = 'data.items.item';
const SLICE = 64 * 1024;

function item(id: number): string {
  return `{"id":${id},"name":"User ${id}","email":"user${id}@example.com","active":${id % 2 === 0},"score":${id}.5,"tags":["alpha","beta","gamma"],"address":{"city":"City ${id % 1000}","zip":"${10000 + (id % 90000)}"},"updatedAt":"2024-01-01T00:00:00Z"}`;
}

/** The benchmark document of about `target` bytes, in ~64 KiB pieces: `{"data":{"items":[…]},"next":…}`. */
function* documentPieces(target: number): Generator<string> {
  let sent = 0;
  let id = 0;
  for (;;) {
    if (sent >= target) {
      yield `]},"next":"cursor-${id}"}`;
      return;
    }
    let batch = sent === 0 ? '{"data":{"items":[' : '';
    while (batch.length < SLICE) batch += (id === 0 ? '' : ',') + item(id++);
    sent += batch.length;
    yield batch;
  }
}

/** Serves the document of `?mb=` MiB, written with back-pressure. */
function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const target = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('mb')) * MB;
    res.writeHead(200, { 'content-type': 'application/json' });
    const pieces = documentPieces(target);
    const pump = (): void => {
      // Not for…of: leaving that loop at a full buffer would close the generator.
      for (let next = pieces.next(); next.done !== true; next = pieces.next()) {
        if (!res.write(next.value)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

type Mode = 'stream-http' | 'parse-http' | 'drain-http' | 'stream-memory' | 'parse-memory';

interface ChildResult {
  bytes: number;
  items: number;
  seconds: number;
  cpuSeconds: number;
  peakRss: number;
  maxRss: number;
}

async function streamItems(input: AsyncIterable<Uint8Array>): Promise<number> {
  const processor = new IncrementalJsonProcessor(input, { prefix: PREFIX });
  let items = 0;
  for await (const value of processor) if (value !== undefined) items++;
  if ((await processor.remainder()) === undefined) throw new Error('no remainder');
  return items;
}

function parseItems(bytes: Buffer): number {
  return (JSON.parse(bytes.toString('utf8')) as { data: { items: unknown[] } }).data.items.length;
}

/**
 * The document as bytes. A function of its own: the pieces and the joined string (~150 MiB of heap
 * for 50 MiB) are then dead once it returns, where an async function's suspended frame can keep
 * such temporaries alive through the timed run, and a full collection must then mark them.
 */
function documentBytes(target: number): Buffer {
  return Buffer.from([...documentPieces(target)].join(''));
}

function* slicesOf(bytes: Buffer): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += SLICE) yield bytes.subarray(i, i + SLICE);
}

async function* asAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield await Promise.resolve(chunk);
}

/** Child: one measured parse in `mode`; prints one JSON line of results. */
async function child(mode: Mode, source: string): Promise<void> {
  const collectGarbage = (globalThis as { gc?: () => void }).gc;
  let bytes = 0;
  let memory: Buffer | undefined;
  if (mode === 'stream-memory' || mode === 'parse-memory') {
    // Warm both parsers up on a small document, then start the clock on a clean heap.
    const warm = documentBytes(4 * MB);
    if (mode === 'stream-memory') await streamItems(asAsync(slicesOf(warm)));
    else parseItems(warm);
    memory = documentBytes(Number(source) * MB);
    bytes = memory.length;
    collectGarbage?.();
  }
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let items = 0;
  if (memory !== undefined) {
    items = mode === 'stream-memory' ? await streamItems(asAsync(slicesOf(memory))) : parseItems(memory);
  } else {
    const { body } = await request(source);
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        yield chunk;
      }
    }
    if (mode === 'stream-http') {
      items = await streamItems(counted());
    } else if (mode === 'parse-http') {
      const chunks: Buffer[] = [];
      for await (const chunk of counted()) chunks.push(chunk as Buffer);
      items = parseItems(Buffer.concat(chunks));
    } else {
      for await (const chunk of counted()) if (chunk.length === 0) items--;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const result: ChildResult = { bytes, items, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRss: peak, maxRss: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function runChild(mode: Mode, source: string): Promise<ChildResult> {
  return new Promise<string>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=8192', __filename, '--child', mode, source], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${mode} child exited with ${code}`))));
  }).then((out) => JSON.parse(out) as ChildResult);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] as Mode, process.argv[4]!);
  const mb = envInt('BENCH_JSON_MB', 1024);
  const memoryMb = envInt('BENCH_JSON_MEMORY_MB', 50);
  const rounds = Math.max(1, envInt('BENCH_ROUNDS', 3));
  const server = await startServer();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?mb=${mb}`;
  const runs: Record<Mode, ChildResult[]> = { 'stream-http': [], 'parse-http': [], 'drain-http': [], 'stream-memory': [], 'parse-memory': [] };
  // A JavaScript string holds at most 512 MiB (V8's limit): JSON.parse cannot take a larger body at all.
  const parseFits = mb * MB < constants.MAX_STRING_LENGTH;
  try {
    for (let round = 0; round < rounds; round++) {
      // Interleaved, with the order flipped every round, so drift in the machine's load hits both sides.
      const order: Mode[] = round % 2 === 0 ? ['parse-memory', 'stream-memory', 'parse-http', 'stream-http'] : ['stream-memory', 'parse-memory', 'stream-http', 'parse-http'];
      for (const mode of order) if (mode !== 'parse-http' || parseFits) runs[mode].push(await runChild(mode, mode.endsWith('memory') ? String(memoryMb) : url));
    }
    runs['drain-http'].push(await runChild('drain-http', url));
  } finally {
    server.close();
  }
  const expected = runs['stream-http'][0]!.items;
  for (const r of [...runs['stream-http'], ...runs['parse-http']]) if (r.items !== expected || r.items === 0) throw new Error(`the parsers disagree: ${r.items} items against ${expected}`);
  const mibPerS = (r: ChildResult): number => r.bytes / MB / r.seconds;
  const mibPerCpuS = (r: ChildResult): number => r.bytes / MB / r.cpuSeconds;
  const ratios = (a: Mode, b: Mode, f: (r: ChildResult) => number): number[] => runs[a].map((r, i) => f(r) / f(runs[b][i]!));
  const fmt = (n: number): string => n.toFixed(1);
  const line = (label: string, mode: Mode): void => {
    const rs = runs[mode];
    const rss = `peak RSS ${fmt(median(rs.map((r) => r.maxRss / MB)))} MiB${mode.endsWith('memory') ? ' (the document included)' : ''}`;
    console.log(`  ${label.padEnd(38)}: ${range(rs.map(mibPerS), 1)} MiB/s, ${fmt(median(rs.map(mibPerCpuS)))} MiB per CPU second, ${rss}`);
  };
  const first = runs['stream-http'][0]!;
  console.log(
    `streams-json: ${fmt(first.bytes / MB)} MiB over HTTP and ${memoryMb} MiB in memory, ${first.items} items by prefix ${PREFIX}; median [range] of ${rounds} (node ${process.version}, ${cpuName()})`,
  );
  line('IncrementalJsonProcessor over HTTP', 'stream-http');
  if (parseFits) line('JSON.parse of the whole body over HTTP', 'parse-http');
  else console.log(`  JSON.parse of the whole body over HTTP: not run, ${mb} MiB is beyond the longest string V8 can make (512 MiB)`);
  line('HTTP client alone (body drained)', 'drain-http');
  line('IncrementalJsonProcessor in memory', 'stream-memory');
  line('JSON.parse(bytes.toString()) in memory', 'parse-memory');
  console.log(`  peak RSS of the processor over HTTP    : ${fmt(median(runs['stream-http'].map((r) => r.maxRss / MB)))} MiB (target < 150 MiB)`);
  const http = parseFits ? `${range(ratios('stream-http', 'parse-http', mibPerS), 2)} (HTTP), ` : '';
  const httpCpu = parseFits ? `${median(ratios('stream-http', 'parse-http', mibPerCpuS)).toFixed(2)} (HTTP), ` : '';
  console.log(
    `  ratio processor/JSON.parse            : ${http}${range(ratios('stream-memory', 'parse-memory', mibPerS), 2)} (in memory); by CPU ${httpCpu}${median(ratios('stream-memory', 'parse-memory', mibPerCpuS)).toFixed(2)} (in memory)`,
  );
  // The first measure, kept for comparison: the processor over HTTP against JSON.parse in memory.
  console.log(`  processor over HTTP / JSON.parse in memory: ${(median(runs['stream-http'].map(mibPerS)) / median(runs['parse-memory'].map(mibPerS))).toFixed(2)}`);
}

function cpuName(): string {
  try {
    return execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).toString().trim() || 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

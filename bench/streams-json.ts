/**
 * Benchmark: parse a large JSON array served over local HTTP with IncrementalJsonProcessor, by prefix,
 * and compare its throughput with JSON.parse of a 50 MB body in the same run.
 *
 *   BENCH_JSON_MB=1024 node dist/bench/streams-json.js
 *
 * The document is generated on the fly by a node:http server (never held in memory); the streaming
 * parse runs in a child process so its peak RSS is not mixed up with the server's.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { IncrementalJsonProcessor } from '../src/common/streams';

const MB = 1024 * 1024;

function item(id: number): string {
  return `{"id":${id},"name":"User ${id}","email":"user${id}@example.com","active":${id % 2 === 0},"score":${id}.5,"tags":["alpha","beta","gamma"],"address":{"city":"City ${id % 1000}","zip":"${10000 + (id % 90000)}"},"updatedAt":"2024-01-01T00:00:00Z"}`;
}

/** Serves `{"data":{"items":[...]},"next":"..."}` of about `?mb=` MiB, written with back-pressure. */
function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const target = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('mb')) * MB;
    res.writeHead(200, { 'content-type': 'application/json' });
    let sent = 0;
    let id = 0;
    const pump = (): void => {
      for (;;) {
        if (sent >= target) {
          res.end(`]},"next":"cursor-${id}"}`);
          return;
        }
        let batch = sent === 0 ? '{"data":{"items":[' : '';
        while (batch.length < 64 * 1024) batch += (id === 0 ? '' : ',') + item(id++);
        sent += batch.length;
        if (!res.write(batch)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Child: stream-parse the URL, sampling RSS, and print one JSON line of results. */
async function child(url: string, drainOnly: boolean): Promise<void> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const { body } = await request(url);
  let bytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      yield chunk;
    }
  }
  let items = 0;
  let remainder: unknown;
  if (drainOnly) {
    for await (const chunk of counted()) if (chunk.length === 0) items--;
  } else {
    const processor = new IncrementalJsonProcessor(counted(), { prefix: 'data.items.item' });
    for await (const value of processor) if (value !== undefined) items++;
    remainder = await processor.remainder();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(JSON.stringify({ bytes, items, seconds, cpuSeconds, peakRss: peak, maxRss: maxRssKb * 1024, remainder }) + '\n');
}

/** Parent-side baselines: download 50 MiB, then time JSON.parse alone and the stream parser over the same bytes (best of 3 each). */
async function baselines(base: string): Promise<{ jsonParse: number; streamInMemory: number; jsonParseCpu: number; streamCpu: number; size: number }> {
  const { body } = await request(`${base}/?mb=50`);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  const buffer = Buffer.concat(chunks);
  const text = buffer.toString('utf8');
  async function* slices(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < buffer.length; i += 64 * 1024) yield buffer.subarray(i, i + 64 * 1024);
  }
  // Best of two runs each, so JIT warm-up does not count; the parsed result is dropped before the
  // stream run so its live heap does not slow the other side's garbage collection.
  // CPU time (this process's user + system, GC threads included) is reported beside wall time: on a
  // shared machine it varies much less.
  let jsonParse = 0;
  let streamInMemory = 0;
  let jsonParseCpu = 0;
  let streamCpu = 0;
  let expected = 0;
  const cpuSeconds = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    let c = process.cpuUsage();
    expected = (JSON.parse(text) as { data: { items: unknown[] } }).data.items.length;
    jsonParse = Math.max(jsonParse, buffer.length / MB / ((performance.now() - t) / 1000));
    jsonParseCpu = Math.max(jsonParseCpu, buffer.length / MB / cpuSeconds(c));
    t = performance.now();
    c = process.cpuUsage();
    let n = 0;
    for await (const value of new IncrementalJsonProcessor(slices(), { prefix: 'data.items.item' })) if (value !== undefined) n++;
    streamInMemory = Math.max(streamInMemory, buffer.length / MB / ((performance.now() - t) / 1000));
    streamCpu = Math.max(streamCpu, buffer.length / MB / cpuSeconds(c));
    if (n !== expected || n === 0) throw new Error(`stream parser found ${n} items, JSON.parse ${expected}`);
  }
  return { jsonParse, streamInMemory, jsonParseCpu, streamCpu, size: buffer.length };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child' || process.argv[2] === '--drain') return child(process.argv[3]!, process.argv[2] === '--drain');
  const mb = Number(process.env.BENCH_JSON_MB ?? 1024);
  const server = await startServer();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const base50 = await baselines(base);
    type ChildResult = { bytes: number; items: number; seconds: number; cpuSeconds: number; peakRss: number; maxRss: number };
    const runChild = (mode: string): Promise<ChildResult> =>
      new Promise<string>((resolve, reject) => {
        const proc = spawn(process.execPath, [__filename, mode, `${base}/?mb=${mb}`], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        proc.on('error', reject);
        proc.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
      }).then((out) => JSON.parse(out) as ChildResult);
    const result = await runChild('--child');
    // The same download with the body drained and dropped: the HTTP client's own CPU cost.
    const drained = await runChild('--drain');
    const streamed = result.bytes / MB / result.seconds;
    const fmt = (n: number): string => n.toFixed(1);
    console.log(`streams-json: ${fmt(result.bytes / MB)} MiB, ${result.items} items by prefix data.items.item over HTTP (node ${process.version}, ${cpuName()})`);
    const streamedCpu = result.bytes / MB / result.cpuSeconds;
    console.log(`  IncrementalJsonProcessor over HTTP : ${fmt(streamed)} MiB/s, ${fmt(result.seconds)} s; ${fmt(streamedCpu)} MiB per CPU second (HTTP client included)`);
    const netCpu = result.bytes / MB / Math.max(1e-9, result.cpuSeconds - drained.cpuSeconds);
    console.log(`  HTTP client alone (body drained)   : ${fmt(drained.bytes / MB / drained.cpuSeconds)} MiB per CPU second; parsing net of it: ${fmt(netCpu)} MiB per CPU second`);
    console.log(`  peak RSS (sampled / OS maxRSS)     : ${fmt(result.peakRss / MB)} MiB / ${fmt(result.maxRss / MB)} MiB (target < 150 MiB)`);
    console.log(`  IncrementalJsonProcessor, 50 MiB in memory: ${fmt(base50.streamInMemory)} MiB/s`);
    console.log(`  JSON.parse, 50 MiB in memory              : ${fmt(base50.jsonParse)} MiB/s`);
    console.log(`  per CPU second, 50 MiB in memory          : IncrementalJsonProcessor ${fmt(base50.streamCpu)} MiB, JSON.parse ${fmt(base50.jsonParseCpu)} MiB`);
    console.log(
      `  ratio stream/JSON.parse                   : ${(streamed / base50.jsonParse).toFixed(2)} (HTTP), ${(base50.streamInMemory / base50.jsonParse).toFixed(2)} (in memory), ${(base50.streamCpu / base50.jsonParseCpu).toFixed(2)} (in memory, by CPU), ${(streamedCpu / base50.jsonParseCpu).toFixed(2)} (HTTP, by CPU), ${(netCpu / base50.jsonParseCpu).toFixed(2)} (HTTP net of the client, by CPU)`,
    );
  } finally {
    server.close();
  }
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

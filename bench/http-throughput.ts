/**
 * Requests per second against a local server at 32 concurrent requests: the estuary-cdk
 * HttpClient beside a bare undici Pool and the global fetch, measured in one run. The server runs
 * in a child process so it does not share the event loop with the clients; besides requests per
 * second, the client process's CPU time per request is printed, which is steadier than throughput
 * on a busy machine.
 *
 * Run: `node dist/bench/http-throughput.js [seconds-per-contender]` (default 3).
 */
import { spawn } from 'node:child_process';
import { Pool } from 'undici';
import { HttpClient } from '../src/common/http';

const CONCURRENCY = 32;
const ROUND_SECONDS = Number(process.argv[2] ?? 3);

const SERVER = `
const { createServer } = require('node:http');
const body = JSON.stringify({ id: 'order-1', updatedAt: '2024-01-01T00:00:00Z', total: 12.5, items: [1, 2, 3] });
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

interface Result {
  rps: number;
  cpuMicrosPerRequest: number;
}

/** Runs `once` from CONCURRENCY loops for `seconds`. */
async function measure(once: () => Promise<unknown>, seconds: number): Promise<Result> {
  const cpu = process.cpuUsage();
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await once();
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const used = process.cpuUsage(cpu);
  return { rps: done / ((performance.now() - started) / 1000), cpuMicrosPerRequest: (used.user + used.system) / done };
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/orders/1`;

  const pool = new Pool(origin, { connections: CONCURRENCY });
  const http = new HttpClient();
  const contenders: Record<string, () => Promise<unknown>> = {
    'undici Pool': async () => {
      const res = await pool.request({ path: '/orders/1', method: 'GET' });
      return res.body.arrayBuffer();
    },
    'HttpClient.request': () => http.request(url),
    'HttpClient.requestJson': () => http.requestJson(url),
    'global fetch': async () => (await fetch(url)).arrayBuffer(),
  };

  // Warm up connections and the JIT, then interleave short rounds so that load from elsewhere on
  // the machine hits every contender alike; report each contender's median round.
  for (const once of Object.values(contenders)) await measure(once, 0.3);
  const rounds = 6;
  const results: Record<string, Result[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, once] of Object.entries(contenders)) (results[name] ??= []).push(await measure(once, ROUND_SECONDS / rounds));
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const rps: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  for (const [name, rs] of Object.entries(results)) {
    rps[name] = median(rs.map((r) => r.rps));
    cpu[name] = median(rs.map((r) => r.cpuMicrosPerRequest));
  }

  console.log(`HTTP throughput, ${CONCURRENCY} concurrent, GET of a small JSON body (median of ${rounds} rounds, ${ROUND_SECONDS}s per contender)`);
  for (const name of Object.keys(results)) {
    console.log(`  ${name.padEnd(24)} ${rps[name]!.toFixed(0).padStart(8)} req/s ${cpu[name]!.toFixed(1).padStart(8)} µs CPU/req`);
  }
  const ratio = rps['HttpClient.request']! / rps['undici Pool']!;
  console.log(`  ratio HttpClient.request / undici Pool: ${ratio.toFixed(2)} req/s (target >= 0.80), ${(cpu['undici Pool']! / cpu['HttpClient.request']!).toFixed(2)} by CPU per request`);
  console.log(`  ratio HttpClient.request / fetch:       ${(rps['HttpClient.request']! / rps['global fetch']!).toFixed(2)} req/s`);

  await http.close();
  await pool.close();
  server.kill();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

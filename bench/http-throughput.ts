/**
 * Requests per second against a local server at 32 concurrent requests: the estuary-cdk
 * HttpClient beside a bare undici Pool and the global fetch, measured in one run. The server runs
 * in a worker thread so it does not share the event loop with the clients.
 *
 * Run: `node dist/bench/http-throughput.js [seconds-per-round]`.
 */
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import { HttpClient } from '../src/common/http';

const CONCURRENCY = 32;
const ROUND_SECONDS = Number(process.argv[2] ?? 2);

const SERVER = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
const body = JSON.stringify({ id: 'order-1', updatedAt: '2024-01-01T00:00:00Z', total: 12.5, items: [1, 2, 3] });
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

/** Runs `once` from CONCURRENCY loops for `seconds`; returns requests per second. */
async function measure(once: () => Promise<unknown>, seconds: number): Promise<number> {
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
  return done / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const worker = new Worker(SERVER, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
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

  // Warm up connections and the JIT, then alternate rounds so drift hits every contender alike.
  for (const once of Object.values(contenders)) await measure(once, 0.3);
  const best: Record<string, number> = {};
  for (let round = 0; round < 2; round++) {
    for (const [name, once] of Object.entries(contenders)) best[name] = Math.max(best[name] ?? 0, await measure(once, ROUND_SECONDS / 2));
  }

  console.log(`HTTP throughput, ${CONCURRENCY} concurrent, GET of a small JSON body (best of 2 rounds of ${ROUND_SECONDS / 2}s)`);
  for (const [name, rps] of Object.entries(best)) console.log(`  ${name.padEnd(24)} ${rps.toFixed(0).padStart(8)} req/s`);
  const ratio = best['HttpClient.request']! / best['undici Pool']!;
  console.log(`  ratio HttpClient.request / undici Pool: ${ratio.toFixed(2)} (target >= 0.80)`);
  console.log(`  ratio HttpClient.request / fetch:       ${(best['HttpClient.request']! / best['global fetch']!).toFixed(2)}`);

  await http.close();
  await pool.close();
  await worker.terminate();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

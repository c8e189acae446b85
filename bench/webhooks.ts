/**
 * Webhooks: the sample connector sample-connectors/webhook-events runs as a child process the way
 * Flow runs it (`estuary run`, protocol on stdin/stdout); this process plays Flow, acknowledging
 * every checkpoint as soon as it reads it, and BENCH_CLIENTS (200) concurrent clients POST one
 * small order event each in a loop (keep-alive, bearer token) for BENCH_WEBHOOK_SECONDS (5).
 * Every 200 counted was acknowledged before it was answered. Prints requests/s, p50/p99 latency,
 * checkpoints written (group commit) and the connector's peak RSS (VmHWM).
 *
 * Run: `npm run build && node dist/bench/webhooks.js`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { postWebhook } from '../src/harness/webhook-client';
import { envInt } from './fixtures/documents';
import { machineLine, ROOT } from './fixtures/measure';

const CLIENTS = Math.max(1, envInt('BENCH_CLIENTS', 200));
const SECONDS = Math.max(1, envInt('BENCH_WEBHOOK_SECONDS', 5));
const PORT = envInt('BENCH_WEBHOOK_PORT', 18_480);
const TOKEN = 'bench-token';

function openRequest(): Record<string, unknown> {
  const binding = (name: string, key: string[]): Record<string, unknown> => ({
    resourceConfig: { name },
    resourcePath: [name],
    collection: { name: `acmeCo/${name}`, key },
    stateKey: name,
  });
  return {
    open: {
      capture: {
        name: 'acmeCo/webhooks',
        config: { webhook_auth: { auth_type: 'Bearer Token', token: TOKEN } },
        bindings: [binding('orders', ['/id']), binding('refunds', ['/_meta/webhookId']), binding('other', ['/_meta/webhookId'])],
      },
      range: { keyEnd: 4294967295 },
      state: {},
    },
  };
}

function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? NaN : Number(m[1]) * 1024;
  } catch {
    return NaN;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'estuary.js'), 'run', path.join(ROOT, 'sample-connectors', 'webhook-events')], {
    env: { ...process.env, ESTUARY_WEBHOOK_PORT: String(PORT) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let checkpoints = 0;
  let listening!: () => void;
  const ready = new Promise<void>((r) => (listening = r));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{"checkpoint"')) {
      checkpoints++;
      child.stdin.write('{"acknowledge":{"checkpoints":1}}\n');
    }
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.includes('webhook server listening')) listening();
  });
  // `estuary run` logs at info by default; the listening line is what we wait for.
  child.stdin.write(JSON.stringify(openRequest()) + '\n');
  await ready;
  const startCheckpoints = checkpoints;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let failures = 0;
  const until = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  let n = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      while (Date.now() < until) {
        const t0 = process.hrtime.bigint();
        const r = await postWebhook(PORT, `/orders/shop-${c % 7}`, { id: `o-${c}-${n++}`, status: 'paid' }, { agent, headers: { authorization: `Bearer ${TOKEN}` } });
        if (r.status === 200) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        else failures++;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = peakRss(child.pid!);
  agent.destroy();
  child.stdin.end();
  await new Promise((r) => child.once('close', r));
  latencies.sort((a, b) => a - b);
  console.log(machineLine());
  console.log(`webhooks: ${CLIENTS} clients, ${SECONDS} s, acknowledgements on (each checkpoint acked as soon as read)`);
  console.log(`  requests answered 200: ${latencies.length} (${failures} other), ${(latencies.length / elapsed).toFixed(0)} requests/s`);
  console.log(`  latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
  console.log(`  checkpoints written: ${checkpoints - startCheckpoints} (${(latencies.length / Math.max(1, checkpoints - startCheckpoints)).toFixed(1)} requests per checkpoint)`);
  console.log(`  connector peak RSS: ${(rss / 1024 / 1024).toFixed(0)} MiB`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

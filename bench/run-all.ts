/**
 * Runs every benchmark and prints a summary table: backfill-throughput, airbyte-comparison,
 * concurrency, startup and python-comparison (the last needs ESTUARY_PYTHON/ESTUARY_PYTHON_CDK; in this process; each runs its contenders as child processes), then the HTTP and
 * JSON-stream benchmarks as child processes with small sizes (BENCH_HTTP_SECONDS, default 1 s per
 * contender; BENCH_JSON_MB, default 100). The throughput benchmarks read BENCH_DOCS (1,000,000),
 * BENCH_PAGE (1000) and BENCH_ROUNDS (3); BENCH_ONLY=name,name runs a subset.
 *
 * Run: `npm run bench` (= `npm run build && node dist/bench/run-all.js`).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { run as airbyteComparison } from './airbyte-comparison';
import { run as backfillThroughput } from './backfill-throughput';
import { run as concurrency } from './concurrency';
import { run as faultTolerance } from './fault-tolerance';
import { run as pythonComparison } from './python-comparison';
import { run as startup } from './startup';
import { machineLine, printTable, type SummaryRow } from './fixtures/measure';

/** Runs a benchmark script as a child, echoing its output; returns its lines that mention a ratio. */
function runScript(file: string, args: string[], env: Record<string, string>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, file), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${file} exited ${code}`));
      else
        resolve(
          out
            .split('\n')
            .filter((l) => /ratio|peak RSS/i.test(l))
            .map((l) => l.trim()),
        );
    });
  });
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const wanted = (name: string): boolean => only === undefined || only.includes(name);
  const rows: SummaryRow[] = [];
  const others: string[] = [];
  const failures: string[] = [];
  const step = async (name: string, body: () => Promise<void>): Promise<void> => {
    if (!wanted(name)) return;
    console.log(`\n=== ${name} ===`);
    const started = performance.now();
    try {
      await body();
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      console.error(err);
    }
    console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  };
  await step('backfill-throughput', async () => void rows.push(...(await backfillThroughput())));
  await step('airbyte-comparison', async () => void rows.push(...(await airbyteComparison())));
  await step('concurrency', async () => void rows.push(...(await concurrency())));
  await step('fault-tolerance', async () => void rows.push(...(await faultTolerance())));
  await step('startup', async () => void rows.push(...(await startup())));
  await step('python-comparison', async () => void rows.push(...(await pythonComparison())));
  await step('http-throughput', async () => {
    for (const l of await runScript('http-throughput.js', [process.env.BENCH_HTTP_SECONDS ?? '1'], {})) others.push(`http-throughput: ${l}`);
  });
  await step('streams-json', async () => {
    for (const l of await runScript('streams-json.js', [], { BENCH_JSON_MB: process.env.BENCH_JSON_MB ?? '100' })) others.push(`streams-json: ${l}`);
  });

  console.log('\n=== summary ===');
  console.log(machineLine());
  printTable(
    ['bench', 'measure', 'estuary-cdk', 'baseline', 'ratio', 'target'],
    rows.map((r) => [r.bench, r.measure, r.estuary, r.baseline, r.ratio, r.target]),
  );
  for (const l of others) console.log(l);
  if (failures.length > 0) {
    console.log(`\nfailed: ${failures.join('\n        ')}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ESTUARY_BIN, REPO } from '../helpers/cli-process';
import { FAULTS, PAGED_CONNECTOR, pagedOpen, runPagedCapture, startFaultServer, type FaultServer } from '../helpers/fault-server';

const PAGES = 12;
const PER_PAGE = 25;
const EXPECTED = Array.from({ length: PAGES * PER_PAGE }, (_, i) => i);

describe('faults (estuary run as a child process against a loopback API)', function () {
  this.timeout(180_000);
  let server: FaultServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('captures the exact document set through 30 % injected faults of every kind', async () => {
    server = await startFaultServer({ pages: PAGES, perPage: PER_PAGE, faultRate: 0.3, latencyMs: 2, stallMs: 600, seed: 12 });
    const r = await runPagedCapture({ base_url: server.url, retry_base_ms: 10, body_timeout_ms: 200 });
    expect(r.code, JSON.stringify(r.logs.slice(-3))).to.equal(0);
    expect(r.captureMs).to.be.a('number');
    for (const ids of r.ids) expect([...ids].sort((a, b) => a - b)).to.deep.equal(EXPECTED);
    // Every kind of fault was exercised.
    for (const f of FAULTS) expect(server.injected[f], f).to.be.greaterThan(0);
    expect(r.logs.filter((l) => l.level === 'error')).to.deep.equal([]);
  });

  /**
   * Starts a capture whose every request fails with `fault` and whose back-off is ≥ 10 s, closes
   * stdin once the client is waiting, and returns the exit code, how long the exit took and the logs.
   */
  async function stopDuringBackoff(fault: '503' | '429'): Promise<{ code: number | null; stopMs: number; logs: Record<string, any>[] }> {
    server = await startFaultServer({ pages: 2, perPage: 1, faultRate: 1, latencyMs: 0, stallMs: 0, seed: 1, faults: [fault] });
    const child = spawn(process.execPath, [ESTUARY_BIN, 'run', PAGED_CONNECTOR], { cwd: REPO, env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    let waiting!: () => void;
    const inBackoff = new Promise<void>((resolve) => (waiting = resolve));
    let errBuf = '';
    child.stderr.on('data', (c: Buffer) => {
      errBuf += c.toString();
      const lines = errBuf.split('\n');
      errBuf = lines.pop()!;
      stderr.push(...lines);
      if (lines.some((l) => l.includes('will retry') || l.includes('Rate limited by'))) waiting();
    });
    child.stdout.resume();
    const closed = once(child, 'close');
    // If the child ends early, the test fails on its exit code rather than waiting for a back-off.
    void closed.then(() => waiting());
    child.stdin.write(JSON.stringify(pagedOpen({ base_url: server.url, retry_base_ms: 20_000 }, ['a'])) + '\n');
    await inBackoff;
    const t0 = performance.now();
    child.stdin.end();
    const [code] = (await closed) as [number | null];
    const stopMs = performance.now() - t0;
    return { code, stopMs, logs: stderr.map((l) => JSON.parse(l) as Record<string, any>) };
  }

  // The back-off alone is 10–20 s (retry_base_ms 20 s with equal jitter), so an exit well before
  // that proves the wait was cut short. The bound is generous (not the 1 s goal, which
  // bench/fault-tolerance.ts prints) because a loaded CI machine can be slow to tear down a process.
  const GENEROUS_MS = 8000;

  it('a stop during a 5xx back-off ends the wait and exits 0 at once', async () => {
    const r = await stopDuringBackoff('503');
    expect(r.code).to.equal(0);
    expect(r.stopMs).to.be.lessThan(GENEROUS_MS);
    expect(r.logs.filter((l) => l.level === 'error')).to.deep.equal([]);
  });

  it('reports a rate-limit wait as connector status, and a stop during it exits 0 at once', async () => {
    const r = await stopDuringBackoff('429');
    expect(r.code).to.equal(0);
    expect(r.stopMs).to.be.lessThan(GENEROUS_MS);
    const status = r.logs.filter((l) => l.fields?.eventType === 'connectorStatus').map((l) => l.msg as string);
    expect(
      status.some((m) => /^Rate limited by 127\.0\.0\.1:\d+: waiting \d+ s before retrying$/.test(m)),
      status.join(' | '),
    ).to.equal(true);
  });
});

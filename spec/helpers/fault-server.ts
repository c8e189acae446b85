import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ESTUARY_BIN, REPO } from './cli-process';

/** The faults a {@link FaultServer} injects, one chosen at random per faulted response. */
export const FAULTS = ['500', '502', '503', '429-retry-after', '429', 'reset-mid-body', 'slow-body'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultServerOptions {
  /** Pages per resource; the last one has `next: null`. */
  pages: number;
  /** Items per page; ids run 0..pages*perPage-1 per resource. */
  perPage: number;
  /** Share of responses replaced by a fault (0..1). */
  faultRate: number;
  /** Simulated API time per response, so a fault-free run takes a measurable time. */
  latencyMs: number;
  /** How long a slow body stalls: longer than the client's body timeout. */
  stallMs: number;
  /** Seed of the fault sequence, so a failing run can be replayed. */
  seed: number;
  /** Only these faults (default: all of {@link FAULTS}). */
  faults?: readonly Fault[];
}

/** A loopback JSON API of paged resources that fails a share of its responses in every way we know. */
export interface FaultServer {
  url: string;
  requests: number;
  injected: Record<Fault, number>;
  /** Resolves at the first request (to act while the client is in back-off). */
  firstRequest: Promise<void>;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
  const random = prng(options.seed);
  const faults = options.faults ?? FAULTS;
  const injected = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  let first!: () => void;
  const firstRequest = new Promise<void>((resolve) => (first = resolve));
  const state = { requests: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const page = (req: IncomingMessage): string => {
    const url = new URL(req.url ?? '/', 'http://x');
    const n = Number(url.searchParams.get('page') ?? '0');
    const items = [];
    for (let i = n * options.perPage; i < (n + 1) * options.perPage; i++) items.push({ id: i, name: `item ${i} of ${url.pathname}` });
    return JSON.stringify({ items, next: n + 1 < options.pages ? n + 1 : null });
  };

  const respond = (req: IncomingMessage, res: ServerResponse): void => {
    state.requests++;
    first();
    const body = page(req);
    const fault = random() < options.faultRate ? faults[Math.floor(random() * faults.length)]! : undefined;
    if (fault !== undefined) injected[fault]++;
    const json = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    switch (fault) {
      case undefined:
        res.writeHead(200, json).end(body);
        return;
      case '500':
      case '502':
      case '503':
        res.writeHead(Number(fault), { 'content-type': 'application/json' }).end('{"error":"injected"}');
        return;
      case '429-retry-after':
        // Fractional seconds keep the run short; the parser takes delay-seconds with a fraction.
        res.writeHead(429, { 'retry-after': '0.05' }).end('slow down');
        return;
      case '429':
        res.writeHead(429).end('slow down');
        return;
      case 'reset-mid-body':
        res.writeHead(200, json);
        res.write(body.slice(0, body.length >> 1), () => res.destroy());
        return;
      case 'slow-body':
        res.writeHead(200, json);
        res.write(body.slice(0, body.length >> 1));
        later(options.stallMs, () => res.end(body.slice(body.length >> 1)));
        return;
    }
  };

  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (options.latencyMs > 0 ? later(options.latencyMs, () => respond(req, res)) : respond(req, res)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    injected,
    firstRequest,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The paged fixture connector, run by the CLI as a child process. */
export const PAGED_CONNECTOR = 'spec/fixtures/connectors/paged-api.ts';

/** An open request of the paged fixture's resources (a, b, c, d), each a backfill from scratch. */
export function pagedOpen(config: Record<string, unknown>, names: readonly string[] = ['a', 'b', 'c', 'd']): unknown {
  return {
    open: {
      capture: {
        name: 'acmeCo/paged',
        config,
        intervalSeconds: 1,
        bindings: names.map((name) => ({
          resourceConfig: { name },
          resourcePath: [name],
          collection: { name: `acmeCo/${name}`, key: ['/id'] },
          stateKey: name,
        })),
      },
      range: { keyEnd: 4294967295 },
      state: {},
    },
  };
}

/** What a paged capture produced. */
export interface PagedCapture {
  code: number | null;
  /** Captured ids per binding index. */
  ids: number[][];
  /** From `opened` to the last binding's completed backfill (ms), or undefined if it never completed. */
  captureMs: number | undefined;
  stdout: string[];
  logs: Record<string, any>[];
}

/**
 * Runs the paged fixture with `estuary run` until every binding's backfill completed, then closes
 * stdin (a graceful stop) and waits for the exit.
 */
export function runPagedCapture(config: Record<string, unknown>, names: readonly string[] = ['a', 'b', 'c', 'd']): Promise<PagedCapture> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ESTUARY_BIN, 'run', PAGED_CONNECTOR], { cwd: REPO, env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const ids: number[][] = names.map(() => []);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const done = new Set<string>();
    let openedAt: number | undefined;
    let captureMs: number | undefined;
    let buf = '';
    let errBuf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        stdout.push(line);
        const m = JSON.parse(line) as Record<string, any>;
        if (m.opened !== undefined) openedAt = performance.now();
        if (m.captured !== undefined) ids[m.captured.binding as number]!.push(m.captured.doc.id as number);
        const states = m.checkpoint?.state?.updated?.bindingStateV1 as Record<string, any> | undefined;
        for (const [key, s] of Object.entries(states ?? {})) if (s !== null && s.backfill === null) done.add(key);
        if (captureMs === undefined && done.size === names.length && openedAt !== undefined) {
          captureMs = performance.now() - openedAt;
          child.stdin.end();
        }
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      errBuf += c.toString();
      const lines = errBuf.split('\n');
      errBuf = lines.pop()!;
      stderr.push(...lines);
    });
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => {
      const logs = stderr.map((l) => {
        try {
          return JSON.parse(l) as Record<string, any>;
        } catch {
          return { raw: l };
        }
      });
      resolve({ code, ids, captureMs, stdout, logs });
    });
    child.stdin.write(JSON.stringify(pagedOpen(config, names)) + '\n');
  });
}

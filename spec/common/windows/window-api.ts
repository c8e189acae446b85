import type { IncomingMessage } from 'node:http';
import { HttpClient } from '../../../src/common/http/http-client';
import { parseLocalDateTime, localMidnight } from '../../../src/common/windows/zoned-time';
import type { DateWindow } from '../../../src/common/windows/window-grid';
import { sendJson, startServer, type TestServer } from '../http/test-server';

/** A record of the mock API: an id and the instant it happened. */
export interface Event {
  id: number;
  at: string;
}

/** How the mock API reads its `from`/`to` query and how it misbehaves. */
export interface WindowApiOptions {
  events: Event[];
  /** The zone `from`/`to` are local times in (default UTC). */
  timezone?: string;
  /** `day`: `from`/`to` are dates; else date-times, which the API truncates to whole seconds. */
  precision?: 'day' | 'second';
  /** `to` includes its day or second (default true). */
  inclusiveTo?: boolean;
  /** Returns at most this many events per query, silently (the oldest first). */
  cap?: number;
  /** Answers 504 when the queried span is longer than this (ms). */
  timeoutOverMs?: number;
}

/** A loopback API of events filtered by a date range; `queries` records every `[from, to]` asked. */
export interface WindowApi {
  url: string;
  queries: Array<{ path: string; from: string; to: string; status: number }>;
  server: TestServer;
  close(): Promise<void>;
}

/** Starts the mock API: `GET /events?from&to` lists, `GET /events/count?from&to` counts. */
export async function startWindowApi(o: WindowApiOptions): Promise<WindowApi> {
  const tz = o.timezone ?? 'UTC';
  const day = o.precision === 'day';
  const inclusive = o.inclusiveTo ?? true;
  const queries: WindowApi['queries'] = [];
  const bounds = (req: IncomingMessage): { path: string; from: string; to: string; lo: number; hi: number } => {
    const u = new URL(req.url ?? '/', 'http://x');
    const from = u.searchParams.get('from') ?? '';
    const to = u.searchParams.get('to') ?? '';
    const lo = parseLocalDateTime(from, tz).getTime();
    const toMs = parseLocalDateTime(to, tz).getTime();
    const hi = !inclusive ? toMs : day ? localMidnight(toMs, tz, 1) : toMs + 1000;
    return { path: u.pathname, from, to, lo, hi };
  };
  const server = await startServer((req, res) => {
    const q = bounds(req);
    const inRange = o.events.filter((e) => {
      const t = Date.parse(e.at);
      // The API compares whole seconds (or days): what it sees of a record is its truncated time.
      const seen = day ? t : t - (t % 1000);
      return seen >= q.lo && seen < q.hi;
    });
    if (o.timeoutOverMs !== undefined && q.hi - q.lo > o.timeoutOverMs) {
      queries.push({ path: q.path, from: q.from, to: q.to, status: 504 });
      sendJson(res, 504, { error: 'gateway timeout' });
      return;
    }
    queries.push({ path: q.path, from: q.from, to: q.to, status: 200 });
    if (q.path === '/events/count') {
      sendJson(res, 200, { count: inRange.length });
      return;
    }
    const sorted = [...inRange].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    sendJson(res, 200, { data: o.cap === undefined ? sorted : sorted.slice(0, o.cap) });
  });
  return { url: server.url, queries, server, close: () => server.close() };
}

/** A client that does not retry, so a 504 reaches the window helper at once. */
export function noRetryClient(): HttpClient {
  return new HttpClient({ retry: { maxRetries: 0 } });
}

/** Fetches `/events` for a window with its local `from`/`to` text. */
export async function fetchEvents(http: HttpClient, api: WindowApi, w: DateWindow, signal: AbortSignal): Promise<Event[]> {
  const res = await http.requestJson<{ data: Event[] }>(`${api.url}/events`, { query: { from: w.from, to: w.to }, signal });
  return res.data;
}

/** Counts `/events/count` for a window. */
export async function countEvents(http: HttpClient, api: WindowApi, w: DateWindow, signal: AbortSignal): Promise<number> {
  const res = await http.requestJson<{ count: number }>(`${api.url}/events/count`, { query: { from: w.from, to: w.to }, signal });
  return res.count;
}

/** `n` events, one every `stepMs` from `start`, ids from 1. */
export function eventsEvery(start: string, stepMs: number, n: number): Event[] {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, at: new Date(t0 + i * stepMs).toISOString() }));
}

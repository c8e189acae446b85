import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Demo items, updated one minute apart from 2024-01-01. */
export const DEMO_ITEMS = Array.from({ length: 12 }, (_, i) => ({
  id: `item-${String(i + 1).padStart(3, '0')}`,
  name: `Item ${i + 1}`,
  price: 5 + i * 2.5,
  updated_at: new Date(Date.UTC(2024, 0, 1, 0, i + 1)).toISOString(),
}));

/** Demo categories. */
export const DEMO_CATEGORIES = [
  { name: 'books', description: 'Things to read' },
  { name: 'games', description: 'Things to play' },
  { name: 'tools', description: 'Things to use' },
];

/** A running mock API. */
export interface MockApi {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  /** Every request seen, as `METHOD /path?query`. */
  requests: string[];
  close(): Promise<void>;
}

/** Options of {@link startMockApi}. */
export interface MockApiOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  /** Default: any free port. */
  port?: number;
  /** Keep the process running while the server listens. Default false. */
  keepAlive?: boolean;
}

/**
 * A tiny stand-in for the real API on 127.0.0.1:
 * - `GET /items?updated_after=<RFC 3339>&limit=<n>`: items updated after the time, oldest first
 * - `GET /categories`: all categories
 * Unless `keepAlive` is set, it does not keep the process running.
 */
export async function startMockApi(options: MockApiOptions = {}): Promise<MockApi> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(401, { error: 'invalid API key' });
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/items') {
      const after = new Date(url.searchParams.get('updated_after') ?? 0).getTime();
      const limit = Number(url.searchParams.get('limit') ?? 100);
      return send(200, DEMO_ITEMS.filter((i) => new Date(i.updated_at).getTime() > after).slice(0, limit));
    }
    if (req.method === 'GET' && url.pathname === '/categories') return send(200, DEMO_CATEGORIES);
    return send(404, { error: `no route for ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  if (options.keepAlive !== true) server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `node --import estuary-cdk/register mock-api.ts` serves the mock on port 8080 until interrupted.
if (require.main === module) {
  void startMockApi({ port: 8080, keepAlive: true }).then((api) => process.stdout.write(`mock API listening on ${api.url}\n`));
}

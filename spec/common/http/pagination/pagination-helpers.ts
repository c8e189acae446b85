import { HttpClient } from '../../../../src/common/http';
import type { Pagination } from '../../../../src/common/http/pagination';
import { FAST_RETRY, memoryLogger, startServer, type Handler, type TestServer } from '../test-server';

/** A record of the fake list APIs. */
export interface Rec {
  id: number;
}

/** Records with ids from..to inclusive. */
export function recs(from: number, to: number): Rec[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i }));
}

/** A loopback API, a client for it and an in-memory logger; `close()` ends them. */
export async function listApi(handler: Handler): Promise<{ server: TestServer; http: HttpClient; mem: ReturnType<typeof memoryLogger>; close: () => Promise<void> }> {
  const server = await startServer(handler);
  const mem = memoryLogger();
  const http = new HttpClient({ baseUrl: server.url, retry: FAST_RETRY });
  return {
    server,
    http,
    mem,
    close: async () => {
      await http.close();
      await server.close();
    },
  };
}

/** The query of a request as seen by the server. */
export function queryOf(url: string): URLSearchParams {
  return new URL(url, 'http://x').searchParams;
}

/** Reads every record; on a failure returns the records read before it and the error. */
export async function drain<Item>(pages: Pagination<Item>): Promise<{ items: Item[]; error: Error | undefined }> {
  const items: Item[] = [];
  try {
    for await (const item of pages.items()) items.push(item);
  } catch (err) {
    return { items, error: err as Error };
  }
  return { items, error: undefined };
}

/** The ids of records. */
export function ids(items: readonly Rec[]): number[] {
  return items.map((r) => r.id);
}

/** The `paginate(...)` stop lines of a memory logger. */
export function stopLines(mem: ReturnType<typeof memoryLogger>): string[] {
  return mem
    .records()
    .map((r) => r.msg as string)
    .filter((m) => m.startsWith('paginate('));
}

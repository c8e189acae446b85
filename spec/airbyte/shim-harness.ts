import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { serveAirbyte, type AirbyteShim } from '../../src/airbyte';

/** The fixture Airbyte-protocol source (a plain Node script). */
export const FIXTURE = path.resolve(__dirname, '../../../spec/fixtures/airbyte/airbyte-source.js');

export interface ShimServed {
  messages: Record<string, any>[];
  logs: Record<string, any>[];
  error: unknown;
}

/**
 * Serves `shim` in-process with `requests` on stdin; stdin closes once `until(messages, logs)`
 * holds (checked after every output and log line). Without `until`, stdin closes at once unless
 * there is an open request, whose capture then runs until the source exits (as under Flow).
 */
export async function serveShim(shim: AirbyteShim, requests: unknown[], until?: (messages: Record<string, any>[], logs: Record<string, any>[]) => boolean): Promise<ShimServed> {
  const stdin = new PassThrough();
  const messages: Record<string, any>[] = [];
  const logs: Record<string, any>[] = [];
  let closed = false;
  const check = (): void => {
    if (!closed && until !== undefined && until(messages, logs)) {
      closed = true;
      stdin.end();
    }
  };
  let pending = '';
  const stdout = new Writable({
    write(chunk: Buffer, _enc, cb) {
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        messages.push(JSON.parse(pending.slice(0, nl)));
        pending = pending.slice(nl + 1);
      }
      check();
      cb();
    },
  });
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      check();
      cb();
    },
  });
  const log = pino({ level: 'debug', base: null, messageKey: 'msg', nestedKey: 'fields', formatters: { level: (l) => ({ level: l }) } }, logStream);
  for (const r of requests) stdin.write(JSON.stringify(r) + '\n');
  if (until === undefined && !requests.some((r) => (r as { open?: unknown }).open !== undefined)) {
    closed = true;
    stdin.end();
  }
  let error: unknown;
  try {
    await serveAirbyte(shim, { stdin, stdout, log });
  } catch (err) {
    error = err;
  }
  stdin.end();
  return { messages, logs, error };
}

/** An open request for the fixture's users and events streams. */
export function openRequest(config: Record<string, unknown>, state?: unknown, extra: Record<string, unknown>[] = []): unknown {
  return {
    open: {
      capture: {
        name: 'acmeCo/shim',
        config,
        bindings: [
          {
            resourceConfig: { stream: 'users', syncMode: 'incremental', cursorField: ['updated'] },
            collection: { name: 'acmeCo/users', key: ['/id'], writeSchema: { type: 'object' } },
            stateKey: 'users',
          },
          { resourceConfig: { stream: 'events', syncMode: 'full_refresh' }, collection: { name: 'acmeCo/events', key: ['/_meta/row_id'], writeSchema: { type: 'object' } }, stateKey: 'events.v2' },
          ...extra,
        ],
      },
      ...(state !== undefined ? { state } : {}),
    },
  };
}

/** The `captured` docs and `checkpoint` states in order, as compact tags. */
export function transcript(messages: Record<string, any>[]): unknown[] {
  return messages.filter((m) => m.captured || m.checkpoint).map((m) => (m.captured ? [m.captured.binding, m.captured.doc] : { checkpoint: m.checkpoint.state }));
}

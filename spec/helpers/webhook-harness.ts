import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import type { Class } from '../../src';
import { buildConnector } from '../../src/testing';
import { serve } from '../../src/runtime/server';
import { decodeResponseLine, lineWriter } from '../../src/protocol';
import { openRequest } from './serve-harness';

/** A webhook capture served in-process on a free loopback port. */
export interface WebhookCapture {
  port: number;
  messages: Record<string, any>[];
  logs: Record<string, any>[];
  /** Sends one acknowledgement per checkpoint not yet acknowledged. */
  ackAll(): void;
  /** Resolves once `n` checkpoints were written. */
  checkpointsWritten(n: number): Promise<void>;
  /** Closes stdin (a graceful stop) and resolves with the serve error, if any. */
  stop(): Promise<unknown>;
  /** Resolves when serve returned (with its error). */
  done: Promise<unknown>;
}

/**
 * Serves `cls` with `bindings` on `ESTUARY_WEBHOOK_PORT=0`; with `autoAck`, every checkpoint is
 * acknowledged as soon as it is written, as Flow would after committing it.
 */
export async function startWebhookCapture(
  cls: Class,
  bindings: Parameters<typeof openRequest>[0],
  options: { config?: Record<string, unknown>; autoAck?: boolean; port?: number } = {},
): Promise<WebhookCapture> {
  const stdin = new PassThrough();
  const messages: Record<string, any>[] = [];
  const logs: Record<string, any>[] = [];
  let acked = 0;
  let written = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const ackAll = (): void => {
    if (written > acked) stdin.write(JSON.stringify({ acknowledge: { checkpoints: written - acked } }) + '\n');
    acked = written;
  };
  const stdout = lineWriter((line) => {
    const m = decodeResponseLine(line).raw as Record<string, any>;
    messages.push(m);
    if (m.checkpoint !== undefined) {
      written++;
      if (options.autoAck) ackAll();
      for (const w of waiters.filter((x) => written >= x.n)) w.resolve();
    }
  });
  let portFound!: (p: number) => void;
  const port = new Promise<number>((r) => (portFound = r));
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        const l = JSON.parse(line);
        logs.push(l);
        if (typeof l.fields?.port === 'number' && String(l.msg).startsWith('webhook server listening')) portFound(l.fields.port);
      }
      cb();
    },
  });
  const log = pino({ level: 'debug', base: null, messageKey: 'msg', nestedKey: 'fields', formatters: { level: (l) => ({ level: l }) } }, logStream);
  stdin.write(JSON.stringify(openRequest(bindings, {}, options.config ?? {})) + '\n');
  const prev = process.env.ESTUARY_WEBHOOK_PORT;
  process.env.ESTUARY_WEBHOOK_PORT = String(options.port ?? 0);
  const done = serve(buildConnector(cls), { stdin, stdout, log, session: { stopDeadlineMs: 5000 } }).then(
    () => undefined,
    (err: unknown) => err,
  );
  const first = await Promise.race([port, done.then((err) => ({ err }))]);
  if (prev === undefined) delete process.env.ESTUARY_WEBHOOK_PORT;
  else process.env.ESTUARY_WEBHOOK_PORT = prev;
  if (typeof first !== 'number') throw first.err instanceof Error ? first.err : new Error('capture ended before the webhook server listened');
  return {
    port: first,
    messages,
    logs,
    ackAll,
    checkpointsWritten: (n) => (written >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    stop: () => {
      stdin.end();
      return done;
    },
    done,
  };
}

import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { type Class } from '../../src';
import { buildConnector } from '../../src/testing';
import { serve } from '../../src/runtime/server';
import { decodeResponseLine, lineWriter } from '../../src/protocol';
import type { SessionOptions } from '../../src/runtime/capture/capture-session';

/** What a connector wrote while served in-process. */
export interface Served {
  messages: Record<string, any>[];
  /** The output lines as written (`messages` are parsed, so integers beyond 2^53 are rounded there). */
  lines: string[];
  logs: Record<string, any>[];
  error: unknown;
}

/**
 * Serves `cls` in-process: writes `requests`, then keeps stdin open until `until(messages)` holds
 * (checked after every output line), then closes stdin so the capture stops gracefully.
 */
export async function serveInProcess(
  cls: Class,
  requests: unknown[],
  options: {
    until?: (messages: Record<string, any>[]) => boolean;
    session?: Partial<SessionOptions>;
    onMessage?: (m: Record<string, any>, stdin: PassThrough) => void;
    /** Called with every log line as it is written. */
    onLog?: (line: Record<string, any>, stdin: PassThrough) => void;
  } = {},
): Promise<Served> {
  const stdin = new PassThrough();
  const messages: Record<string, any>[] = [];
  const lines: string[] = [];
  const logs: Record<string, any>[] = [];
  const until = options.until ?? (() => true);
  let closed = false;
  const maybeClose = (): void => {
    if (!closed && until(messages)) {
      closed = true;
      stdin.end();
    }
  };
  // Each line is checked as `estuary preview` checks it; the raw message is kept for assertions.
  const stdout = lineWriter((line) => {
    const m = decodeResponseLine(line).raw as Record<string, any>;
    lines.push(line);
    messages.push(m);
    options.onMessage?.(m, stdin);
    maybeClose();
  });
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        const parsed = JSON.parse(line) as Record<string, any>;
        logs.push(parsed);
        options.onLog?.(parsed, stdin);
      }
      cb();
    },
  });
  const log = pino({ level: 'debug', base: null, messageKey: 'msg', nestedKey: 'fields', formatters: { level: (l) => ({ level: l }) } }, logStream);
  // A string is a request line as is (for what JSON.stringify cannot write, such as exact big integers).
  for (const r of requests) stdin.write((typeof r === 'string' ? r : JSON.stringify(r)) + '\n');
  maybeClose();
  let error: unknown;
  try {
    await serve(buildConnector(cls), { stdin, stdout, log, session: { stopDeadlineMs: 5000, ...options.session } });
  } catch (err) {
    error = err;
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
  if (!closed) stdin.end();
  return { messages, lines, logs, error };
}

/** An `open` request for the given bindings. */
export function openRequest(
  bindings: { name: string; key?: string[]; stateKey?: string; interval?: string; extra?: Record<string, unknown> }[],
  state: Record<string, unknown> = {},
  config: Record<string, unknown> = {},
  range?: { keyBegin?: number; keyEnd?: number },
): Record<string, unknown> {
  return {
    open: {
      capture: {
        name: 'acmeCo/test',
        config,
        intervalSeconds: 1,
        bindings: bindings.map((b) => ({
          resourceConfig: { name: b.name, ...(b.interval !== undefined ? { interval: b.interval } : {}), ...b.extra },
          resourcePath: [b.name],
          collection: { name: `acmeCo/${b.name}`, key: b.key ?? ['/id'] },
          stateKey: b.stateKey ?? b.name,
        })),
      },
      range: range ?? { keyEnd: 4294967295 },
      state,
    },
  };
}

/** Checkpoint patches in order. */
export function checkpoints(messages: Record<string, any>[]): Record<string, any>[] {
  return messages.filter((m) => m.checkpoint !== undefined).map((m) => m.checkpoint.state.updated);
}

/** Captured documents in order. */
export function captured(messages: Record<string, any>[], binding?: number): Record<string, any>[] {
  return messages.filter((m) => m.captured !== undefined && (binding === undefined || m.captured.binding === binding)).map((m) => m.captured.doc);
}

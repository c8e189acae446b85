import * as http from 'node:http';

/** Options of {@link postWebhook}. */
export interface PostWebhookOptions {
  /** Host of the capture's webhook server (default 127.0.0.1). */
  host?: string;
  /** Extra request headers (e.g. `authorization`, a signature). */
  headers?: Record<string, string>;
  /** An http.Agent to reuse connections across posts (benchmarks). */
  agent?: http.Agent;
}

/** A webhook server's answer. */
export interface WebhookReply {
  status: number;
  /** The parsed JSON answer (`{ published }` or `{ error }`). */
  body: Record<string, unknown>;
}

/**
 * POSTs `body` (serialized as JSON unless it is already a string or Buffer) to a running capture's
 * webhook server at `port` and `path`, and returns the status and parsed answer. A 200 means the
 * documents are committed.
 */
export function postWebhook(port: number, path: string, body: unknown, options: PostWebhookOptions = {}): Promise<WebhookReply> {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host ?? '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': payload.length, ...options.headers },
        ...(options.agent !== undefined ? { agent: options.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown>;
          try {
            parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CaptureError, describeError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { Class } from '../../common/metadata';
import { toJsonText } from '../../common/json-text';
import { matchRule, type NormalRule } from '../../common/webhook-match';
import { ModelJsonWriter } from '../../schema/model-json';
import type { DocumentCheck } from '../capture/document-check';
import { checkAuth, type WebhookAuthSettings } from './webhook-auth';
import { NotCommittedError, type WebhookPublisher } from './webhook-publisher';

/** Default port, as the Python CDK's. */
export const DEFAULT_WEBHOOK_PORT = 8080;
/** Environment variable overriding the port (0 picks a free one). */
export const WEBHOOK_PORT_ENV = 'ESTUARY_WEBHOOK_PORT';
/** Default largest accepted body. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A bound webhook binding, in routing order (most specific rule first). */
export interface WebhookRoute {
  readonly binding: number;
  readonly name: string;
  readonly rule: NormalRule;
  readonly document: Class | undefined;
  readonly check: DocumentCheck;
  /** The collection key includes `/_meta/webhookId`, which the server then fills with a UUID. */
  readonly needsWebhookId: boolean;
}

/** What the server needs. */
export interface WebhookServerOptions {
  readonly routes: readonly WebhookRoute[];
  readonly auth: WebhookAuthSettings;
  readonly publisher: WebhookPublisher;
  readonly log: Logger;
  readonly maxBodyBytes?: number;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The webhook HTTP server: authenticates, parses and routes each POST, then answers
 * `200 {"published": n}` once Flow acknowledged the checkpoint holding its documents.
 */
export class WebhookServer {
  private readonly server: http.Server;
  private rejecting = false;
  /** Requests whose answer is not yet fully sent. */
  private active = 0;
  private onQuiet: (() => void)[] = [];
  private readonly maxBody: number;

  constructor(private readonly options: WebhookServerOptions) {
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
  }

  /** Listens on `port` (0: any free one) and returns the bound port; one clear line when it cannot. */
  async listen(port: number, host?: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(new CaptureError(`webhook server cannot listen on port ${port}: ${err.code ?? err.message}; free the port or set ${WEBHOOK_PORT_ENV} to another one`, { code: 'WEBHOOK_PORT' }));
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** From now on, answers 503 to new requests (requests in flight still finish). */
  reject(): void {
    this.rejecting = true;
  }

  /** Waits for requests in flight, then closes every connection. */
  async close(): Promise<void> {
    this.rejecting = true;
    await this.options.publisher.drained();
    if (this.active > 0) await new Promise<void>((resolve) => this.onQuiet.push(resolve));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  /** Cuts every connection at once. */
  destroy(): void {
    this.rejecting = true;
    this.server.closeAllConnections();
    this.server.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.active++;
    res.once('close', () => {
      if (--this.active === 0) for (const r of this.onQuiet.splice(0)) r();
    });
    // While stopping, each answer closes its connection, so close() does not wait on keep-alives.
    if (this.rejecting) res.shouldKeepAlive = false;
    try {
      if (this.rejecting) throw new HttpFailure(503, 'server shutting down');
      if (req.method !== 'POST') throw new HttpFailure(405, 'only POST is accepted');
      const raw = await this.readBody(req);
      const refused = checkAuth(this.options.auth, req.headers, raw, Date.now());
      if (refused !== undefined) {
        this.options.log.warn({ path: pathOf(req), reason: refused }, 'webhook request refused');
        throw new HttpFailure(401, refused);
      }
      const lines = this.captureLines(req, raw);
      await this.options.publisher.publish(lines);
      respond(res, 200, { published: lines.length });
    } catch (err) {
      if (err instanceof HttpFailure) respond(res, err.status, { error: err.message });
      else if (err instanceof NotCommittedError) respond(res, 503, { error: `not committed: ${err.message}; retry` });
      else {
        this.options.log.error({ error: describeError(err) }, 'webhook request failed');
        respond(res, 500, { error: 'documents were not committed; retry' });
      }
    }
  }

  private readBody(req: http.IncomingMessage): Promise<Buffer> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBody) return Promise.reject(this.tooLarge());
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > this.maxBody) {
          req.removeAllListeners('data');
          reject(this.tooLarge());
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks, size)));
      req.on('error', reject);
    });
  }

  /** The rest of the body is not read: the 413 answer closes the connection. */
  private tooLarge(): HttpFailure {
    return new HttpFailure(413, `body exceeds ${this.maxBody} bytes`);
  }

  /** Parses, routes, enriches and checks every document; all pass or the request fails. */
  private captureLines(req: http.IncomingMessage, raw: Buffer): string[] {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpFailure(400, 'request body must be valid JSON');
    }
    const docs = Array.isArray(body) ? body : [body];
    const url = new URL(req.url ?? '/', 'http://webhook');
    const path = url.pathname;
    const headers = this.recordedHeaders(req);
    const query = url.searchParams.size > 0 ? Object.fromEntries(url.searchParams) : undefined;
    const lines: string[] = [];
    for (const [i, doc] of docs.entries()) {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new HttpFailure(400, `document ${i} is not a JSON object; send an object or an array of objects`);
      const d = doc as Record<string, unknown>;
      let route: WebhookRoute | undefined;
      let params: Record<string, string> | undefined;
      for (const r of this.options.routes) {
        params = matchRule(r.rule, { path, headers: req.headers, doc: d });
        if (params !== undefined) {
          route = r;
          break;
        }
      }
      if (route === undefined) {
        this.options.log.error({ path, header_names: Object.keys(req.headers).sort(), body_keys: Object.keys(d).sort() }, 'No handler found for incoming webhook request');
        throw new HttpFailure(404, 'no matching binding for request');
      }
      d._meta = {
        op: 'u',
        ...(route.needsWebhookId ? { webhookId: randomUUID() } : {}),
        headers,
        reqPath: path,
        // As Python's catch-all route reports it, plus the matched pattern's placeholders.
        pathParams: { path: path.replace(/^\//, ''), ...params },
        ...(query !== undefined ? { queryParams: query } : {}),
      };
      try {
        route.check(d);
      } catch (err) {
        throw new HttpFailure(400, `document ${i}: ${(err as Error).message}`);
      }
      const writer = ModelJsonWriter.forDocument(d, route.document);
      const json = writer === undefined ? toJsonText(d) : writer.write(d);
      lines.push(`{"captured":{"binding":${route.binding},"doc":${json}}}`);
    }
    return lines;
  }

  /** Headers with their names as sent (last value wins), without credentials the server checked. */
  private recordedHeaders(req: http.IncomingMessage): Record<string, string> {
    const out: Record<string, string> = {};
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!;
      if (this.options.auth.kind === 'bearer' && name.toLowerCase() === 'authorization') continue;
      out[name] = raw[i + 1]!;
    }
    return out;
  }
}

function pathOf(req: http.IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!;
}

function respond(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(status === 413 ? { connection: 'close' } : {}) });
  res.end(text);
}

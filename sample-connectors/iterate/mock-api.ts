/**
 * A stand-in for Iterate's REST API on loopback, for the specs and for `estuary preview`:
 *
 *   node dist/sample-connectors/iterate/mock-api.js --port 8124
 *
 * It serves `GET /api/v1/surveys` and `GET /api/v1/surveys/{id}/responses` (cursor pages linked
 * by `links.next`, absent on the last page), rejects a missing or wrong `x-api-key` with 401, and
 * answers some requests with a 503 that a client is expected to retry.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link IterateMock.start}. */
export interface IterateMockOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** The accepted API key. */
  apiKey?: string;
  /** Responses per survey; one survey per entry (default `[23, 0, 41, 7]`). */
  responsesPerSurvey?: number[];
  /** Responses per page (default 100, Iterate's). */
  pageSize?: number;
  /** Every n-th request fails with 503 (0 = never; default 0). */
  failEvery?: number;
  seed?: number;
}

/** A request as the mock saw it. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export type MockSurvey = Record<string, unknown> & { id: string };
export type MockResponse = Record<string, unknown> & { id: string; survey_id: string };

const SURVEY_NAMES = ['Onboarding NPS', 'Pricing page exit', 'Feature request intake', 'Churn interview screener', 'Support CSAT', 'Beta feedback'];
const ANSWERS = ['Very likely', 'Somewhat likely', 'Neutral', 'Unlikely', 'Too expensive', 'Missing integrations', 'Great support', 'Hard to set up'];
const PLATFORMS = ['web', 'email', 'ios', 'android'];

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

/** A 24-hex-digit id, the shape of Iterate's (MongoDB) object ids. */
function objectId(rand: () => number, at: Date): string {
  const ts = Math.floor(at.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return ts + Array.from({ length: 16 }, () => Math.floor(rand() * 16).toString(16)).join('');
}

/** Surveys and their responses, created over the 60 days before `now`. */
export function generateData(counts: readonly number[], now: Date, seed = 7): { surveys: MockSurvey[]; responses: Map<string, MockResponse[]> } {
  const rand = prng(seed);
  const day = 24 * 3600 * 1000;
  const surveys: MockSurvey[] = [];
  const responses = new Map<string, MockResponse[]>();
  counts.forEach((n, i) => {
    const created = new Date(now.getTime() - 60 * day + i * day);
    const id = objectId(rand, created);
    const questions = [
      { id: objectId(rand, created), type: 'rating', prompt: 'How likely are you to recommend us to a friend?', scale_start: 0, scale_end: 10 },
      { id: objectId(rand, created), type: 'multiple_choice', prompt: 'What is the main reason for your score?' },
    ];
    surveys.push({
      id,
      company_id: '5f9d88b2c1a3e2001f0c1a11',
      name: SURVEY_NAMES[i % SURVEY_NAMES.length]!,
      status: rand() < 0.8 ? 'live' : 'closed',
      type: PLATFORMS[i % PLATFORMS.length]!,
      created_at: created.toISOString(),
      updated_at: new Date(created.getTime() + Math.floor(rand() * 10) * day).toISOString(),
      questions,
      trigger: { type: 'page_view', url_contains: '/pricing' },
    });
    const list: MockResponse[] = [];
    for (let r = 0; r < n; r++) {
      const at = new Date(created.getTime() + Math.floor(((r + rand()) * 50 * day) / Math.max(1, n)));
      list.push({
        id: objectId(rand, at),
        survey_id: id,
        created_at: at.toISOString(),
        platform: PLATFORMS[Math.floor(rand() * PLATFORMS.length)]!,
        user: { id: objectId(rand, at), email: `user${1000 + Math.floor(rand() * 9000)}@customer.example`, external_id: null },
        data: [
          { question_id: questions[0]!.id, value: Math.floor(rand() * 11) },
          { question_id: questions[1]!.id, value: ANSWERS[Math.floor(rand() * ANSWERS.length)]! },
        ],
        complete: rand() < 0.9,
      });
    }
    responses.set(id, list);
  });
  return { surveys, responses };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A running mock; mutate {@link surveys} and {@link responses} to simulate changes in Iterate. */
export class IterateMock {
  /** Every request, in arrival order. */
  readonly requests: LoggedRequest[] = [];
  readonly surveys: MockSurvey[];
  /** Responses by survey id, oldest first. */
  readonly responses: Map<string, MockResponse[]>;
  private served = 0;
  private failures = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: Required<IterateMockOptions>,
  ) {
    const data = generateData(options.responsesPerSurvey, new Date(), options.seed);
    this.surveys = data.surveys;
    this.responses = data.responses;
  }

  /** Starts a mock on 127.0.0.1. */
  static async start(options: IterateMockOptions = {}): Promise<IterateMock> {
    const opts: Required<IterateMockOptions> = { port: 0, apiKey: 'iterate-key', responsesPerSurvey: [23, 0, 41, 7], pageSize: 100, failEvery: 0, seed: 7, ...options };
    const server = createServer();
    const mock = new IterateMock(server, opts);
    server.on('request', (req, res) => {
      try {
        mock.handle(req, res);
      } catch (err) {
        json(res, 500, { error: { code: 500, message: String(err) } });
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, '127.0.0.1', resolve);
    });
    return mock;
  }

  /** `http://127.0.0.1:<port>/api/v1`: the `base_url` to configure. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1`;
  }

  /** Deletes a survey and its responses. */
  deleteSurvey(id: string): void {
    const i = this.surveys.findIndex((s) => s.id === id);
    if (i < 0) throw new Error(`no survey ${id}`);
    this.surveys.splice(i, 1);
    this.responses.delete(id);
  }

  /** The next `count` authorized requests answer 503 (an outage the client should ride out). */
  failNext(count = 1): void {
    this.failures += count;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    this.requests.push(entry);
    const reply = (status: number, body: unknown): void => {
      entry.status = status;
      json(res, status, body);
    };
    if (req.headers['x-api-key'] !== this.options.apiKey) {
      return reply(401, { error: { code: 401, message: 'Unauthorized: a valid x-api-key header is required' } });
    }
    this.served++;
    const scheduled = this.failures > 0;
    if (scheduled) this.failures--;
    if (scheduled || (this.options.failEvery > 0 && this.served % this.options.failEvery === 0)) {
      return reply(503, { error: { code: 503, message: 'Service temporarily unavailable' } });
    }
    if (req.method !== 'GET') return reply(405, { error: { code: 405, message: 'method not allowed' } });
    if (url.pathname === '/api/v1/surveys') return reply(200, { results: this.surveys });
    const m = /^\/api\/v1\/surveys\/([^/]+)\/responses$/.exec(url.pathname);
    if (m !== null) {
      const id = decodeURIComponent(m[1]!);
      const list = this.responses.get(id);
      if (list === undefined) return reply(404, { error: { code: 404, message: `survey ${id} not found` } });
      // The cursor names the last response of the previous page, so a page survives inserts before it.
      const cursor = url.searchParams.get('page[cursor]');
      let start = 0;
      if (cursor !== null) {
        const after = Buffer.from(cursor, 'base64url').toString('utf8');
        const at = list.findIndex((r) => r.id === after);
        if (at < 0) return reply(400, { error: { code: 400, message: 'invalid page[cursor]' } });
        start = at + 1;
      }
      const page = list.slice(start, start + this.options.pageSize);
      const body: Record<string, unknown> = { results: { count: page.length, list: page } };
      if (start + page.length < list.length) {
        const next = new URL(`http://${req.headers.host ?? '127.0.0.1'}${url.pathname}`);
        next.searchParams.set('v', url.searchParams.get('v') ?? '');
        next.searchParams.set('page[cursor]', Buffer.from(page[page.length - 1]!.id).toString('base64url'));
        body.links = { next: next.toString() };
      }
      return reply(200, body);
    }
    return reply(404, { error: { code: 404, message: `no route for ${url.pathname}` } });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  IterateMock.start({ port: Number(arg('--port') ?? 8124), pageSize: Number(arg('--page-size') ?? 10), failEvery: Number(arg('--fail-every') ?? 10) }).then(
    (mock) => {
      process.stdout.write(`Iterate mock API on ${mock.url} (x-api-key iterate-key, ${mock.surveys.length} surveys)\n`);
      const shutdown = (): void => void mock.close().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}

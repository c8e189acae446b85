/**
 * A stand-in for Navan's booking data API on loopback, for the specs and for `estuary preview`:
 *
 *   node dist/sample-connectors/navan/mock-api.js --port 8123
 *
 * It serves `POST /ta-auth/oauth/token` (client credentials in a Basic header) and
 * `GET /v1/bookings` (page-numbered, filtered by `updatedFrom`/`updatedTo`), rejects bad
 * credentials and unknown tokens with 401, caps the page size, and answers some requests with a
 * 503 that a client is expected to retry.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link NavanMock.start}. */
export interface NavanMockOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** How many bookings to generate (default 250). */
  bookings?: number;
  /** Largest page served whatever `pageSize` asks for (default 100). */
  maxPageSize?: number;
  /** Every n-th bookings request fails with 503 (0 = never; default 0). */
  failEvery?: number;
  /** Seconds a token lives (default 3600). */
  tokenTtlSeconds?: number;
  /** Seed of the generated data. */
  seed?: number;
}

/** A request as the mock saw it. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

/** A generated booking, in the API's shape. */
export type MockBooking = Record<string, unknown> & { uuid: string; lastModified: string; created: string };

const TYPES = ['FLIGHT', 'HOTEL', 'CAR', 'RAIL'] as const;
const CITIES = ['SFO', 'JFK', 'LHR', 'CDG', 'BER', 'NRT', 'SEA', 'AUS', 'ORD', 'BOS'];
const VENDORS: Record<(typeof TYPES)[number], string[]> = {
  FLIGHT: ['United Airlines', 'Delta Air Lines', 'Lufthansa', 'British Airways'],
  HOTEL: ['Marriott', 'Hilton', 'Hyatt', 'Accor'],
  CAR: ['Hertz', 'Avis', 'Enterprise'],
  RAIL: ['Amtrak', 'Eurostar', 'Deutsche Bahn'],
};
const PEOPLE = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra', 'Barbara Liskov'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance'];

/** A small deterministic PRNG (mulberry32), so runs see the same data. */
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

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function email(name: string): string {
  return `${name.toLowerCase().replace(/\s+/g, '.')}@acme.example`;
}

/** Generates `n` bookings created and last modified over the 90 days before `now`. */
export function generateBookings(n: number, now: Date, seed = 42): MockBooking[] {
  const rand = prng(seed);
  const out: MockBooking[] = [];
  const span = 90 * 24 * 3600 * 1000;
  for (let i = 0; i < n; i++) {
    const type = pick(rand, TYPES);
    const created = new Date(now.getTime() - span + Math.floor((span * (i + rand())) / (n + 1)));
    const modified = new Date(Math.min(now.getTime() - 60_000, created.getTime() + Math.floor(rand() * 5 * 24 * 3600 * 1000)));
    const start = new Date(created.getTime() + Math.floor(rand() * 30) * 24 * 3600 * 1000);
    const end = new Date(start.getTime() + (1 + Math.floor(rand() * 5)) * 24 * 3600 * 1000);
    const traveler = pick(rand, PEOPLE);
    const booker = rand() < 0.7 ? traveler : pick(rand, PEOPLE);
    const total = Math.round((type === 'FLIGHT' ? 200 + rand() * 1800 : 80 + rand() * 900) * 100) / 100;
    out.push({
      uuid: uuidFrom(rand),
      bookingId: `NV-${(100000 + i).toString()}`,
      bookingType: type,
      bookingStatus: rand() < 0.1 ? 'CANCELLED' : type === 'FLIGHT' ? 'TICKETED' : 'CONFIRMED',
      created: created.toISOString(),
      lastModified: modified.toISOString(),
      startDate: start.toISOString().slice(0, 10),
      endDate: end.toISOString().slice(0, 10),
      vendor: pick(rand, VENDORS[type]),
      origin: type === 'FLIGHT' || type === 'RAIL' ? pick(rand, CITIES) : null,
      destination: pick(rand, CITIES),
      currency: 'USD',
      grandTotal: total,
      traveler: { name: traveler, email: email(traveler), department: pick(rand, DEPARTMENTS) },
      booker: { name: booker, email: email(booker) },
      outOfPolicy: rand() < 0.15,
      tripName: `Trip ${1 + Math.floor(rand() * 60)}`,
    });
  }
  return out;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A running mock; mutate {@link bookings} to simulate changes in Navan. */
export class NavanMock {
  /** Every request, in arrival order. */
  readonly requests: LoggedRequest[] = [];
  /** The data served, ordered by creation. */
  readonly bookings: MockBooking[];
  private readonly tokens = new Map<string, number>();
  private bookingRequests = 0;
  private failures = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: Required<NavanMockOptions>,
  ) {
    this.bookings = generateBookings(options.bookings, new Date(), options.seed);
  }

  /** Starts a mock on 127.0.0.1. */
  static async start(options: NavanMockOptions = {}): Promise<NavanMock> {
    const opts: Required<NavanMockOptions> = {
      port: 0,
      clientId: 'navan-client',
      clientSecret: 'navan-secret',
      bookings: 250,
      maxPageSize: 100,
      failEvery: 0,
      tokenTtlSeconds: 3600,
      seed: 42,
      ...options,
    };
    const server = createServer();
    const mock = new NavanMock(server, opts);
    server.on('request', (req, res) => {
      mock.handle(req, res).catch((err: unknown) => json(res, 500, { error: 'internal', message: String(err) }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, '127.0.0.1', resolve);
    });
    return mock;
  }

  /** `http://127.0.0.1:<port>`: the `base_url` to configure. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Modifies bookings (`lastModified` becomes now) and appends `added` new ones. Returns the uuids touched. */
  change(modify: number, added = 0, now = new Date()): string[] {
    const touched: string[] = [];
    for (let i = 0; i < modify && i < this.bookings.length; i++) {
      // Spread over the data, so changes land on many pages of a creation-ordered listing.
      const b = this.bookings[Math.floor((i * this.bookings.length) / modify)]!;
      b.lastModified = now.toISOString();
      b.bookingStatus = 'CHANGED';
      touched.push(b.uuid);
    }
    const fresh = generateBookings(added, now, this.options.seed + this.bookings.length);
    for (const b of fresh) {
      b.created = now.toISOString();
      b.lastModified = now.toISOString();
      this.bookings.push(b);
      touched.push(b.uuid);
    }
    return touched;
  }

  /** The next `count` authorized bookings requests answer 503 (an outage the client should ride out). */
  failNext(count = 1): void {
    this.failures += count;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    this.requests.push(entry);
    const reply = (status: number, body: unknown, headers?: Record<string, string>): void => {
      entry.status = status;
      json(res, status, body, headers);
    };
    if (url.pathname === '/ta-auth/oauth/token') {
      if (req.method !== 'POST') {
        reply(405, { error: 'method_not_allowed' });
        return;
      }
      this.token(req, await readBody(req), reply);
      return;
    }
    if (url.pathname === '/v1/bookings') {
      if (req.method !== 'GET') {
        reply(405, { error: 'method_not_allowed' });
        return;
      }
      this.list(req, url.searchParams, reply);
      return;
    }
    reply(404, { error: 'not_found', message: `no route for ${req.method} ${url.pathname}` });
  }

  private token(req: IncomingMessage, body: string, reply: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    const form = new URLSearchParams(body);
    const auth = req.headers.authorization ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(auth);
    const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':', 2) : [];
    if (form.get('grant_type') !== 'client_credentials') {
      return reply(400, { error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' });
    }
    if (id !== this.options.clientId || secret !== this.options.clientSecret) {
      return reply(401, { error: 'invalid_client', error_description: 'Bad client credentials' }, { 'www-authenticate': 'Basic realm="navan"' });
    }
    const token = randomBytes(18).toString('base64url');
    this.tokens.set(token, Date.now() + this.options.tokenTtlSeconds * 1000);
    reply(200, { access_token: token, token_type: 'bearer', expires_in: this.options.tokenTtlSeconds, scope: 'bookings:read' });
  }

  private list(req: IncomingMessage, params: URLSearchParams, reply: (s: number, b: unknown) => void): void {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const expires = bearer ? this.tokens.get(bearer[1]!) : undefined;
    if (expires === undefined || expires < Date.now()) {
      return reply(401, { error: 'invalid_token', error_description: 'Full authentication is required to access this resource' });
    }
    this.bookingRequests++;
    const scheduled = this.failures > 0;
    if (scheduled) this.failures--;
    if (scheduled || (this.options.failEvery > 0 && this.bookingRequests % this.options.failEvery === 0)) {
      return reply(503, { status: 503, error: 'Service Unavailable', message: 'upstream timeout, please retry' });
    }
    const int = (name: string, dflt: number): number | undefined => {
      const v = params.get(name);
      if (v === null) return dflt;
      return /^\d+$/.test(v) ? Number(v) : undefined;
    };
    const time = (name: string): number | null | undefined => {
      const v = params.get(name);
      if (v === null) return null;
      return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) ? Date.parse(v) : undefined;
    };
    const page = int('page', 1);
    const asked = int('pageSize', 20);
    const from = time('updatedFrom');
    const to = time('updatedTo');
    if (page === undefined || page < 1 || asked === undefined || asked < 1 || from === undefined || to === undefined) {
      return reply(400, { status: 400, error: 'Bad Request', message: 'page and pageSize are positive integers; updatedFrom/updatedTo are yyyy-MM-ddTHH:mm:ssZ' });
    }
    const pageSize = Math.min(asked, this.options.maxPageSize);
    const matching = this.bookings.filter((b) => {
      const t = Date.parse(b.lastModified);
      return (from === null || t >= from) && (to === null || t <= to);
    });
    const totalPages = Math.max(1, Math.ceil(matching.length / pageSize));
    reply(200, {
      data: matching.slice((page - 1) * pageSize, page * pageSize),
      page: { totalPages, currentPage: page, pageSize, totalElements: matching.length },
    });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  NavanMock.start({ port: Number(arg('--port') ?? 8123), failEvery: Number(arg('--fail-every') ?? 7) }).then(
    (mock) => {
      process.stdout.write(`Navan mock API on ${mock.url} (client_id navan-client, client_secret navan-secret, ${mock.bookings.length} bookings)\n`);
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

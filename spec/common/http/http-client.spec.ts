import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { IsInt, IsString } from 'class-validator';
import { StoppedError } from '../../../src/common/errors';
import { HttpAbortedError, HttpClient, HttpError, HttpTransportError, ResponseValidationError } from '../../../src/common/http';
import { precompileHttpParser } from '../../../src/common/http/http-client';
import { FAST_RETRY, deferred, expectRejection, memoryLogger, sendJson, startServer, type TestServer } from './test-server';

describe('HttpClient', () => {
  let server: TestServer | undefined;
  let http: HttpClient | undefined;

  afterEach(async () => {
    await http?.close();
    await server?.close();
    http = server = undefined;
  });

  it('sends method, query, JSON and form bodies and headers, and parses JSON', async () => {
    server = await startServer((req, res, body) => sendJson(res, 200, { method: req.method, url: req.url, body, type: req.headers['content-type'], x: req.headers['x-test'] }));
    http = new HttpClient({ baseUrl: server.url });
    const got = await http.requestJson<Record<string, string>>('/echo', { method: 'post', query: { a: 1, b: ['x', 'y'], c: undefined }, json: { k: 'v' }, headers: { 'x-test': 't' } });
    expect(got).to.deep.equal({ method: 'POST', url: '/echo?a=1&b=x&b=y', body: '{"k":"v"}', type: 'application/json', x: 't' });
    const form = await http.requestJson<Record<string, string>>('/f', { method: 'POST', form: { grant_type: 'x y', n: 2 } });
    expect(form.body).to.equal('grant_type=x+y&n=2');
    expect(form.type).to.equal('application/x-www-form-urlencoded');
  });

  it('retries a burst of 503s and returns the eventual success, warning per retry', async () => {
    server = await startServer((_req, res, _body, n) => (n <= 3 ? sendJson(res, 503, { error: 'busy' }) : sendJson(res, 200, { ok: n })));
    const mem = memoryLogger();
    http = new HttpClient({ log: mem.log, retry: FAST_RETRY });
    expect(await http.requestJson(`${server.url}/x`)).to.deep.equal({ ok: 4 });
    expect(server.requests).to.have.length(4);
    const warnings = mem.records().filter((r) => r.msg === 'server error (will retry)');
    expect(warnings.map((w) => w.status)).to.deep.equal([503, 503, 503]);
  });

  it('gives up on endless 500s within the retry bound', async () => {
    server = await startServer((_req, res) => sendJson(res, 500, { error: 'boom' }));
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRetries: 3 } });
    const started = Date.now();
    const err = await expectRejection(http.request(`${server.url}/x`));
    expect(err).to.be.instanceOf(HttpError);
    expect((err as HttpError).status).to.equal(500);
    expect((err as HttpError).attempts).to.equal(4);
    expect((err as HttpError).code).to.equal('HTTP_STATUS');
    expect(server.requests).to.have.length(4);
    expect(Date.now() - started).to.be.lessThan(2000);
  });

  it('lets shouldRetry stop retrying a 5xx, and passes it status, body and attempt', async () => {
    server = await startServer((_req, res) => sendJson(res, 500, { error: 'INVALID_CURSOR' }));
    const seen: Array<[number, string, number]> = [];
    http = new HttpClient({ retry: FAST_RETRY });
    const err = await expectRejection(
      http.request(`${server.url}/x`, {
        shouldRetry: (status, _h, body, attempt) => {
          seen.push([status, body.toString(), attempt]);
          return !body.includes('INVALID_CURSOR');
        },
      }),
    );
    expect((err as HttpError).status).to.equal(500);
    expect(seen).to.deep.equal([[500, '{"error":"INVALID_CURSOR"}', 1]]);
    expect(server.requests).to.have.length(1);
  });

  it('throws a 4xx at once with status, method, redacted URL, content type and body excerpt', async () => {
    server = await startServer((_req, res) => sendJson(res, 404, { error: 'no such order' }));
    http = new HttpClient({ retry: FAST_RETRY });
    const err = (await expectRejection(http.request(`${server.url}/orders/7?api_key=abcdef123&page=2`, { method: 'DELETE' }))) as HttpError;
    expect(err).to.be.instanceOf(HttpError);
    expect(server.requests).to.have.length(1);
    expect(err.status).to.equal(404);
    expect(err.method).to.equal('DELETE');
    expect(err.contentType).to.equal('application/json');
    expect(err.url).to.equal(`${server.url}/orders/7?api_key=[redacted]&page=2`);
    expect(err.message).to.include('HTTP 404').and.include('no such order').and.include('DELETE').and.not.include('abcdef123');
  });

  it('honours Retry-After in seconds on a 429 (the wait is observed)', async () => {
    let firstAt = 0;
    let secondAt = 0;
    server = await startServer((_req, res, _b, n) => {
      if (n === 1) {
        firstAt = Date.now();
        return sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
      }
      secondAt = Date.now();
      return sendJson(res, 200, { ok: true });
    });
    http = new HttpClient({ retry: FAST_RETRY });
    expect(await http.requestJson(`${server.url}/x`)).to.deep.equal({ ok: true });
    expect(secondAt - firstAt).to.be.at.least(950);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    let firstAt = 0;
    let secondAt = 0;
    server = await startServer((_req, res, _b, n) => {
      if (n === 1) {
        firstAt = Date.now();
        // HTTP dates have whole seconds: 2 s ahead guarantees at least one second of wait.
        return sendJson(res, 429, {}, { 'retry-after': new Date(Date.now() + 2000).toUTCString() });
      }
      secondAt = Date.now();
      return sendJson(res, 200, {});
    });
    http = new HttpClient({ retry: FAST_RETRY });
    await http.request(`${server.url}/x`);
    expect(secondAt - firstAt).to.be.at.least(900);
  });

  it('fails a 429 at once when Retry-After exceeds the rate-limit wait budget', async () => {
    server = await startServer((_req, res) => sendJson(res, 429, {}, { 'retry-after': '3600' }));
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRateLimitWaitMs: 60_000 } });
    const started = Date.now();
    const err = (await expectRejection(http.request(`${server.url}/x`))) as HttpError;
    expect(err.status).to.equal(429);
    expect(err.message).to.include('budget');
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('waits out 429s without Retry-After, warning once that limits are elevated', async () => {
    server = await startServer((_req, res, _b, n) => (n % 2 === 1 && n < 12 ? sendJson(res, 429, {}) : sendJson(res, 200, { n })));
    const mem = memoryLogger();
    http = new HttpClient({ log: mem.log, retry: FAST_RETRY });
    for (let i = 0; i < 6; i++) await http.request(`${server.url}/x`);
    expect(server.requests.filter((_r, i) => i % 2 === 0 && i < 11)).to.have.length(6);
    const warnings = mem.records().filter((r) => r.level === 40);
    expect(warnings).to.have.length(1);
    expect(warnings[0]!.msg).to.include('rate limit');
  });

  it('gives up on endless 429s once the wait budget is spent', async () => {
    server = await startServer((_req, res) => sendJson(res, 429, {}, { 'retry-after': '0' }));
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRateLimitWaitMs: 150 }, adaptive: { minDelayMs: 10, maxDelayMs: 20 } });
    const err = (await expectRejection(http.request(`${server.url}/x`))) as HttpError;
    expect(err.status).to.equal(429);
    expect(server.requests.length).to.be.greaterThan(2);
  });

  it('retries a response body cut short by a connection reset', async () => {
    server = await startServer((_req, res, _b, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-length': '100', 'content-type': 'text/plain' });
        res.write('0123456789');
        setImmediate(() => res.socket?.destroy());
        return;
      }
      res.end('complete');
    });
    http = new HttpClient({ retry: FAST_RETRY });
    expect((await http.request(`${server.url}/x`)).toString()).to.equal('complete');
    expect(server.requests).to.have.length(2);
  });

  it('times out slow response headers and gives up after the retry bound', async () => {
    server = await startServer(() => undefined /* never answers */);
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRetries: 1 }, timeouts: { headersMs: 100 } });
    const err = (await expectRejection(http.request(`${server.url}/x`))) as HttpTransportError;
    expect(err).to.be.instanceOf(HttpTransportError);
    expect(err.failure).to.equal('timeout');
    expect(err.code).to.equal('HTTP_TIMEOUT');
    expect(server.requests).to.have.length(2);
  });

  it('retries after a header timeout and succeeds when the server recovers', async () => {
    server = await startServer((_req, res, _b, n) => (n === 1 ? undefined : sendJson(res, 200, { n })));
    http = new HttpClient({ retry: FAST_RETRY });
    expect(await http.requestJson(`${server.url}/x`, { timeouts: { headersMs: 100 } })).to.deep.equal({ n: 2 });
  });

  it('times out a body that stops arriving', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRetries: 0 }, timeouts: { bodyIdleMs: 100 } });
    const err = (await expectRejection(http.request(`${server.url}/x`))) as HttpTransportError;
    expect(err.failure).to.equal('timeout');
  });

  it('retries refused connections a bounded number of times', async () => {
    const dead = await startServer(() => undefined);
    const url = dead.url;
    await dead.close();
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRetries: 2 } });
    const err = (await expectRejection(http.request(`${url}/x`))) as HttpTransportError;
    expect(err).to.be.instanceOf(HttpTransportError);
    expect(err.failure).to.equal('connect');
    expect(err.attempts).to.equal(3);
  });

  it('aborts in-flight requests with StoppedError on close()', async () => {
    const arrived = deferred();
    server = await startServer(() => arrived.resolve());
    http = new HttpClient();
    const pending = expectRejection(http.request(`${server.url}/x`));
    await arrived.promise;
    await http.close();
    expect(await pending).to.be.instanceOf(StoppedError);
    expect(await expectRejection(http.request(`${server.url}/y`))).to.be.instanceOf(StoppedError);
  });

  it('aborts when the client signal aborts, and per request with HttpAbortedError', async () => {
    const arrived = deferred();
    server = await startServer((req) => {
      if (req.url === '/a') arrived.resolve();
    });
    const stop = new AbortController();
    http = new HttpClient({ signal: stop.signal });
    const mine = new AbortController();
    const one = expectRejection(http.request(`${server.url}/a`, { signal: mine.signal }));
    await arrived.promise;
    mine.abort();
    expect(await one).to.be.instanceOf(HttpAbortedError);
    const two = expectRejection(http.request(`${server.url}/b`));
    stop.abort();
    expect(await two).to.be.instanceOf(StoppedError);
  });

  it('streams lines as they arrive', async () => {
    const firstSeen = deferred();
    server = await startServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"a":1}\n{"a":');
      await firstSeen.promise;
      res.write('2}\r\n{"a":3}');
      res.end();
    });
    http = new HttpClient();
    const { status, headers, lines } = await http.requestLines(`${server.url}/x`);
    expect(status).to.equal(200);
    expect(headers['content-type']).to.equal('application/x-ndjson');
    const got: string[] = [];
    for await (const line of lines) {
      got.push(line);
      if (got.length === 1) firstSeen.resolve();
    }
    expect(got).to.deep.equal(['{"a":1}', '{"a":2}', '{"a":3}']);
  });

  it('streams raw chunks and reports a body cut short from the iteration', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(10));
      setImmediate(() => res.socket?.destroy());
    });
    http = new HttpClient();
    const { body } = await http.requestStream(`${server.url}/x`);
    let bytes = 0;
    const err = await expectRejection(
      (async () => {
        for await (const chunk of body) bytes += chunk.length;
      })(),
    );
    expect(bytes).to.equal(10);
    expect(err).to.be.instanceOf(HttpTransportError);
  });

  it('validates JSON into a model class', async () => {
    class Order {
      @IsString() id!: string;
      @IsInt() qty!: number;
    }
    server = await startServer((req, res) => (req.url === '/good' ? sendJson(res, 200, [{ id: 'a', qty: 1 }]) : sendJson(res, 200, { id: 7, qty: 'many' })));
    http = new HttpClient();
    const orders = await http.requestJson(`${server.url}/good`, { model: Order, array: true });
    expect(orders[0]).to.be.instanceOf(Order);
    expect(orders[0]!.qty).to.equal(1);
    const err = (await expectRejection(http.requestJson(`${server.url}/bad`, { model: Order }))) as ResponseValidationError;
    expect(err).to.be.instanceOf(ResponseValidationError);
    expect(err.message).to.include('id').and.include('qty');
  });

  it('keeps to a host budget of concurrent requests and requests per second', async () => {
    let active = 0;
    let maxActive = 0;
    server = await startServer(async (_req, res) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setImmediate(r));
      active--;
      sendJson(res, 200, {});
    });
    http = new HttpClient({ hostBudgets: { '127.0.0.1': { maxConcurrent: 2, requestsPerSecond: 20 } } });
    const started = Date.now();
    await Promise.all(Array.from({ length: 30 }, () => http!.request(`${server!.url}/x`)));
    expect(maxActive).to.equal(2);
    // 30 starts at 20 per sliding second: the last 10 wait for the first second to pass.
    expect(Date.now() - started).to.be.at.least(950);
  });

  it("warmUp compiles undici's HTTP parser ahead of the first connection, and requests work after it", async () => {
    // False would mean undici moved its parser: the first connection would compile it on the main thread again.
    expect(await precompileHttpParser()).to.equal(true);
    server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    http = new HttpClient();
    http.warmUp();
    expect(await http.requestJson(`${server.url}/x`)).to.deep.equal({ ok: true });
  });

  it("loads only undici's pool, request API and header parser, not its index (nor Node's bundled undici), and streams through them", async () => {
    // In a process of its own: this one has loaded undici whole for MockAgent.
    const script = `
      const { HttpClient, loadHttpLibrary } = require(${JSON.stringify(require.resolve('../../../src/common/http/http-client'))});
      const narrow = loadHttpLibrary();
      const server = require('node:http').createServer((req, res) => res.end('line 1\\nline 2\\n'));
      server.listen(0, '127.0.0.1', async () => {
        const http = new HttpClient();
        const lines = [];
        for await (const line of (await http.requestLines('http://127.0.0.1:' + server.address().port + '/x')).lines) lines.push(line);
        const index = Object.keys(require.cache).some((f) => /undici[\\/]index\\.js$/.test(f));
        const bundled = process.moduleLoadList.some((m) => m.includes('deps/undici'));
        process.stdout.write(JSON.stringify({ narrow, index, bundled, lines }));
        await http.close();
        server.close();
      });`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    // narrow false would mean an undici release moved its parts: start-up would load all of undici again.
    expect(JSON.parse(out)).to.deep.equal({ narrow: true, index: false, bundled: false, lines: ['line 1', 'line 2'] });
  });
});

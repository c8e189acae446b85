import { expect } from 'chai';
import { MockAgent } from 'undici';
import { HttpAbortedError, HttpClient, HttpError, HttpTransportError } from '../../../src/common/http';
import { FAST_RETRY, closeAfterEach, deferred, expectRejection, sendJson, startServer, type TestServer } from './test-server';

// request, requestJson and requestBuffered read bodies through a dispatch handler
// (src/common/http/buffered-dispatch.ts) instead of a Readable: these pin what it must keep.
describe('HttpClient buffered reads (dispatch handler)', () => {
  let server: TestServer | undefined;
  let http: HttpClient | undefined;
  closeAfterEach(() => {
    const open = [http, server];
    http = server = undefined;
    return open;
  });

  it('collects a body sent in many chunks, with status and headers', async () => {
    const parts = Array.from({ length: 50 }, (_, i) => `${String(i).padStart(3, '0')}-${'x'.repeat(2000)}\n`);
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-page': '2' });
      let i = 0;
      const next = (): void => {
        if (i === parts.length) return void res.end();
        res.write(parts[i++], () => setImmediate(next));
      };
      next();
    });
    http = new HttpClient();
    const got = await http.requestBuffered(`${server.url}/x`);
    expect(got.status).to.equal(200);
    expect(got.headers['x-page']).to.equal('2');
    expect(got.body.toString()).to.equal(parts.join(''));
    // The body owns its memory (not a view into a socket read or the shared pool).
    expect(got.body.byteOffset).to.equal(0);
    expect(got.body.buffer.byteLength).to.equal(got.body.length);
    expect(got.url.pathname).to.equal('/x');
    // An empty body is an empty buffer.
    await server.close();
    server = await startServer((_req, res) => void res.end());
    expect((await http.request(`${server.url}/empty`)).length).to.equal(0);
    await server.close();
    server = await startServer((_req, res) => sendJson(res, 200, { small: true }));
    const small = await http.request(`${server.url}/small`);
    expect(small.toString()).to.equal('{"small":true}');
    expect(small.buffer.byteLength).to.equal(small.length);
  });

  it('reuses keep-alive connections for consecutive buffered requests', async () => {
    const sockets = new Set<unknown>();
    server = await startServer((req, res) => {
      sockets.add(req.socket);
      sendJson(res, 200, { url: req.url });
    });
    http = new HttpClient();
    for (let i = 0; i < 20; i++) expect(await http.requestJson(`${server.url}/p${i}`)).to.deep.equal({ url: `/p${i}` });
    // undici may open a second connection while the first is being released, as with `request`.
    expect(sockets.size).to.be.lessThan(3);
  });

  it('fails with a transport error when the body is cut short and retries are spent', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('0123456789');
      setImmediate(() => res.socket?.destroy());
    });
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRetries: 1 } });
    const err = (await expectRejection(http.requestJson(`${server.url}/x`))) as HttpTransportError;
    expect(err).to.be.instanceOf(HttpTransportError);
    expect(err.attempts).to.equal(2);
    expect(server.requests).to.have.length(2);
  });

  it('aborts mid-body on the request signal with HttpAbortedError, without retrying', async () => {
    const started = deferred();
    const closed = deferred();
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => started.resolve());
      res.on('close', () => closed.resolve());
    });
    http = new HttpClient({ retry: FAST_RETRY });
    const mine = new AbortController();
    const pending = expectRejection(http.request(`${server.url}/x`, { signal: mine.signal }));
    await started.promise;
    mine.abort();
    expect(await pending).to.be.instanceOf(HttpAbortedError);
    await closed.promise;
    expect(server.requests).to.have.length(1);
  });

  it('does not send a request whose signal is already aborted', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, {}));
    http = new HttpClient();
    const err = await expectRejection(http.request(`${server.url}/x`, { signal: AbortSignal.abort() }));
    expect(err).to.be.instanceOf(HttpAbortedError);
    expect(server.requests).to.have.length(0);
  });

  it('times out a body that stops arriving on a per-request idle timeout', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRetries: 0 } });
    const err = (await expectRejection(http.requestBuffered(`${server.url}/x`, { timeouts: { bodyIdleMs: 100 } }))) as HttpTransportError;
    expect(err).to.be.instanceOf(HttpTransportError);
    expect(err.failure).to.equal('timeout');
  });

  it('keeps the first MiB of a huge error body and closes the connection instead of reading the rest', async () => {
    const closed = deferred();
    let written = 0;
    server = await startServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.on('close', () => closed.resolve());
      const chunk = 'e'.repeat(64 * 1024);
      const next = (): void => {
        if (res.destroyed || written >= 64 * 1024 * 1024) return void res.end();
        written += chunk.length;
        res.write(chunk, () => setImmediate(next));
      };
      next();
    });
    http = new HttpClient();
    const err = (await expectRejection(http.request(`${server.url}/x`))) as HttpError;
    expect(err).to.be.instanceOf(HttpError);
    expect(err.status).to.equal(400);
    await closed.promise;
    expect(written).to.be.lessThan(64 * 1024 * 1024);
  });

  it('follows a redirect whose body is large or cut short', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(302, { location: '/cut' });
        res.end('r'.repeat(1024 * 1024));
      } else if (req.url === '/cut') {
        res.writeHead(302, { location: '/done', 'content-length': '100' });
        res.write('short');
        setImmediate(() => res.socket?.destroy());
      } else sendJson(res, 200, { at: req.url });
    });
    http = new HttpClient({ retry: { ...FAST_RETRY, maxRetries: 0 } });
    expect(await http.requestJson(`${server.url}/big`)).to.deep.equal({ at: '/done' });
    expect(server.requests.map((r) => r.url)).to.deep.equal(['/big', '/cut', '/done']);
  });

  it('skips a 1xx informational response and returns the final one', async () => {
    server = await startServer((_req, res) => {
      res.writeProcessing();
      sendJson(res, 200, { final: true });
    });
    http = new HttpClient();
    expect(await http.requestJson(`${server.url}/x`)).to.deep.equal({ final: true });
  });

  it('goes through a custom dispatcher (MockAgent), retrying a 503 and reporting a 404 body', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://api.test');
    pool.intercept({ path: '/a', method: 'GET' }).reply(503, 'busy');
    pool.intercept({ path: '/a', method: 'GET' }).reply(200, { ok: 1 }, { headers: { 'content-type': 'application/json' } });
    pool.intercept({ path: '/missing', method: 'GET' }).reply(404, 'no such thing', { headers: { 'content-type': 'text/plain' } });
    http = new HttpClient({ dispatcher: agent, retry: FAST_RETRY });
    try {
      expect(await http.requestJson('http://api.test/a')).to.deep.equal({ ok: 1 });
      const err = (await expectRejection(http.request('http://api.test/missing'))) as HttpError;
      expect(err.status).to.equal(404);
      expect(err.message).to.include('no such thing');
      // An interceptor that does not match fails the request instead of hanging it.
      expect(await expectRejection(http.request('http://api.test/unknown'))).to.be.instanceOf(Error);
    } finally {
      await agent.close();
    }
  });
});

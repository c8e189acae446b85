import { expect } from 'chai';
import { HttpClient, TokenSource, type HttpError } from '../../../src/common/http';
import { registerSecret } from '../../../src/common/secrets';
import { FAST_RETRY, memoryLogger, sendJson, startServer, type TestServer } from './test-server';

describe('HttpClient secret redaction', () => {
  let servers: TestServer[] = [];
  let http: HttpClient | undefined;

  afterEach(async () => {
    await http?.close();
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
    http = undefined;
  });

  const SECRETS = ['client-secret-zz9', 'refresh-token-zz9', 'issued-token-zz9', 'query-key-zz9'];

  function assertClean(texts: readonly string[]): void {
    for (const text of texts) for (const secret of SECRETS) expect(text, `"${secret}" leaked`).to.not.include(secret);
  }

  it('keeps tokens, client secrets and secret query values out of every log line and error', async () => {
    // The token endpoint first fails with a body echoing the form (client secret, refresh token).
    const t = await startServer((_req, res, body, n) => (n === 1 ? sendJson(res, 503, { echo: body }) : sendJson(res, 200, { access_token: 'issued-token-zz9', expires_in: 3600 })));
    // The API echoes the credentials header and URL in its errors: 500 (retried, logged) then 403.
    const s = await startServer((req, res, _body, n) => sendJson(res, n === 1 ? 500 : 403, { error: 'denied', auth: req.headers.authorization, url: req.url }));
    servers.push(t, s);
    const mem = memoryLogger();
    http = new HttpClient({
      log: mem.log,
      retry: FAST_RETRY,
      tokenSource: TokenSource.oauth2(
        { credentials_title: 'OAuth Credentials', client_id: 'client-id-zz9', client_secret: 'client-secret-zz9', refresh_token: 'refresh-token-zz9' },
        { tokenUrl: `${t.url}/token` },
      ),
    });
    let error: HttpError | undefined;
    try {
      await http.request(`${s.url}/orders?api_key=query-key-zz9&page=1`);
    } catch (err) {
      error = err as HttpError;
    }
    expect(error?.status).to.equal(403);
    // The failure really carried the secrets, so redaction (not luck) kept them out.
    expect(s.requests[1]!.headers.authorization).to.equal('Bearer issued-token-zz9');
    expect(t.requests[0]!.body).to.include('client-secret-zz9');
    const warnings = mem.records().filter((r) => r.level === 40);
    expect(warnings.length).to.equal(2);
    expect(mem.lines.join('\n')).to.include('[redacted]');
    assertClean(mem.lines);
    assertClean([error!.message, error!.url, error!.bodyExcerpt, String(error!.stack)]);
  });

  it('redacts secret query values from transport errors and retry warnings', async () => {
    const dead = await startServer(() => undefined);
    const url = `${dead.url}/x?token=query-key-zz9&q=1`;
    await dead.close();
    const mem = memoryLogger();
    http = new HttpClient({ log: mem.log, retry: { ...FAST_RETRY, maxRetries: 1 } });
    let message = '';
    try {
      await http.request(url);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.include('token=[redacted]').and.include('q=1');
    expect(mem.lines).to.have.length(1);
    assertClean([message, ...mem.lines]);
  });

  it('redacts a secret in every encoding the client produces: form and query (space as +), path, JSON', async () => {
    const secret = 'sp ace+plus/slash*star~é"q';
    registerSecret(secret);
    // The server echoes what it received (raw body, raw URL) and the JSON-escaped form of both.
    const s = await startServer((req, res, body) => sendJson(res, 400, { body, url: req.url, raw: `${body} ${req.url ?? ''}` }));
    servers.push(s);
    const mem = memoryLogger();
    http = new HttpClient({ log: mem.log, retry: FAST_RETRY });
    const texts: string[] = [];
    for (const send of [
      () => http!.request(`${s.url}/token`, { method: 'POST', form: { client_secret: secret } }),
      () => http!.request(`${s.url}/q`, { query: { key: secret } }),
      () => http!.request(`${s.url}/p/${encodeURIComponent(secret)}`),
      () => http!.request(`${s.url}/j`, { method: 'POST', json: { secret } }),
    ]) {
      const err = (await send().then(
        () => undefined,
        (e: unknown) => e as HttpError,
      ))!;
      expect(err.status).to.equal(400);
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- collects whatever text the error carries
      texts.push(err.message, String((err as { body?: unknown }).body ?? ''));
    }
    texts.push(...mem.lines);
    const forms = [secret, encodeURIComponent(secret), new URLSearchParams([['k', secret]]).toString().slice(2), encodeURI(secret), JSON.stringify(secret).slice(1, -1)];
    for (const text of texts) for (const form of forms) expect(text, `"${form}" leaked`).to.not.include(form);
    expect(texts.join(' ')).to.include('[redacted]');
  });
});

import { expect } from 'chai';
import { exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { HttpClient, HttpError, TokenError, TokenSource, oauth2Spec, type Authorization, type RotatingCredentials } from '../../../src/common/http';
import { DefinitionError } from '../../../src/common/errors';
import { FAST_RETRY, sendJson, startServer, type TestServer } from './test-server';

describe('TokenSource', () => {
  let servers: TestServer[] = [];
  let http: HttpClient | undefined;

  afterEach(async () => {
    await http?.close();
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
    http = undefined;
  });

  /** An API that answers 200 with the credentials header it got, or 401 when `accept` says no. */
  async function api(accept: (auth: string | undefined) => boolean = () => true): Promise<TestServer> {
    const s = await startServer((req, res) => {
      const auth = req.headers.authorization ?? (req.headers['x-api-key'] as string | undefined);
      if (accept(auth)) sendJson(res, 200, { auth });
      else sendJson(res, 401, { error: 'unauthorized' });
    });
    servers.push(s);
    return s;
  }

  /** A token endpoint issuing `tok-1`, `tok-2`, … with the given lifetime. */
  async function tokenEndpoint(expiresIn = 3600, extra: Record<string, unknown> = {}): Promise<TestServer> {
    const s = await startServer((_req, res, _body, n) => sendJson(res, 200, { access_token: `tok-${n}`, token_type: 'bearer', expires_in: expiresIn, ...extra }));
    servers.push(s);
    return s;
  }

  const form = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));
  const creds = { credentials_title: 'OAuth Credentials' as const, client_id: 'client-id-1', client_secret: 'client-secret-1' };

  it('sends a fixed access token as Bearer, or in a custom header', async () => {
    const s = await api();
    http = new HttpClient({ tokenSource: TokenSource.accessToken('static-token-1') });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer static-token-1' });
    http.tokenSource = TokenSource.accessToken('static-token-2', { header: 'X-Api-Key' });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'static-token-2' });
    http.tokenSource = TokenSource.accessToken('static-token-3', { tokenType: 'Token' });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Token static-token-3' });
    expect(await http.requestJson(`${s.url}/`, { withoutToken: true })).to.deep.equal({});
  });

  it('sends basic auth, and a 401 for a fixed credential is not retried', async () => {
    const s = await api((auth) => auth === `Basic ${Buffer.from('ann:pass-word').toString('base64')}`);
    http = new HttpClient({ tokenSource: TokenSource.basicAuth('ann', 'pass-word') });
    expect(await http.requestJson(`${s.url}/`))
      .to.have.property('auth')
      .that.match(/^Basic /);
    http.tokenSource = TokenSource.basicAuth({ credentials_title: 'Username & Password', username: 'ann', password: 'wrong-pass' });
    try {
      await http.request(`${s.url}/`);
      expect.fail('should throw');
    } catch (err) {
      expect((err as HttpError).status).to.equal(401);
    }
    expect(s.requests).to.have.length(2);
  });

  it('exchanges a refresh token (client credentials in the form) and caches the token', async () => {
    const t = await tokenEndpoint();
    const s = await api();
    const source = TokenSource.oauth2(
      { ...creds, refresh_token: 'refresh-1' },
      { spec: oauth2Spec({ provider: 'p', authUrlTemplate: 'https://a', accessTokenUrlTemplate: `${t.url}/token` }), extraBody: { expires_in: 7200 } },
    );
    http = new HttpClient({ tokenSource: source });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer tok-1' });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer tok-1' });
    expect(t.requests).to.have.length(1);
    expect(t.requests[0]!.method).to.equal('POST');
    expect(form(t.requests[0]!.body)).to.deep.equal({ grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'client-id-1', client_secret: 'client-secret-1', expires_in: '7200' });
  });

  it('uses the client-credentials grant with the client in a Basic header', async () => {
    const t = await tokenEndpoint();
    const s = await api();
    http = new HttpClient({ tokenSource: TokenSource.clientCredentials(creds, { tokenUrl: `${t.url}/token`, clientCredentialsIn: 'header', scope: 'read' }) });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer tok-1' });
    expect(form(t.requests[0]!.body)).to.deep.equal({ grant_type: 'client_credentials', scope: 'read' });
    expect(t.requests[0]!.headers.authorization).to.equal(`Basic ${Buffer.from('client-id-1:client-secret-1').toString('base64')}`);
  });

  it('uses the authorization-code and resource-owner password grants', async () => {
    const t = await tokenEndpoint();
    const s = await api();
    http = new HttpClient({ tokenSource: TokenSource.authorizationCode(creds, { tokenUrl: `${t.url}/token`, extraBody: { code: 'the-code' } }) });
    await http.request(`${s.url}/`);
    expect(form(t.requests[0]!.body)).to.include({ grant_type: 'authorization_code', code: 'the-code', client_id: 'client-id-1' });
    http.tokenSource = TokenSource.resourceOwnerPassword({ ...creds, username: 'ann', password: 'owner-pass' }, { tokenUrl: `${t.url}/token` });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer tok-2' });
    expect(form(t.requests[1]!.body)).to.include({ grant_type: 'password', username: 'ann', password: 'owner-pass', client_secret: 'client-secret-1' });
  });

  it('uses a long-lived access token as is', async () => {
    const s = await api();
    http = new HttpClient({ tokenSource: TokenSource.longLivedClientCredentials({ ...creds, access_token: 'long-lived-1' }) });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer long-lived-1' });
  });

  it('rejects token URL templates only Flow can render', () => {
    expect(() =>
      TokenSource.oauth2({ ...creds, refresh_token: 'r-abc' }, { spec: oauth2Spec({ provider: 'p', authUrlTemplate: 'x', accessTokenUrlTemplate: 'https://{{{ config.region }}}.x/token' }) }),
    ).to.throw(TokenError, /tokenUrl/);
  });

  it('checks oauth2Spec options and reports every problem', () => {
    expect(() => oauth2Spec({ provider: '', authUrlTemplate: '', accessTokenUrlTemplate: 'u', accessTokenMethod: 'FETCH' })).to.throw(DefinitionError, /3 problems/);
    const spec = oauth2Spec({ provider: 'p', authUrlTemplate: 'a', accessTokenUrlTemplate: 't', accessTokenHeaders: { h: 'v' }, refreshTokenMethod: undefined });
    expect(spec).to.deep.equal({ provider: 'p', authUrlTemplate: 'a', accessTokenUrlTemplate: 't', accessTokenHeaders: { h: 'v' } });
    expect(Object.isFrozen(spec)).to.equal(true);
  });

  it('makes exactly one token request when 50 concurrent requests cross a token expiry', async () => {
    const t = await tokenEndpoint(100);
    let latest = '';
    const s = await api((auth) => auth === latest);
    let now = 1_000_000;
    http = new HttpClient({ tokenSource: TokenSource.clientCredentials(creds, { tokenUrl: `${t.url}/token`, clock: () => now }) });
    latest = 'Bearer tok-1';
    await http.request(`${s.url}/`);
    now += 74_000; // still inside 75 % of 100 s
    await http.request(`${s.url}/`);
    expect(t.requests).to.have.length(1);
    now += 2_000;
    latest = 'Bearer tok-2';
    const results = await Promise.all(Array.from({ length: 50 }, () => http!.requestJson<{ auth: string }>(`${s.url}/`)));
    expect(t.requests).to.have.length(2);
    expect(new Set(results.map((r) => r.auth))).to.deep.equal(new Set(['Bearer tok-2']));
  });

  it('refreshes once on a 401 and retries once; 50 concurrent 401s cause one refresh', async () => {
    const t = await tokenEndpoint();
    const s = await api((auth) => auth !== 'Bearer tok-1');
    http = new HttpClient({ tokenSource: TokenSource.clientCredentials(creds, { tokenUrl: `${t.url}/token` }) });
    await http.request(`${s.url}/warm-up`, { withoutToken: true });
    const results = await Promise.all(Array.from({ length: 50 }, () => http!.requestJson<{ auth: string }>(`${s.url}/`)));
    expect(results.every((r) => r.auth === 'Bearer tok-2')).to.equal(true);
    expect(t.requests).to.have.length(2);
  });

  it('fails after one refresh when the API keeps answering 401', async () => {
    const t = await tokenEndpoint();
    const s = await api(() => false);
    http = new HttpClient({ tokenSource: TokenSource.clientCredentials(creds, { tokenUrl: `${t.url}/token` }) });
    try {
      await http.request(`${s.url}/`);
      expect.fail('should throw');
    } catch (err) {
      expect((err as HttpError).status).to.equal(401);
    }
    expect(s.requests).to.have.length(2);
    expect(t.requests).to.have.length(2);
  });

  it('turns a refused token request into a user-facing TokenError', async () => {
    const t = await startServer((_req, res) => sendJson(res, 400, { error: 'invalid_grant' }));
    servers.push(t);
    const s = await api();
    http = new HttpClient({ retry: FAST_RETRY, tokenSource: TokenSource.oauth2({ ...creds, refresh_token: 'refresh-dead-1' }, { tokenUrl: `${t.url}/token` }) });
    try {
      await http.request(`${s.url}/`);
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(TokenError);
      expect((err as TokenError).userError).to.equal(true);
      expect((err as TokenError).message)
        .to.include('invalid_grant')
        .and.include('re-authenticate');
    }
    expect(s.requests).to.have.length(0);
  });

  it('reports a token response without access_token by field names only', async () => {
    const t = await startServer((_req, res) => sendJson(res, 200, { token: 'hidden-value-1', expires: 3 }));
    servers.push(t);
    http = new HttpClient({ tokenSource: TokenSource.clientCredentials(creds, { tokenUrl: `${t.url}/token` }) });
    try {
      await http.request(`${t.url}/`);
      expect.fail('should throw');
    } catch (err) {
      expect((err as Error).message)
        .to.include('[token, expires]')
        .and.not.include('hidden-value-1');
    }
  });

  describe('rotating refresh tokens', () => {
    const schema = { type: 'object', properties: { credentials: { type: 'object' } } };

    async function setup(expiresAt: string): Promise<{ t: TestServer; enc: TestServer; config: { z: number; credentials: RotatingCredentials; a: string } }> {
      const t = await tokenEndpoint(3600, { refresh_token: 'refresh-new-2' });
      const enc = await startServer((_req, res, body) => sendJson(res, 200, { encrypted: JSON.parse(body) as unknown, sops: { mac: 'm' } }));
      servers.push(enc);
      const config = { z: 1, credentials: { ...creds, refresh_token: 'refresh-old-1', access_token: 'access-old-1', access_token_expires_at: expiresAt }, a: 'x' };
      return { t, enc, config };
    }

    it('rotates tokens at open when they expire within 5 minutes and returns the encrypted config', async () => {
      const now = Date.parse('2030-01-01T00:00:00Z');
      const { t, enc, config } = await setup('2030-01-01T00:04:00Z');
      const source = TokenSource.rotatingRefreshToken(config.credentials, { tokenUrl: `${t.url}/token`, clock: () => now });
      http = new HttpClient({ tokenSource: source });
      const result = await source.prepare(http, { config, configSchema: schema, encryptionUrl: `${enc.url}/encrypt` });
      expect(form(t.requests[0]!.body)).to.include({ grant_type: 'refresh_token', refresh_token: 'refresh-old-1' });
      expect(config.credentials).to.include({ access_token: 'tok-1', refresh_token: 'refresh-new-2', access_token_expires_at: '2030-01-01T01:00:00.000Z' });
      expect(enc.requests).to.have.length(1);
      expect(enc.requests[0]!.headers.authorization).to.equal(undefined);
      // Keys are sorted at every level before encryption.
      expect(enc.requests[0]!.body.indexOf('"a":"x"')).to.be.lessThan(enc.requests[0]!.body.indexOf('"credentials"'));
      expect(enc.requests[0]!.body.indexOf('"access_token"')).to.be.lessThan(enc.requests[0]!.body.indexOf('"client_id"'));
      expect(result.updatedConfig).to.deep.equal({ encrypted: { config: JSON.parse(JSON.stringify(config)), schema }, sops: { mac: 'm' } });
      expect((await source.authorization(http)).value).to.equal('Bearer tok-1');
    });

    it('leaves fresh tokens alone', async () => {
      const now = Date.parse('2030-01-01T00:00:00Z');
      const { t, enc, config } = await setup('2030-01-01T00:06:00Z');
      const source = TokenSource.rotatingRefreshToken(config.credentials, { tokenUrl: `${t.url}/token`, clock: () => now });
      http = new HttpClient({ tokenSource: source });
      expect(await source.prepare(http, { config, configSchema: schema, encryptionUrl: `${enc.url}/encrypt` })).to.deep.equal({});
      expect(t.requests.length + enc.requests.length).to.equal(0);
      const s = await api();
      expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer access-old-1' });
    });
  });

  it('signs a Google service account JWT assertion the token endpoint can verify', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const verified: Array<Record<string, unknown>> = [];
    const t = await startServer(async (req, res, body) => {
      const f = form(body);
      if (f.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return sendJson(res, 400, { error: 'bad grant' });
      const { payload, protectedHeader } = await jwtVerify(f.assertion!, publicKey, { issuer: 'sa@proj.iam.gserviceaccount.com', audience: `http://${req.headers.host}/token` });
      verified.push({ ...payload, kid: protectedHeader.kid, alg: protectedHeader.alg });
      sendJson(res, 200, { access_token: 'ya29.google-1', expires_in: 3599, token_type: 'Bearer' });
    });
    servers.push(t);
    const s = await api();
    const key = JSON.stringify({ type: 'service_account', client_email: 'sa@proj.iam.gserviceaccount.com', private_key: pem, private_key_id: 'kid-1', token_uri: `${t.url}/token` });
    http = new HttpClient({ tokenSource: TokenSource.googleServiceAccount({ credentials_title: 'Google Service Account', service_account: key }, { scopes: ['scope-a', 'scope-b'] }) });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer ya29.google-1' });
    await http.request(`${s.url}/`);
    expect(verified).to.have.length(1);
    expect(verified[0]).to.include({ scope: 'scope-a scope-b', kid: 'kid-1', alg: 'RS256' });
    expect((verified[0]!.exp as number) - (verified[0]!.iat as number)).to.equal(3600);
  });

  it('rejects a malformed service account key without quoting it', () => {
    expect(() => TokenSource.googleServiceAccount('{"private_key": "-----BEGIN secret-material', { scopes: ['s'] }))
      .to.throw(TokenError, /not valid JSON/)
      .with.property('message')
      .that.does.not.include('secret-material');
  });

  it('follows redirects, keeping the token on the same origin only', async () => {
    const other = await api();
    const s = await startServer((req, res) => {
      if (req.url === '/same') return sendJson(res, 302, {}, { location: '/final' });
      if (req.url === '/away') return sendJson(res, 307, {}, { location: `${other.url}/elsewhere` });
      return sendJson(res, 200, { auth: req.headers.authorization });
    });
    servers.push(s);
    http = new HttpClient({ tokenSource: TokenSource.accessToken('redirect-token-1') });
    expect(await http.requestJson(`${s.url}/same`)).to.deep.equal({ auth: 'Bearer redirect-token-1' });
    expect(await http.requestJson(`${s.url}/away`)).to.deep.equal({});
    expect(other.requests[0]!.url).to.equal('/elsewhere');
  });

  it('lets a custom TokenSource decide about 401s', async () => {
    const s = await api((auth) => auth === 'Bearer second');
    const handed: string[] = [];
    const custom = {
      n: 0,
      authorization(): Promise<Authorization> {
        const value = this.n === 0 ? 'Bearer first' : 'Bearer second';
        handed.push(value);
        return Promise.resolve({ header: 'Authorization', value });
      },
      invalidate(): boolean {
        this.n++;
        return true;
      },
    };
    http = new HttpClient({ tokenSource: custom });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer second' });
    expect(handed).to.deep.equal(['Bearer first', 'Bearer second']);
  });
});

import { expect } from 'chai';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { HttpClient, TokenError, TokenSource, normalizePem } from '../../../src/common/http';
import { FAST_RETRY, memoryLogger, sendJson, startServer, type TestServer } from './test-server';

/** An RSA key pair as PEM text (PKCS#8, PKCS#1 or encrypted PKCS#8) plus the public KeyObject. */
function rsaKeys(): { pkcs8: string; pkcs1: string; encrypted: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    encrypted: privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'box-passphrase' }) as string,
    publicKey,
  };
}

describe('JWT token sources', () => {
  let servers: TestServer[] = [];
  let http: HttpClient | undefined;
  const rsa = rsaKeys();

  afterEach(async () => {
    await http?.close();
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
    http = undefined;
  });

  async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
    const s = await startServer(handler);
    servers.push(s);
    return s;
  }

  /** A token endpoint verifying the assertion with `publicKey`; records the verified claims. */
  async function tokenEndpoint(publicKey: KeyObject, verify: { issuer?: string; audience?: string }, seen: JWTPayload[]): Promise<TestServer> {
    return serve(async (req, res, body, n) => {
      const fields = req.headers['content-type']?.startsWith('application/json') ? (JSON.parse(body) as Record<string, string>) : Object.fromEntries(new URLSearchParams(body));
      if (fields.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return sendJson(res, 400, { error: 'unsupported_grant_type' });
      try {
        const { payload } = await jwtVerify(fields.assertion!, publicKey, verify);
        seen.push(payload);
      } catch {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'signature or claims rejected' });
      }
      sendJson(res, 200, { access_token: `exchanged-${n}`, expires_in: 3600, ...(fields.client_id === undefined ? {} : { client: fields.client_id }) });
    });
  }

  /** An API echoing the credentials header. */
  const api = (): Promise<TestServer> => serve((req, res) => sendJson(res, 200, { auth: req.headers.authorization }));

  it('exchanges a Salesforce assertion (sub, aud, capped exp, backdated iat, jti) from a \\n-escaped PKCS#1 key', async () => {
    const seen: JWTPayload[] = [];
    const t = await tokenEndpoint(rsa.publicKey, { issuer: 'consumer-key-1', audience: 'https://test.salesforce.com' }, seen);
    const s = await api();
    const escaped = rsa.pkcs1.trim().replace(/\n/g, '\\n');
    const nowMs = Date.now();
    const source = TokenSource.salesforceJwt({
      clientId: 'consumer-key-1',
      username: 'ann@example.com',
      privateKey: escaped,
      loginUrl: 'https://test.salesforce.com',
      tokenUrl: `${t.url}/services/oauth2/token`,
      clock: () => nowMs,
    });
    http = new HttpClient({ tokenSource: source });
    const answers = await Promise.all(Array.from({ length: 20 }, () => http!.requestJson(`${s.url}/`)));
    expect(answers.every((a) => (a as { auth: string }).auth === 'Bearer exchanged-1')).to.equal(true);
    expect(t.requests).to.have.length(1);
    const claims = seen[0]!;
    const now = Math.floor(nowMs / 1000);
    expect(claims).to.include({ sub: 'ann@example.com', iat: now - 30 });
    expect(claims.exp! - claims.iat!).to.equal(180);
    expect(claims.jti).to.match(/^[0-9a-f-]{36}$/);
  });

  it('exchanges a Box assertion signed with an encrypted PEM from the app config (kid, box_sub_type, exp ≤ 60 s)', async () => {
    const seen: JWTPayload[] = [];
    const verify = { issuer: 'box-client', audience: '' };
    const t = await tokenEndpoint(rsa.publicKey, verify, seen);
    verify.audience = `${t.url}/oauth2/token`;
    const config = JSON.stringify({
      boxAppSettings: { clientID: 'box-client', clientSecret: 'box-secret-1', appAuth: { publicKeyID: 'pk-7', privateKey: rsa.encrypted, passphrase: 'box-passphrase' } },
      enterpriseID: '4242',
    });
    http = new HttpClient({ tokenSource: TokenSource.boxJwt(config, { tokenUrl: `${t.url}/oauth2/token` }) });
    const s = await api();
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer exchanged-1' });
    const assertion = new URLSearchParams(t.requests[0]!.body).get('assertion')!;
    expect(decodeProtectedHeader(assertion)).to.include({ kid: 'pk-7', alg: 'RS256' });
    expect(seen[0]).to.include({ sub: '4242', box_sub_type: 'enterprise' });
    expect(seen[0]!.exp! - seen[0]!.iat!).to.be.at.most(60);
    expect(seen[0]!.jti).to.be.a('string').with.length.at.least(16);
    expect(Object.fromEntries(new URLSearchParams(t.requests[0]!.body))).to.include({ client_id: 'box-client', client_secret: 'box-secret-1' });
  });

  it('signs an App Store Connect ES256 bearer JWT, caches it and signs a new one after a 401', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const tokens: string[] = [];
    const s = await serve(async (req, res, _body, n) => {
      const token = req.headers.authorization!.slice('Bearer '.length);
      tokens.push(token);
      const { payload, protectedHeader } = await jwtVerify(token, publicKey, { issuer: 'issuer-uuid', audience: 'appstoreconnect-v1', algorithms: ['ES256'] });
      expect(protectedHeader.kid).to.equal('KEY123');
      expect(payload.scope).to.deep.equal(['GET /v1/apps']);
      expect(payload.exp! - payload.iat!).to.be.at.most(1200);
      sendJson(res, n === 2 ? 401 : 200, {});
    });
    http = new HttpClient({ tokenSource: TokenSource.appStoreConnect({ issuerId: 'issuer-uuid', keyId: 'KEY123', privateKey: { pem: p8 }, scopes: ['GET /v1/apps'] }), retry: FAST_RETRY });
    await http.request(`${s.url}/a`);
    await http.request(`${s.url}/b`);
    expect(s.requests).to.have.length(3);
    expect(tokens[0]).to.equal(tokens[1]);
    expect(tokens[2]).to.not.equal(tokens[1]);
  });

  it('posts the assertion in a JSON body with an EdDSA JWK, custom claims and scopes', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seen: JWTPayload[] = [];
    const t = await tokenEndpoint(publicKey, { issuer: 'svc', audience: 'aud-2' }, seen);
    const s = await api();
    const jwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
    http = new HttpClient({
      tokenSource: TokenSource.jwt({
        key: jwk,
        issuer: 'svc',
        subject: 'user-9',
        audience: ['aud-1', 'aud-2'],
        scopes: ['read', 'write'],
        claims: { tenant: 't-1' },
        exchange: { tokenUrl: `${t.url}/token`, body: 'json', extraBody: { client_id: 'cid' } },
      }),
    });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer exchanged-1' });
    expect(t.requests[0]!.headers['content-type']).to.match(/^application\/json/);
    expect(seen[0]).to.include({ sub: 'user-9', scope: 'read write', tenant: 't-1' });
    expect(seen[0]!.exp! - seen[0]!.iat!).to.equal(330);
  });

  it('reads the key from a file and signs with an HMAC secret', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-'));
    fs.writeFileSync(path.join(dir, 'key.pem'), rsa.pkcs8);
    const seen: JWTPayload[] = [];
    const t = await tokenEndpoint(rsa.publicKey, { issuer: 'file-iss' }, seen);
    http = new HttpClient({ tokenSource: TokenSource.jwt({ key: { file: path.join(dir, 'key.pem') }, alg: 'PS256', issuer: 'file-iss', exchange: { tokenUrl: `${t.url}/t` } }) });
    const s = await api();
    await http.request(`${s.url}/`);
    expect(decodeProtectedHeader(new URLSearchParams(t.requests[0]!.body).get('assertion')!).alg).to.equal('PS256');
    fs.rmSync(dir, { recursive: true });

    http.tokenSource = TokenSource.jwt({ key: { secret: 'a-shared-hmac-secret-of-32-bytes!' }, issuer: 'hs' });
    const answer = await http.requestJson<{ auth: string }>(`${s.url}/`);
    const { payload } = await jwtVerify(answer.auth.slice(7), new TextEncoder().encode('a-shared-hmac-secret-of-32-bytes!'), { issuer: 'hs', algorithms: ['HS256'] });
    expect(payload.exp! - payload.iat!).to.equal(3630);
  });

  it('exchanges a RingCentral JWT credential with the client in a Basic header', async () => {
    const t = await serve((_req, res) => sendJson(res, 200, { access_token: 'rc-access-1', expires_in: 3600, refresh_token: 'rc-refresh-1' }));
    const s = await api();
    http = new HttpClient({ tokenSource: TokenSource.ringCentralJwt({ clientId: 'rc-client', clientSecret: 'rc-secret', jwt: 'eyJ.rc-jwt-credential.sig', serverUrl: t.url }) });
    expect(await http.requestJson(`${s.url}/`)).to.deep.equal({ auth: 'Bearer rc-access-1' });
    expect(t.requests[0]!.url).to.equal('/restapi/oauth/token');
    expect(t.requests[0]!.headers.authorization).to.equal(`Basic ${Buffer.from('rc-client:rc-secret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(t.requests[0]!.body))).to.deep.equal({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'eyJ.rc-jwt-credential.sig' });
  });

  it('reports invalid_grant as one user-facing line naming the likely cause, and logs no secret', async () => {
    const other = rsaKeys();
    const t = await tokenEndpoint(other.publicKey, {}, []);
    const s = await api();
    const { log, lines } = memoryLogger();
    http = new HttpClient({ log, tokenSource: TokenSource.salesforceJwt({ clientId: 'ck', username: 'ann@example.com', privateKey: rsa.pkcs8, tokenUrl: `${t.url}/token` }) });
    let error: TokenError | undefined;
    await http.request(`${s.url}/`).catch((err: unknown) => (error = err as TokenError));
    expect(error).to.be.instanceOf(TokenError);
    expect(error!.userError).to.equal(true);
    expect(error!.message).to.match(/invalid_grant: signature or claims rejected\); likely cause: the user is not pre-authorized for the connected app/);
    expect(error!.message).to.not.include('\n');
    const assertion = new URLSearchParams(t.requests[0]!.body).get('assertion')!;
    const body = rsa.pkcs8.split('\n')[1]!;
    for (const text of [error!.message, ...lines]) {
      expect(text).to.not.include(assertion);
      expect(text).to.not.include(body);
    }
  });

  it('rejects bad keys without quoting them', () => {
    const broken = '-----BEGIN PRIVATE KEY-----\nTUlJ-not-a-key-secret-material\n-----END PRIVATE KEY-----';
    const source = TokenSource.jwt({ key: broken, issuer: 'x' });
    http = new HttpClient();
    return source.authorization(http).then(
      () => expect.fail('should throw'),
      // eslint-disable-next-line @typescript-eslint/use-unknown-in-catch-callback-variable -- the rejection under test is a TokenError
      (err: TokenError) => {
        expect(err.message).to.match(/not a valid private key/);
        expect(err.message).to.not.include('secret-material');
      },
    );
  });

  it('asks for the passphrase of an encrypted key, and normalises pasted PEM text', async () => {
    http = new HttpClient();
    const err = await TokenSource.jwt({ key: rsa.encrypted, issuer: 'x' })
      .authorization(http)
      .catch((e: unknown) => e);
    expect(err)
      .to.be.instanceOf(TokenError)
      .with.property('message')
      .that.match(/encrypted; configure its passphrase/);
    const oneLine = `"${rsa.pkcs8.replace(/\n/g, ' ')}"`;
    expect(normalizePem(oneLine)).to.equal(rsa.pkcs8);
    expect(normalizePem(rsa.pkcs8.replace(/\n/g, '\r\n'))).to.equal(rsa.pkcs8);
  });
});

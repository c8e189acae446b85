import { randomUUID } from 'node:crypto';
import type * as Jose from 'jose';
import { registerSecret } from '../secrets';
import type { HttpClient } from './http-client';
import { HttpError, TokenError } from './http-errors';
import { loadJwtKey, type JwtKey, type LoadedKey } from './jwt-key';
import { parseTokenResponse } from './oauth2-token-source';
import { CachedTokenSource, type CachedTokenOptions, type IssuedToken } from './token-cache';

/** The RFC 7523 grant type. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** How the signed JWT (the assertion) is exchanged for an access token (RFC 7523). */
export interface JwtExchangeOptions {
  tokenUrl: string;
  /** `form` (default): `application/x-www-form-urlencoded`; `json`: a JSON object. */
  body?: 'form' | 'json';
  /** Default {@link JWT_BEARER_GRANT}. */
  grantType?: string;
  /** The field carrying the assertion. Default `assertion`. */
  assertionField?: string;
  /** Further fields of the token request (`client_id`, `scope`, …). */
  extraBody?: Readonly<Record<string, string | number>>;
  /** A client sent as an HTTP Basic `Authorization` header (RingCentral wants this). */
  basicClient?: { client_id: string; client_secret: string };
  /** Reads a non-standard token response; default reads `access_token`, `expires_in`. */
  parseResponse?: (body: unknown) => IssuedToken;
}

/** Options of a {@link JwtTokenSource}. Times are in seconds. */
export interface JwtTokenOptions extends CachedTokenOptions {
  /** The signing key. Exactly one of `key` and `assertion`. */
  key?: JwtKey;
  /** A JWT the vendor issued (RingCentral's JWT credential), exchanged as is instead of signing one. */
  assertion?: string;
  /** Any JOSE algorithm jose supports (RS256, PS384, ES256, EdDSA, HS256, …). Default: from the key. */
  alg?: string;
  /** The `kid` header. */
  kid?: string;
  /** Further protected header parameters. */
  protectedHeader?: Readonly<Record<string, unknown>>;
  issuer?: string;
  subject?: string;
  audience?: string | readonly string[];
  /** Put into the `scope` claim (see `scopeFormat`). */
  scopes?: readonly string[];
  /** `space` (default): one space-separated string; `array`: a JSON array (App Store Connect). */
  scopeFormat?: 'space' | 'array';
  /** Extra claims, e.g. `{ box_sub_type: 'enterprise' }`. */
  claims?: Readonly<Record<string, unknown>>;
  /** Add a random `jti` (default `true`); vendors that replay-protect (Box) require one. */
  jti?: boolean;
  /** `iat` is put this far in the past, so a server whose clock is behind ours accepts it. Default 30. */
  clockSkewSeconds?: number;
  /** How long the JWT is valid from now. Default 3600 used as a bearer, 300 when exchanged. */
  lifetimeSeconds?: number;
  /** The vendor's cap on `exp - iat`; `exp` is lowered to meet it. */
  maxLifetimeSeconds?: number;
  /** Omit to use the signed JWT itself as the bearer token. */
  exchange?: JwtExchangeOptions;
  /** Names the source in errors, e.g. `Salesforce JWT bearer flow`. */
  what?: string;
  /** The likely cause of an `invalid_grant` answer, for the error message. */
  invalidGrantHint?: string;
}

const GENERIC_HINT = "check that the key, issuer (iss), subject (sub) and audience (aud) match what the provider has registered, and that this machine's clock is right";

/**
 * JWT authentication on top of {@link CachedTokenSource} (cached tokens, single-flight refresh, a
 * new token after a 401): either a self-signed JWT used directly as the bearer token, or the
 * RFC 7523 exchange of the JWT at a token endpoint. Create one through `TokenSource.jwt(…)` or a
 * vendor preset.
 */
export class JwtTokenSource extends CachedTokenSource {
  protected readonly what: string;
  private loaded: LoadedKey | undefined;

  constructor(protected readonly jwt: JwtTokenOptions) {
    super(jwt);
    this.what = jwt.what ?? (jwt.exchange === undefined ? 'JWT token source' : 'JWT bearer grant');
    if ((jwt.key === undefined) === (jwt.assertion === undefined)) {
      throw new TokenError(`${this.what}: give exactly one of \`key\` and \`assertion\``);
    }
    if (jwt.assertion !== undefined && jwt.exchange === undefined) {
      throw new TokenError(`${this.what}: a pre-issued \`assertion\` needs \`exchange\` options`);
    }
    registerSecret(jwt.assertion);
    registerSecret(jwt.exchange?.basicClient?.client_secret);
  }

  protected async fetchToken(http: HttpClient): Promise<IssuedToken> {
    if (this.jwt.exchange === undefined) {
      const { token, exp } = await this.sign();
      return { accessToken: token, expiresIn: exp - Math.floor(this.clock() / 1000) };
    }
    const assertion = this.jwt.assertion ?? (await this.sign()).token;
    return this.exchange(http, this.jwt.exchange, assertion);
  }

  /** Signs a fresh JWT with the configured claims. */
  protected async sign(): Promise<{ token: string; exp: number }> {
    // jose is an ES module (loaded through require(esm)); load it only when a connector needs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
    const jose = require('jose') as typeof Jose;
    const o = this.jwt;
    this.loaded ??= loadJwtKey(o.key!, this.what);
    const alg = o.alg ?? this.loaded.defaultAlg;
    const now = Math.floor(this.clock() / 1000);
    const iat = now - (o.clockSkewSeconds ?? 30);
    const lifetime = o.lifetimeSeconds ?? (o.exchange === undefined ? 3600 : 300);
    const exp = Math.min(now + lifetime, o.maxLifetimeSeconds === undefined ? Infinity : iat + o.maxLifetimeSeconds);
    const payload: Record<string, unknown> = { ...o.claims };
    if (o.scopes !== undefined && o.scopes.length > 0) payload.scope = o.scopeFormat === 'array' ? [...o.scopes] : o.scopes.join(' ');
    let signer = new jose.SignJWT(payload)
      .setProtectedHeader({ alg, typ: 'JWT', ...(o.kid === undefined ? {} : { kid: o.kid }), ...o.protectedHeader })
      .setIssuedAt(iat)
      .setExpirationTime(exp);
    if (o.issuer !== undefined) signer = signer.setIssuer(o.issuer);
    if (o.subject !== undefined) signer = signer.setSubject(o.subject);
    if (o.audience !== undefined) signer = signer.setAudience(typeof o.audience === 'string' ? o.audience : [...o.audience]);
    if (o.jti ?? true) signer = signer.setJti(randomUUID());
    let token: string;
    try {
      token = await signer.sign(this.loaded.key);
    } catch (cause) {
      throw new TokenError(`${this.what}: cannot sign with ${alg}: ${(cause as Error).message}`, { cause, userError: true });
    }
    registerSecret(token);
    return { token, exp };
  }

  private async exchange(http: HttpClient, ex: JwtExchangeOptions, assertion: string): Promise<IssuedToken> {
    const fields: Record<string, string | number> = { grant_type: ex.grantType ?? JWT_BEARER_GRANT, [ex.assertionField ?? 'assertion']: assertion, ...ex.extraBody };
    const headers: Record<string, string> = {};
    if (ex.basicClient !== undefined) {
      const basic = Buffer.from(`${ex.basicClient.client_id}:${ex.basicClient.client_secret}`).toString('base64');
      registerSecret(basic);
      headers.authorization = `Basic ${basic}`;
    }
    let body: unknown;
    try {
      body = await http.requestJson(ex.tokenUrl, { method: 'POST', ...(ex.body === 'json' ? { json: fields } : { form: fields }), headers, withoutToken: true });
    } catch (err) {
      throw this.refusal(err);
    }
    try {
      return (ex.parseResponse ?? parseTokenResponse)(body);
    } catch (err) {
      throw new TokenError(`${this.what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  /** Turns a failed token request into one line; `invalid_grant` names the likely cause. */
  private refusal(err: unknown): TokenError {
    if (!(err instanceof HttpError) || err.status < 400 || err.status >= 500) {
      return new TokenError(`${this.what}: the token request failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const answer = oauthError(err.bodyExcerpt);
    if (answer?.error === 'invalid_grant') {
      const detail = answer.description === undefined ? '' : `: ${answer.description}`;
      return new TokenError(`${this.what}: the token endpoint refused the credentials (invalid_grant${detail}); likely cause: ${this.jwt.invalidGrantHint ?? GENERIC_HINT}`, {
        cause: err,
        userError: true,
      });
    }
    return new TokenError(`${this.what}: the token endpoint refused the credentials (${err.message}); check them`, { cause: err, userError: true });
  }
}

/** Reads `{ error, error_description }` from an (already redacted) error body. */
function oauthError(excerpt: string): { error: string; description?: string } | undefined {
  try {
    const body = JSON.parse(excerpt) as Record<string, unknown>;
    if (typeof body.error !== 'string') return undefined;
    const d = body.error_description;
    return { error: body.error, description: typeof d === 'string' && d !== '' ? d.replace(/\s+/g, ' ').slice(0, 200) : undefined };
  } catch {
    return undefined;
  }
}

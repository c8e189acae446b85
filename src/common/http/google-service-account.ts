import type * as Jose from 'jose';
import { registerSecret } from '../secrets';
import type { HttpClient } from './http-client';
import { TokenError } from './http-errors';
import { exchangeToken, parseTokenResponse } from './oauth2-token-source';
import { CachedTokenSource, type CachedTokenOptions, type IssuedToken } from './token-cache';

const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google accepts assertions valid for at most an hour. */
const ASSERTION_LIFETIME_S = 3600;

/** Options of a Google service account token source. */
export interface GoogleServiceAccountOptions extends CachedTokenOptions {
  /** OAuth scopes, e.g. `https://www.googleapis.com/auth/analytics.readonly`. */
  scopes: readonly string[];
  /** A user to impersonate (domain-wide delegation). */
  subject?: string;
}

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
}

/** Parses the key JSON without ever quoting it: it holds a private key. */
function parseKey(json: string): ServiceAccountKey {
  let key: unknown;
  try {
    key = JSON.parse(json);
  } catch {
    throw new TokenError('the Google service account key is not valid JSON; paste the whole key file', { userError: true });
  }
  const k = key as Partial<Record<keyof ServiceAccountKey, unknown>> | null;
  const missing = (['client_email', 'private_key'] as const).filter((f) => typeof k?.[f] !== 'string' || k[f] === '');
  if (missing.length > 0) {
    throw new TokenError(`the Google service account key lacks ${missing.join(' and ')}; paste the whole key file`, { userError: true });
  }
  return k as ServiceAccountKey;
}

/**
 * Access tokens for a Google service account: an RS256-signed JWT assertion is exchanged at the
 * key's `token_uri` (the JWT-bearer grant). Tokens are cached like other OAuth2 tokens.
 */
export class GoogleServiceAccountTokenSource extends CachedTokenSource {
  private readonly key: ServiceAccountKey;
  private signingKey: ReturnType<typeof Jose.importPKCS8> | undefined;

  constructor(serviceAccountJson: string, private readonly options: GoogleServiceAccountOptions) {
    super(options);
    registerSecret(serviceAccountJson);
    this.key = parseKey(serviceAccountJson);
    registerSecret(this.key.private_key);
    if (options.scopes.length === 0) throw new TokenError('a Google service account token source needs at least one scope');
  }

  protected async fetchToken(http: HttpClient): Promise<IssuedToken> {
    // jose is an ES module (loaded through require(esm)); load it only when a connector needs it.
    const jose = require('jose') as typeof Jose;
    this.signingKey ??= jose.importPKCS8(this.key.private_key, 'RS256').catch((cause: unknown) => {
      this.signingKey = undefined;
      throw new TokenError('the private_key of the Google service account key is not a valid PKCS#8 RSA key', { cause, userError: true });
    });
    const tokenUri = this.key.token_uri ?? GOOGLE_TOKEN_URI;
    const now = Math.floor(this.clock() / 1000);
    let jwt = new jose.SignJWT({ scope: this.options.scopes.join(' ') })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(this.key.private_key_id === undefined ? {} : { kid: this.key.private_key_id }) })
      .setIssuer(this.key.client_email)
      .setAudience(tokenUri)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_LIFETIME_S);
    if (this.options.subject !== undefined) jwt = jwt.setSubject(this.options.subject);
    const assertion = await jwt.sign(await this.signingKey);
    registerSecret(assertion);
    return exchangeToken(http, tokenUri, { grant_type: JWT_BEARER, assertion }, {}, parseTokenResponse, 'Google service account');
  }
}

import { registerSecret } from '../secrets';
import { TokenError } from './http-errors';
import { JwtTokenSource } from './jwt-token-source';
import type { CachedTokenOptions } from './token-cache';

const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
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
  registerSecret(json);
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
  registerSecret(k!.private_key);
  return k as ServiceAccountKey;
}

/**
 * Access tokens for a Google service account: the JWT preset for Google. An RS256-signed assertion
 * (`iss` = the key's `client_email`, `aud` = its `token_uri`, the scopes, and `sub` for domain-wide
 * delegation) is exchanged at the key's `token_uri`. `iat` is not backdated and no `jti` is added,
 * so the assertion is the one Google's own client libraries send.
 */
export class GoogleServiceAccountTokenSource extends JwtTokenSource {
  constructor(serviceAccountJson: string, options: GoogleServiceAccountOptions) {
    const key = parseKey(serviceAccountJson);
    if (options.scopes.length === 0) throw new TokenError('a Google service account token source needs at least one scope');
    const tokenUri = key.token_uri ?? GOOGLE_TOKEN_URI;
    super({
      ...options,
      what: 'Google service account',
      key: { pem: key.private_key },
      alg: 'RS256',
      kid: key.private_key_id,
      issuer: key.client_email,
      audience: tokenUri,
      jti: false,
      clockSkewSeconds: 0,
      lifetimeSeconds: ASSERTION_LIFETIME_S,
      maxLifetimeSeconds: ASSERTION_LIFETIME_S,
      exchange: { tokenUrl: tokenUri },
      invalidGrantHint: "the key was deleted or disabled, this machine's clock is off, or (with a subject) domain-wide delegation is not granted for these scopes",
    });
  }
}

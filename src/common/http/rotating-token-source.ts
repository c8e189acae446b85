import { registerSecret } from '../secrets';
import type { HttpClient } from './http-client';
import { TokenError } from './http-errors';
import { exchangeToken, parseTokenResponse, resolveTokenUrl, tokenRequest, type OAuth2TokenOptions } from './oauth2-token-source';
import { tokenAuthorization } from './token-cache';
import type { Authorization, PrepareContext, PrepareResult, TokenSource } from './token-source';

/** Where the connector encrypts an updated endpoint config; `ENCRYPTION_URL` in the environment wins. */
export const DEFAULT_ENCRYPTION_URL = 'https://config-encryption.estuary.dev/v1/encrypt-config';

/** Tokens are rotated at open when the access token expires within this window. */
const ROTATE_WITHIN_MS = 5 * 60_000;

/** Returns a copy of a JSON value with object keys sorted at every level. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * Encrypts an endpoint config with Flow's config-encryption service and returns the encrypted
 * config, ready for a `configUpdate` event. `schema` is the endpoint config's JSON schema: the
 * service encrypts the fields it marks `secret`, so without it nothing would be encrypted.
 *
 * Keys are sorted first because Flow stores configs with sorted keys and sops computes its MAC
 * over properties in the order it meets them.
 */
export async function encryptConfig(http: HttpClient, url: string, config: object, schema: object): Promise<Record<string, unknown>> {
  const plain = JSON.parse(JSON.stringify(config)) as unknown;
  const encrypted = await http.requestJson(url, { method: 'POST', json: { config: sortKeys(plain), schema }, withoutToken: true });
  if (encrypted === null || typeof encrypted !== 'object' || Array.isArray(encrypted)) {
    throw new TokenError(`the config encryption service at ${url} answered with something that is not a config object`);
  }
  return encrypted as Record<string, unknown>;
}

/** The fields of rotating OAuth2 credentials the source reads and rewrites. */
export interface RotatingCredentials {
  client_id: string;
  client_secret: string;
  refresh_token: string;
  access_token: string;
  /** ISO 8601 (a `Date` is accepted too). */
  access_token_expires_at: string | Date;
}

/**
 * OAuth2 credentials whose refresh token is single-use. The access token in the config is used as
 * is; at open, {@link prepare} exchanges the refresh token when the access token expires within
 * 5 minutes, writes the new tokens into the credentials object (which must be the one inside the
 * endpoint config) and returns the encrypted config for a `configUpdate` event. Tokens are never
 * exchanged mid-run: the config must always hold the live refresh token, and an expired access
 * token makes the connector fail and restart, which rotates them again.
 */
export class RotatingTokenSource implements TokenSource {
  private readonly clock: () => number;

  constructor(
    private readonly credentials: RotatingCredentials,
    private readonly options: OAuth2TokenOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    resolveTokenUrl(options, 'rotating OAuth2 refresh token');
    for (const v of [credentials.client_id, credentials.client_secret, credentials.refresh_token, credentials.access_token]) registerSecret(v);
  }

  authorization(): Promise<Authorization> {
    return Promise.resolve(tokenAuthorization(this.credentials.access_token, this.options));
  }

  /** A rejected token is not refreshed mid-run (see the class comment). */
  invalidate(): boolean {
    return false;
  }

  /** True when the access token expires within 5 minutes (or its expiry is unreadable). */
  needsRotation(): boolean {
    const at = new Date(this.credentials.access_token_expires_at).getTime();
    return Number.isNaN(at) || at < this.clock() + ROTATE_WITHIN_MS;
  }

  async prepare(http: HttpClient, context?: PrepareContext): Promise<PrepareResult> {
    if (!this.needsRotation()) return {};
    if (context === undefined) {
      throw new TokenError('rotating OAuth2 tokens needs the endpoint config and its schema; the server must pass them to prepare()');
    }
    http.log.info('rotating OAuth2 tokens');
    const what = 'rotating OAuth2 refresh token';
    const now = this.clock();
    const { form, headers } = tokenRequest('refresh_token', this.credentials, { refresh_token: this.credentials.refresh_token }, this.options);
    const token = await exchangeToken(http, resolveTokenUrl(this.options, what), form, headers, this.options.parseResponse ?? parseTokenResponse, what);
    // The old refresh token may already be spent: keep going with whatever came back rather than
    // failing and leaving the config with a dead token.
    if (token.expiresIn === undefined) http.log.warn('the token response has no expires_in; tokens will be rotated again at the next open');
    this.credentials.access_token = token.accessToken;
    if (token.refreshToken !== undefined) this.credentials.refresh_token = token.refreshToken;
    this.credentials.access_token_expires_at = new Date(now + (token.expiresIn ?? 0) * 1000).toISOString();
    const url = context.encryptionUrl ?? process.env.ENCRYPTION_URL ?? DEFAULT_ENCRYPTION_URL;
    return { updatedConfig: await encryptConfig(http, url, context.config, context.configSchema) };
  }
}

import { registerSecret } from '../secrets';
import type { HttpClient } from './http-client';
import { HttpError, TokenError } from './http-errors';
import type { OAuth2Spec } from './oauth2-spec';
import { CachedTokenSource, type CachedTokenOptions, type IssuedToken } from './token-cache';

/** The OAuth2 grants a connector performs itself. */
export type OAuth2Grant = 'refresh_token' | 'client_credentials' | 'authorization_code' | 'password';

/** Where the client id and secret go in a token request. */
export type ClientCredentialsPlacement = 'form' | 'header';

/** Options of the OAuth2 token sources. */
export interface OAuth2TokenOptions extends CachedTokenOptions {
  /** The connector's spec; its `refreshTokenUrlTemplate` or `accessTokenUrlTemplate` is the token URL. */
  spec?: Readonly<OAuth2Spec>;
  /** The token endpoint; wins over `spec`. Needed when the spec's URL is a template Flow renders. */
  tokenUrl?: string;
  /** `form` (default): `client_id`/`client_secret` fields; `header`: an HTTP Basic `Authorization` header. */
  clientCredentialsIn?: ClientCredentialsPlacement;
  /** Fields some providers want in the token request (`expires_in`, `audience`, …). */
  extraBody?: Readonly<Record<string, string | number>>;
  /** Sent as the `scope` field when given. */
  scope?: string;
  /** Reads a non-standard token response; the default reads `access_token`, `expires_in`, `refresh_token`. */
  parseResponse?: (body: unknown) => IssuedToken;
}

/** The client fields of OAuth2 credentials. */
export interface OAuth2Client {
  client_id: string;
  client_secret: string;
}

/** Picks the token endpoint URL and rejects templates only Flow can render. */
export function resolveTokenUrl(options: OAuth2TokenOptions, what: string): string {
  const url = options.tokenUrl ?? options.spec?.refreshTokenUrlTemplate ?? options.spec?.accessTokenUrlTemplate;
  if (url === undefined || url === '') {
    throw new TokenError(`${what}: no token URL; pass \`tokenUrl\` or \`spec\` in the token source options`, { userError: true });
  }
  if (url.includes('{{')) {
    throw new TokenError(`${what}: the token URL "${url}" is a template Flow renders; pass the rendered URL as \`tokenUrl\``, { userError: true });
  }
  return url;
}

/** Reads a standard RFC 6749 token response. Never quotes values, only which fields were present. */
export function parseTokenResponse(body: unknown): IssuedToken {
  const obj = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const token = obj?.access_token;
  if (typeof token !== 'string' || token === '') {
    const fields = obj === undefined ? `a ${Array.isArray(body) ? 'array' : typeof body}` : `fields [${Object.keys(obj).join(', ')}]`;
    throw new TokenError(`the token response has no access_token (it has ${fields})`);
  }
  registerSecret(token);
  const expires = typeof obj!.expires_in === 'string' ? Number(obj!.expires_in) : obj!.expires_in;
  const refresh = obj!.refresh_token;
  return {
    accessToken: token,
    expiresIn: typeof expires === 'number' && Number.isFinite(expires) ? expires : undefined,
    refreshToken: typeof refresh === 'string' && refresh !== '' ? refresh : undefined,
  };
}

/**
 * POSTs a token request and parses the answer. The request goes through `http` like any other
 * (retries, timeouts) but without credentials. A refusal becomes a {@link TokenError} that says
 * to re-authenticate.
 */
export async function exchangeToken(
  http: HttpClient,
  url: string,
  form: Record<string, string | number>,
  headers: Record<string, string>,
  parse: (body: unknown) => IssuedToken,
  what: string,
): Promise<IssuedToken> {
  let body: unknown;
  try {
    body = await http.requestJson(url, { method: 'POST', form, headers, withoutToken: true });
  } catch (err) {
    if (err instanceof HttpError && err.status >= 400 && err.status < 500) {
      throw new TokenError(`${what}: the token endpoint refused the credentials (${err.message}); check them or re-authenticate`, { cause: err, userError: true });
    }
    throw new TokenError(`${what}: the token request failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  try {
    return parse(body);
  } catch (err) {
    throw new TokenError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Builds the grant's form and headers, placing the client credentials as configured. */
export function tokenRequest(
  grant: OAuth2Grant,
  client: OAuth2Client,
  fields: Record<string, string>,
  options: OAuth2TokenOptions,
): { form: Record<string, string | number>; headers: Record<string, string> } {
  const form: Record<string, string | number> = { grant_type: grant, ...fields };
  const headers: Record<string, string> = {};
  if ((options.clientCredentialsIn ?? 'form') === 'header') {
    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
    registerSecret(basic);
    headers.authorization = `Basic ${basic}`;
  } else {
    form.client_id = client.client_id;
    form.client_secret = client.client_secret;
  }
  if (options.scope !== undefined) form.scope = options.scope;
  Object.assign(form, options.extraBody);
  return { form, headers };
}

/**
 * Short-lived tokens from an OAuth2 token endpoint: the refresh-token, client-credentials,
 * authorization-code and resource-owner-password grants. Create one through `TokenSource`.
 */
export class OAuth2TokenSource extends CachedTokenSource {
  private readonly url: string;
  private readonly what: string;

  constructor(
    private readonly grant: OAuth2Grant,
    private readonly client: OAuth2Client,
    private readonly fields: () => Record<string, string>,
    private readonly options: OAuth2TokenOptions,
  ) {
    super(options);
    this.what = `OAuth2 ${grant} grant`;
    this.url = resolveTokenUrl(options, this.what);
    registerSecret(client.client_id);
    registerSecret(client.client_secret);
  }

  protected async fetchToken(http: HttpClient): Promise<IssuedToken> {
    const { form, headers } = tokenRequest(this.grant, this.client, this.fields(), this.options);
    const token = await exchangeToken(http, this.url, form, headers, this.options.parseResponse ?? parseTokenResponse, this.what);
    // A provider that rotates refresh tokens invalidates the old one: keep using the newest.
    if (token.refreshToken !== undefined && this.grant === 'refresh_token') {
      (this.client as OAuth2Client & { refresh_token?: string }).refresh_token = token.refreshToken;
    }
    return token;
  }
}

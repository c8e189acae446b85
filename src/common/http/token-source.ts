import { registerSecret } from '../secrets';
// Credential shapes, structurally: the credential models in src/models satisfy them, and common
// stays below models in the layering.
type Titled = { credentials_title?: string };
type AccessTokenCredentials = Titled & { access_token: string };
type BasicAuthCredentials = Titled & { username: string; password: string };
type ClientCredentialsOAuth2Credentials = Titled & { client_id: string; client_secret: string };
type AuthorizationCodeOAuth2Credentials = ClientCredentialsOAuth2Credentials;
type OAuth2Credentials = ClientCredentialsOAuth2Credentials & { refresh_token: string };
type ResourceOwnerPasswordOAuth2Credentials = ClientCredentialsOAuth2Credentials & { username: string; password: string };
type LongLivedClientCredentialsOAuth2Credentials = ClientCredentialsOAuth2Credentials & { access_token: string };
type GoogleServiceAccountCredentials = Titled & { service_account: string };
import { GoogleServiceAccountTokenSource, type GoogleServiceAccountOptions } from './google-service-account';
import type { HttpClient } from './http-client';
import * as jwtPresets from './jwt-presets';
import { JwtTokenSource, type JwtTokenOptions } from './jwt-token-source';
import { OAuth2TokenSource, type OAuth2TokenOptions } from './oauth2-token-source';
import { RotatingTokenSource, type RotatingCredentials } from './rotating-token-source';
import { StaticTokenSource, tokenAuthorization, type TokenHeaderOptions } from './token-cache';

/** A header carrying credentials, e.g. `{ header: 'Authorization', value: 'Bearer …' }`. */
export interface Authorization {
  header: string;
  value: string;
}

/** What the connector's server passes to {@link TokenSource.prepare} at open. */
export interface PrepareContext {
  /** The endpoint config object the credentials belong to (updated in place). */
  config: object;
  /** The endpoint config's JSON schema, for the encryption service. */
  configSchema: object;
  /** Default: `ENCRYPTION_URL` from the environment, then {@link DEFAULT_ENCRYPTION_URL}. */
  encryptionUrl?: string;
}

/** What {@link TokenSource.prepare} returns. */
export interface PrepareResult {
  /**
   * The encrypted endpoint config after the credentials changed. The server logs it as the event
   * `{ eventType: 'configUpdate', config }` so Flow stores it.
   */
  updatedConfig?: object;
}

/**
 * Supplies the credentials header of each request an {@link HttpClient} sends. Built-in sources
 * come from the factory functions on `TokenSource` (`TokenSource.accessToken(…)` and the others);
 * a connector can implement the interface for anything else.
 */
export interface TokenSource {
  /** The header to send; may fetch or refresh a token through `http` (sent `withoutToken`). */
  authorization(http: HttpClient): Promise<Authorization>;
  /**
   * Called once per request when the API answers 401 to `rejected`. Return `true` when a retry may
   * succeed (the source will hand out a different token); the request is then retried once.
   */
  invalidate?(rejected: Authorization): boolean;
  /** Called by the connector's server at open, before any request; may rotate credentials stored in the config. */
  prepare?(http: HttpClient, context?: PrepareContext): Promise<PrepareResult>;
}

/**
 * Factories for the built-in token sources. Each registers the secrets it is given (and every token
 * it obtains) so they are redacted from logs and errors.
 *
 * @example
 * TokenSource.accessToken(config.apiToken)                                  // Authorization: Bearer …
 * TokenSource.accessToken(config.apiKey, { header: 'X-Api-Key' })          // X-Api-Key: …
 * TokenSource.oauth2(config.credentials, { spec: OAUTH2 })                 // refresh-token grant
 * TokenSource.clientCredentials(config.credentials, { tokenUrl, clientCredentialsIn: 'header' })
 * TokenSource.googleServiceAccount(config.credentials, { scopes: ['https://www.googleapis.com/auth/drive.readonly'] })
 */
export const TokenSource = Object.freeze({
  /** A fixed token; `Bearer` in `Authorization` unless `header` / `tokenType` say otherwise. */
  accessToken(token: string | AccessTokenCredentials, options?: TokenHeaderOptions): TokenSource {
    const value = typeof token === 'string' ? token : token.access_token;
    registerSecret(value);
    return new StaticTokenSource(tokenAuthorization(value, options));
  },

  /** HTTP basic authentication. */
  basicAuth(username: string | BasicAuthCredentials, password?: string): TokenSource {
    const user = typeof username === 'string' ? username : username.username;
    const pass = typeof username === 'string' ? (password ?? '') : username.password;
    registerSecret(pass);
    const encoded = Buffer.from(`${user}:${pass}`).toString('base64');
    registerSecret(encoded);
    return new StaticTokenSource({ header: 'Authorization', value: `Basic ${encoded}` });
  },

  /** The refresh-token grant, for credentials from Flow's authorization-code flow. */
  oauth2(credentials: OAuth2Credentials, options: OAuth2TokenOptions): TokenSource {
    registerSecret(credentials.refresh_token);
    return new OAuth2TokenSource('refresh_token', credentials, () => ({ refresh_token: credentials.refresh_token }), options);
  },

  /** The client-credentials grant. */
  clientCredentials(credentials: ClientCredentialsOAuth2Credentials, options: OAuth2TokenOptions): TokenSource {
    return new OAuth2TokenSource('client_credentials', credentials, () => ({}), options);
  },

  /** The authorization-code grant at the token endpoint; put the code and redirect URI in `extraBody`. */
  authorizationCode(credentials: AuthorizationCodeOAuth2Credentials, options: OAuth2TokenOptions): TokenSource {
    return new OAuth2TokenSource('authorization_code', credentials, () => ({}), options);
  },

  /** The resource-owner password grant. */
  resourceOwnerPassword(credentials: ResourceOwnerPasswordOAuth2Credentials, options: OAuth2TokenOptions): TokenSource {
    registerSecret(credentials.password);
    return new OAuth2TokenSource('password', credentials, () => ({ username: credentials.username, password: credentials.password }), options);
  },

  /** OAuth2 client credentials with an access token that does not expire: the token is used as is. */
  longLivedClientCredentials(credentials: LongLivedClientCredentialsOAuth2Credentials, options?: TokenHeaderOptions): TokenSource {
    registerSecret(credentials.client_secret);
    registerSecret(credentials.access_token);
    return new StaticTokenSource(tokenAuthorization(credentials.access_token, options));
  },

  /**
   * Single-use refresh tokens kept in the endpoint config. `credentials` must be the object inside
   * the config the server passes to `prepare`, which rotates them at open when needed.
   */
  rotatingRefreshToken(credentials: RotatingCredentials, options: OAuth2TokenOptions): TokenSource & { prepare: NonNullable<TokenSource['prepare']> } {
    return new RotatingTokenSource(credentials, options);
  },

  /** A Google service account key (JSON text, or the credentials model holding it). */
  googleServiceAccount(key: string | GoogleServiceAccountCredentials, options: GoogleServiceAccountOptions): TokenSource {
    return new GoogleServiceAccountTokenSource(typeof key === 'string' ? key : key.service_account, options);
  },

  /** A JWT, used as the bearer token or exchanged at a token endpoint (RFC 7523); see docs/http.md. */
  jwt: (options: JwtTokenOptions): TokenSource => new JwtTokenSource(options),
  /** JWT presets: Salesforce (JWT bearer flow), Box, App Store Connect, RingCentral. */
  salesforceJwt: jwtPresets.salesforceJwt,
  boxJwt: jwtPresets.boxJwt,
  appStoreConnect: jwtPresets.appStoreConnect,
  ringCentralJwt: jwtPresets.ringCentralJwt,
});

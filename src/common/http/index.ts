export { HttpClient } from './http-client';
export { DEFAULT_TIMEOUTS } from './http-options';
export type { HttpClientOptions, RequestOptions, LinesRequestOptions, StreamResponse, LinesResponse, TimeoutOptions } from './http-options';
export { HttpError, HttpTransportError, HttpAbortedError, ResponseValidationError, TokenError, redactUrl } from './http-errors';
export type { HttpErrorDetails, TransportFailure } from './http-errors';
export type { QueryValue, BodyOptions } from './http-helpers';
export { DEFAULT_RETRY, backoffMs, parseRetryAfter, classifyTransportError } from './retry-policy';
export type { RetryOptions, ShouldRetry } from './retry-policy';
export { DEFAULT_ADAPTIVE } from './rate-limiter';
export type { HostBudget, AdaptiveOptions } from './rate-limiter';
export { splitLines } from './lines';
export { TokenSource } from './token-source';
export type { Authorization, PrepareContext, PrepareResult } from './token-source';
export { CachedTokenSource, StaticTokenSource, tokenAuthorization } from './token-cache';
export type { IssuedToken, TokenHeaderOptions, CachedTokenOptions } from './token-cache';
export { OAuth2TokenSource, parseTokenResponse } from './oauth2-token-source';
export type { OAuth2TokenOptions, OAuth2Grant, ClientCredentialsPlacement, OAuth2Client } from './oauth2-token-source';
export { RotatingTokenSource, encryptConfig, DEFAULT_ENCRYPTION_URL } from './rotating-token-source';
export type { RotatingCredentials } from './rotating-token-source';
export { GoogleServiceAccountTokenSource } from './google-service-account';
export type { GoogleServiceAccountOptions } from './google-service-account';
export { oauth2Spec } from './oauth2-spec';
export type { OAuth2Spec } from './oauth2-spec';
export {
  AccessTokenCredentials,
  BasicAuthCredentials,
  OAuth2ClientCredentialsBase,
  OAuth2Credentials,
  ClientCredentialsOAuth2Credentials,
  AuthorizationCodeOAuth2Credentials,
  ResourceOwnerPasswordOAuth2Credentials,
  LongLivedClientCredentialsOAuth2Credentials,
  RotatingOAuth2Credentials,
  GoogleServiceAccountCredentials,
} from './credentials.model';

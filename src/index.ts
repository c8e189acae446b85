/**
 * estuary-cdk: a decorator-based framework for Estuary Flow capture connectors.
 *
 * This entry point is what a connector imports: decorators, models, the HTTP client and token
 * sources, stream processors, capture helpers and errors. Everything else is internal. The preview
 * harness and test kit are the separate entry point `estuary-cdk/testing` (src/testing.ts), so a
 * connector process never loads them.
 */
import 'reflect-metadata';

// Decorators
export { Connector, type ConnectorOptions } from './decorators/connector.decorator';
export { Resource, type ResourceOptions, type ReductionStrategy } from './decorators/resource.decorator';
export { Incremental, type IncrementalOptions, type IncrementalDecorator } from './decorators/incremental.decorator';
export { Backfill, type BackfillOptions, type BackfillDecorator } from './decorators/backfill.decorator';
export { Snapshot, type SnapshotOptions, type SnapshotDecorator } from './decorators/snapshot.decorator';
export { forConfig, type ConfigDecorators } from './decorators/for-config.decorator';
export { Webhook, type WebhookOptions } from './decorators/webhook.decorator';
export type { WebhookMatchRule, WebhookDiscriminator, UrlMatchRule, HeaderMatchRule, BodyMatchRule } from './common/webhook-match';
export type { StrategyOptionContext, SubtaskOption } from './decorators/strategy-options';
export {
  Auth,
  DiscoverResources,
  MigrateConfig,
  ValidateConnection,
  type HookDecorator,
  type AuthHook,
  type DiscoverHook,
  type MigrateConfigHook,
  type ValidateHook,
} from './decorators/hooks.decorator';
export { Title } from './decorators/title.decorator';
export { Description } from './decorators/description.decorator';
export { Secret } from './decorators/secret.decorator';
export { Advanced } from './decorators/advanced.decorator';
export { Order } from './decorators/order.decorator';
export { Multiline } from './decorators/multiline.decorator';
export { Default } from './decorators/default.decorator';
export { Nullable } from './decorators/nullable.decorator';
export { Format } from './decorators/format.decorator';
export { Items } from './decorators/items.decorator';
export { SchemaExtra } from './decorators/schema-extra.decorator';
export { OneOf } from './decorators/one-of.decorator';
export { Model, OAuth2Provider } from './decorators/model.decorator';

// Models
export {
  BaseDocument,
  WebhookDocument,
  WebhookMeta,
  NoWebhookAuth,
  BearerWebhookAuth,
  HmacWebhookAuth,
  WEBHOOK_AUTH_MODELS,
  type WebhookAuth,
  DocumentMeta,
  type DocumentOp,
  ResourceConfig,
  ResourceConfigWithSchedule,
  CRON_PATTERN,
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
  oauth2CredentialsFor,
} from './models';

// Errors
export { CdkError, DefinitionError, ConfigError, ProtocolError, CaptureError, LoadError, StoppedError, describeError } from './common/errors';

// Capture helpers, time and cron
export { pageCursor, associated, Triggers, type PageCursorPatch, type AssociatedDocument, type BackfillTrigger } from './common/capture-items';
export { parseIsoDuration, isIsoDuration, formatDuration, formatDateTime, parseDateTime, PreciseDate, epochMicros, compareDateTimes } from './common/time';
export { nextFire, parseCron } from './common/cron';

// Date windows
export { windows, backfillWindows, WindowFloorError, isWindowTooLarge, parseLocalDateTime } from './common/windows';
export type { WindowOptions, IncrementalWindowOptions, BackfillWindowOptions, WindowPage, DatePrecision, DateWindow, WindowContext, WindowFetch, WindowResult } from './common/windows';
export { withSourcedSchemaDefaults } from './runtime/capture/sourced-schema';
export type { CaptureContext } from './runtime/capture/capture-context';
export type { Class } from './common/metadata';

// Logging and secrets
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './common/logger';
export { registerSecret, redactSecrets } from './common/secrets';

// HTTP client and credentials
export { HttpClient } from './common/http/http-client';
export { DEFAULT_TIMEOUTS } from './common/http/http-options';
export type { HttpClientOptions, RequestOptions, LinesRequestOptions, StreamResponse, LinesResponse, BufferedResponse, TimeoutOptions } from './common/http/http-options';
export { HttpError, HttpTransportError, HttpAbortedError, ResponseValidationError, TokenError, redactUrl } from './common/http/http-errors';
export type { HttpErrorDetails, TransportFailure } from './common/http/http-errors';
export type { QueryValue, BodyOptions } from './common/http/http-helpers';
export { DEFAULT_RETRY, type RetryOptions, type ShouldRetry } from './common/http/retry-policy';
export { DEFAULT_ADAPTIVE, type HostBudget, type AdaptiveOptions } from './common/http/rate-limiter';
export { TokenSource, type Authorization, type PrepareContext, type PrepareResult } from './common/http/token-source';
export { CachedTokenSource, StaticTokenSource, tokenAuthorization } from './common/http/token-cache';
export type { IssuedToken, TokenHeaderOptions, CachedTokenOptions } from './common/http/token-cache';
export { OAuth2TokenSource } from './common/http/oauth2-token-source';
export type { OAuth2TokenOptions, OAuth2Grant, ClientCredentialsPlacement, OAuth2Client } from './common/http/oauth2-token-source';
export { RotatingTokenSource, type RotatingCredentials } from './common/http/rotating-token-source';
export { GoogleServiceAccountTokenSource, type GoogleServiceAccountOptions } from './common/http/google-service-account';
export { oauth2Spec, type OAuth2Spec } from './common/http/oauth2-spec';
export { JwtTokenSource, JWT_BEARER_GRANT, type JwtTokenOptions, type JwtExchangeOptions } from './common/http/jwt-token-source';
export { normalizePem, type JwtKey } from './common/http/jwt-key';
export { boxAppConfig, type SalesforceJwtOptions, type BoxJwtOptions, type AppStoreConnectOptions, type RingCentralJwtOptions } from './common/http/jwt-presets';
export { paginate, Pagination, DEFAULT_MAX_PAGES, Next, Stop, PaginationError, linkTarget } from './common/http/pagination';
export type {
  PaginateOptions,
  Page,
  ExpiredTokenHook,
  PageStrategy,
  TokenPlacement,
  OffsetCap,
  OffsetOptions,
  PageNumberOptions,
  NextUrlOptions,
  StopRule,
  StopRules,
  PageStopRule,
  PageView,
  PaginationErrorCode,
} from './common/http/pagination';

// Stream processors
export {
  IncrementalJsonProcessor,
  type JsonProcessorOptions,
  type LargeIntegerMode,
  IncrementalCsvProcessor,
  IncrementalCsvRowProcessor,
  type CsvDialectOptions,
  type CsvProcessorOptions,
  type TextEncodingName,
  type ContextAware,
  type StreamModelOptions,
  gunzipStream,
  unzipStream,
  type ZipEntry,
  merge,
  type MergeOptions,
  bufferOrdered,
  type OrderedTask,
  StreamParseError,
  StreamValidationError,
  StreamStateError,
  StreamUnsupportedError,
  type StreamLocation,
} from './common/streams';

// Dependency injection
export { CONFIG, LOGGER, HTTP_CLIENT, TOKEN_SOURCE } from './container/tokens';
export { BindingContext } from './container/binding-context';
export type { ResourceInstance } from './build/definition';
export { injectable, inject, singleton } from 'tsyringe';
export {
  airbyteShim,
  type AirbyteShim,
  type AirbyteShimOptions,
  type AirbyteShimCommonOptions,
  type AirbyteCommandShimOptions,
  type AirbyteInProcessShimOptions,
  type InProcessAirbyteSource,
} from './airbyte';

/**
 * estuary-cdk: a decorator-based framework for Estuary Flow capture connectors.
 * Everything public is exported here; nothing else is part of the API.
 */
import 'reflect-metadata';

export * from './decorators';
export * from './models';
export { CdkError, DefinitionError, ConfigError, ProtocolError, CaptureError, LoadError, StoppedError, describeError } from './common/errors';
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './common/logger';
export { registerSecret, redactSecrets } from './common/secrets';
export { pageCursor, associated, Triggers, type PageCursorPatch, type AssociatedDocument, type BackfillTrigger } from './common/capture-items';
export { applyMergePatch } from './common/merge-patch';
export { nextFire, parseCron } from './common/cron';
export { shardHash } from './common/shard-hash';
export { parseDuration, formatDuration, formatDateTime, parseDateTime } from './common/time';
export { clearMetadata, type Class } from './common/metadata';
export * from './common/http';
export { JwtTokenSource, JWT_BEARER_GRANT, normalizePem, boxAppConfig, type JwtTokenOptions, type JwtExchangeOptions, type JwtKey, type SalesforceJwtOptions, type BoxJwtOptions, type AppStoreConnectOptions, type RingCentralJwtOptions } from './common/http';
export * from './common/streams';
export { CONFIG, LOGGER, HTTP_CLIENT, TOKEN_SOURCE, BindingContext } from './container';
export { buildConnector } from './build/connector-builder';
export type { ConnectorDefinition, ResourceDefinition, ResourceInstance } from './build/definition';
export type { CaptureContext } from './runtime/capture/capture-context';
export { serve, type ServeOptions } from './runtime/server';
export { SchemaBuilder, type JsonSchema } from './schema/model-schema';
export { documentSchema } from './schema/document-schema';
export { withSourcedSchemaDefaults } from './runtime/capture/sourced-schema';
export type { PreviewOptions, PreviewResult, PreviewEvent, RunCaptureOptions, CaptureRun, InProcessOptions, InProcessRun, InProcessBinding, InProcessProgress } from './harness';
export {
  runPreview,
  runCapture,
  runConnectorInProcess,
  compareCaptureRecords,
  connectorCommand,
  encodeStateKey,
  DOC_UUID_PLACEHOLDER,
} from './harness/lazy';
export { injectable, inject, singleton } from 'tsyringe';

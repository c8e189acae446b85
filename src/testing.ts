/**
 * estuary-cdk/testing: the local stand-in for the Flow runtime, for connector specs and scripts.
 *
 * `runPreview` and `runCapture` run a connector as a child process the way Flow does (what
 * `estuary preview` runs); `runConnectorInProcess` serves a connector class inside the test process;
 * `compareCaptureRecords` is the Python CDK's snapshot check. A connector itself imports only
 * `estuary-cdk`, so its process never loads this harness (ajv, yaml).
 */
import 'reflect-metadata';

export { runPreview, type PreviewOptions, type PreviewResult, type PreviewEvent, type PreviewProgress } from './harness/preview';
export { runCapture, compareCaptureRecords, compareValues, type RunCaptureOptions, type CaptureRun, type CaptureProgress } from './harness/test-kit';
export { connectorCommand } from './harness/connector-command';
export { runConnectorInProcess } from './harness/in-process';
export type { InProcessOptions, InProcessRun, InProcessBinding, InProcessProgress } from './harness/in-process';
export type { BindingRequest, PreviewBinding } from './harness/task-resolver';
export type { CheckpointState } from './harness/preview-session';
export type { ConnectorLog } from './harness/connector-log';
export { encodeStateKey } from './harness/state-key';
export { DOC_UUID_PLACEHOLDER } from './harness/constants';
export { HarnessError, ConnectorProtocolError, ConnectorFailedError, DocumentError, CatalogError } from './harness/harness-errors';
export { applyMergePatch } from './common/merge-patch';
export { postWebhook, type PostWebhookOptions, type WebhookReply } from './harness/webhook-client';

/** Checking a connector class's definition in a unit spec: `buildConnector(MyConnector)` throws a DefinitionError listing every problem. */
export { buildConnector } from './build/connector-builder';
export type { ConnectorDefinition, ResourceDefinition } from './build/definition';
/**
 * undici's `MockAgent`, the same copy the framework's HTTP client uses, so a spec can pass one as
 * `dispatcher` to `runConnectorInProcess` without importing undici, which a connector project does
 * not declare. `agent.get(origin)` gives the pool to `intercept(...)` on.
 */
export { MockAgent } from 'undici';
/** Forgets every decorated class but the framework's own: call it in `beforeEach` when specs declare classes. */
export { clearMetadata } from './common/metadata';

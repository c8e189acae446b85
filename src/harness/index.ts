/**
 * The local stand-in for the Flow runtime: `estuary preview` and the test kit for connector authors.
 */
export { runPreview } from './preview';
export type { PreviewOptions, PreviewResult, PreviewEvent, PreviewProgress } from './preview';
export { previewCommand, parsePreviewArgs, PREVIEW_USAGE } from './preview-command';
export type { PreviewIo } from './preview-command';
export { connectorCommand } from './connector-command';
export { runCapture, compareCaptureRecords, compareValues } from './test-kit';
export type { RunCaptureOptions, CaptureRun, CaptureProgress } from './test-kit';
export type { BindingRequest, PreviewBinding } from './task-resolver';
export type { CheckpointState } from './preview-session';
export type { ConnectorLog } from './connector-log';
export { loadCatalog } from './catalog-loader';
export type { LoadedCatalog, CatalogBinding, CatalogCollection } from './catalog-loader';
export { encodeStateKey } from './state-key';
export { splitKeyRange } from './key-range';
export { applyMergePatch } from './json-utils';
export { DOC_UUID_PLACEHOLDER } from './combiner';
export { PROTOCOL_VERSION } from '../protocol';
export { HarnessError, ConnectorProtocolError, ConnectorFailedError, DocumentError, CatalogError } from './harness-errors';
export { runConnectorInProcess } from './in-process';
export type { InProcessOptions, InProcessRun, InProcessBinding, InProcessProgress } from './in-process';

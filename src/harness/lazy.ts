/**
 * The harness (preview, test kit) re-exported lazily: it loads ajv and yaml, which a connector
 * process never needs, so `import 'estuary-cdk'` stays fast at start-up.
 */
import type * as Harness from './index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): typeof Harness => require('./index') as typeof Harness;

/** See {@link Harness.runPreview}. */
export const runPreview: typeof Harness.runPreview = (...args) => load().runPreview(...args);
/** See {@link Harness.runCapture}. */
export const runCapture: typeof Harness.runCapture = (...args) => load().runCapture(...args);
/** See {@link Harness.compareCaptureRecords}. */
export const compareCaptureRecords: typeof Harness.compareCaptureRecords = (...args) => load().compareCaptureRecords(...args);
/** See {@link Harness.connectorCommand}. */
export const connectorCommand: typeof Harness.connectorCommand = (...args) => load().connectorCommand(...args);
/** See {@link Harness.encodeStateKey}. */
export const encodeStateKey: typeof Harness.encodeStateKey = (...args) => load().encodeStateKey(...args);
/** See {@link Harness.runConnectorInProcess}. */
export const runConnectorInProcess: typeof Harness.runConnectorInProcess = (...args) => load().runConnectorInProcess(...args);
export { DOC_UUID_PLACEHOLDER } from './constants';

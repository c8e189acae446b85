export { airbyteShim, type AirbyteShim, type AirbyteShimOptions, type AirbyteShimCommonOptions, type AirbyteCommandShimOptions, type AirbyteInProcessShimOptions } from './airbyte-shim';
export { isAirbyteShim } from './shim-brand';
export type { InProcessAirbyteSource } from './in-process-source';
export { serveAirbyte, AirbyteCheckError } from './shim-server';

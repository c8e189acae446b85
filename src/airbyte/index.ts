export { airbyteShim, isAirbyteShim, type AirbyteShim, type AirbyteShimOptions, type AirbyteShimCommonOptions, type AirbyteCommandShimOptions, type AirbyteInProcessShimOptions } from './airbyte-shim';
export type { InProcessAirbyteSource } from './in-process-source';
export { serveAirbyte, AirbyteCheckError } from './shim-server';

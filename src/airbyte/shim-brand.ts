import type { AirbyteShim } from './airbyte-shim';

/**
 * The mark of an {@link AirbyteShim}. A registered symbol, so that a shim made by another copy of
 * estuary-cdk is recognised too. In a module of its own: the CLI asks every connector module whether
 * it exports a shim, and answering must not load the shim's drivers and server.
 */
export const SHIM_BRAND = Symbol.for('estuary-cdk.airbyte-shim');

/** Whether `value` is an {@link AirbyteShim} (from any copy of estuary-cdk). */
export function isAirbyteShim(value: unknown): value is AirbyteShim {
  return value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[SHIM_BRAND] === true;
}

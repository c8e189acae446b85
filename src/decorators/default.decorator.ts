import { annotateProperty } from './property-annotation';

/**
 * Sets the schema `default` of a property and applies it when the value is absent from the
 * config. A property with a default is not required.
 */
export function Default<V extends string | number | boolean | bigint | object | null | undefined>(
  value: V,
): <T extends object, P extends string | symbol>(target: T, property: P & DefaultFits<T, P, V>) => void {
  // Typed against the field: the default must be assignable to the field's declared type. The
  // constraint keeps literal types ('u'), so a default fits a field typed as a union of literals.
  return annotateProperty({ default: value, hasDefault: true });
}

/** `unknown` when `V` fits the field `P` of `T` (or the field is not visible to the type, e.g. private); else `never`. */
export type DefaultFits<T, P, V> = P extends keyof T ? ([V] extends [T[P]] ? unknown : never) : unknown;

import { annotateProperty } from './property-annotation';

/**
 * Sets the schema `default` of a property and applies it when the value is absent from the
 * config. A property with a default is not required.
 */
export function Default(value: unknown): PropertyDecorator {
  return annotateProperty({ default: value, hasDefault: true });
}

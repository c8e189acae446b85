import { annotateProperty } from './property-annotation';

/** Sets the JSON Schema `format` of a string property (`date-time`, `duration`, `uri`, …). */
export function Format(format: string): PropertyDecorator {
  return annotateProperty({ format });
}

import { annotateProperty } from './property-annotation';

/** Marks a string property `multiline` (a text area in the UI, e.g. for a JSON key). */
export function Multiline(): PropertyDecorator {
  return annotateProperty({ multiline: true });
}

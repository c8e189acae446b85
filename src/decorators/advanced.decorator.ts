import { annotateProperty } from './property-annotation';

/** Marks a config property `advanced`: the UI shows it collapsed. */
export function Advanced(): PropertyDecorator {
  return annotateProperty({ advanced: true });
}

import { annotateProperty } from './property-annotation';

/** Sets the schema `description` of a property, shown as help text in the UI. */
export function Description(description: string): PropertyDecorator {
  return annotateProperty({ description });
}

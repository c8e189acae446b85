import { annotateProperty } from './property-annotation';

/** Sets the schema `title` of a property (otherwise derived from its name as Pydantic does). */
export function Title(title: string): PropertyDecorator {
  return annotateProperty({ title });
}

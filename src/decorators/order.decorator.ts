import { annotateProperty } from './property-annotation';

/** Sets the UI `order` of a config property. */
export function Order(order: number): PropertyDecorator {
  return annotateProperty({ order });
}

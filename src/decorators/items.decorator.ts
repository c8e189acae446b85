import type { Class, SchemaPrimitive } from '../common/metadata';
import { annotateProperty } from './property-annotation';

/**
 * Declares the element type of an array property, or the type of a property whose TypeScript
 * type emits no usable metadata (`unknown`, unions): a model class or a primitive type name.
 *
 * @example
 * @Items(() => LineItem) @IsArray() items!: LineItem[];
 */
export function Items(type: () => Class | SchemaPrimitive): PropertyDecorator {
  return annotateProperty({ itemType: type });
}

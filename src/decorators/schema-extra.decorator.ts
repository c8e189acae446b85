import { annotateProperty } from './property-annotation';

/** Merges extra JSON Schema keywords into a property's schema (applied last, so it wins). */
export function SchemaExtra(extra: Record<string, unknown>): PropertyDecorator {
  return annotateProperty({ extra });
}

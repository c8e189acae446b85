import { annotateProperty } from './property-annotation';

/**
 * Declares a property that may be `null`, as Python's `Optional[T] = None`: its schema becomes
 * `anyOf: [<T's schema>, {type: null}]` with `default: null` (unless `@Default` gives another), it
 * is not required, and a config without it (or with `null`) loads as `null` without tripping the
 * property's validators.
 *
 * @example
 * @Title('Note') @Nullable() @IsString()
 * note!: string | null;
 */
export function Nullable(): PropertyDecorator {
  return annotateProperty({ nullable: true });
}

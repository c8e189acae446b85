/**
 * class-validator's `validate`/`validateSync` and class-transformer's `plainToInstance`, called on
 * the objects those functions use rather than through the functions themselves. The functions are
 * defined in each package's entry file, which requires everything the package has: for
 * class-validator ~320 modules (validator, libphonenumber-js), about 200 ms and 13 MiB of a capture
 * that uses none of it. When the CLI serves the packages' exports lazily (src/cli/lazy-exports.ts),
 * going through `Validator` and `ClassTransformer` loads only the files that define them. The
 * results are the same: the entry functions delegate to exactly these objects.
 */
import { ClassTransformer, type ClassConstructor, type ClassTransformOptions } from 'class-transformer';
import { getFromContainer, Validator, type ValidationError, type ValidatorOptions } from 'class-validator';

/** `ClassTransformer.plainToInstance` without its `Record<string, any>` bound on the class type. */
interface Transformer {
  plainToInstance(cls: ClassConstructor<unknown>, plain: unknown, options?: ClassTransformOptions): unknown;
}

let transformer: Transformer | undefined;

/** class-validator's `validateSync(object, options)`. */
export function validateSync(object: object, options?: ValidatorOptions): ValidationError[] {
  // From class-validator's container on every call, as its own function does (`useContainer` may swap it).
  return getFromContainer(Validator).validateSync(object, options);
}

/** class-validator's `validate(object, options)`. */
export function validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
  return getFromContainer(Validator).validate(object, options);
}

/** class-transformer's `plainToInstance(cls, plain, options)`, for one plain object or an array of them. */
export function plainToInstance<T>(cls: ClassConstructor<T>, plain: readonly unknown[], options?: ClassTransformOptions): T[];
export function plainToInstance<T>(cls: ClassConstructor<T>, plain: unknown, options?: ClassTransformOptions): T;
export function plainToInstance<T>(cls: ClassConstructor<T>, plain: unknown, options?: ClassTransformOptions): T | T[] {
  transformer ??= new ClassTransformer() as Transformer;
  return transformer.plainToInstance(cls, plain, options) as T | T[];
}

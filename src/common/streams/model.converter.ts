import type { ClassConstructor, ClassTransformOptions } from 'class-transformer';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { plainToInstance, validate } from '../validation';
import { StreamValidationError } from './stream.errors';

/**
 * Implemented by a model that wants the processor's `context` (a parent id, the request that produced
 * the page) before it is validated; the method is called on every instance the processor builds.
 *
 * @example
 * class Comment implements ContextAware<{ postId: string }> {
 *   @IsString() id!: string;
 *   @IsString() postId!: string;
 *   withContext(context: { postId: string }) { this.postId = context.postId; }
 * }
 */
export interface ContextAware<C> {
  withContext(context: C): void;
}

/** How parsed plain values become model instances. */
export interface StreamModelOptions<T> {
  /** The class to build with class-transformer's `plainToInstance` and check with class-validator. */
  model: ClassConstructor<T>;
  /** Given to {@link ContextAware.withContext} on each instance before validation. */
  context?: unknown;
  /** Options for `plainToInstance`. */
  transformOptions?: ClassTransformOptions;
  /** Options for `validate`; pass `false` to skip validation entirely. */
  validatorOptions?: ValidatorOptions | false;
}

/** The model options of a processor's options, or undefined when it yields plain values. */
export function modelOptionsOf<T>(options: {
  model?: ClassConstructor<T>;
  context?: unknown;
  transformOptions?: ClassTransformOptions;
  validatorOptions?: ValidatorOptions | false;
}): StreamModelOptions<T> | undefined {
  const { model } = options;
  if (model === undefined) return undefined;
  return { model, context: options.context, transformOptions: options.transformOptions, validatorOptions: options.validatorOptions };
}

/** Flattens class-validator's nested errors into `path: message` lines. */
function describeValidationErrors(errors: readonly ValidationError[], path = ''): string[] {
  const lines: string[] = [];
  for (const err of errors) {
    const where = path ? `${path}.${err.property}` : err.property;
    for (const message of Object.values(err.constraints ?? {})) lines.push(`${where}: ${message}`);
    if (err.children?.length) lines.push(...describeValidationErrors(err.children, where));
  }
  return lines;
}

function hasWithContext(value: unknown): value is ContextAware<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { withContext?: unknown }).withContext === 'function';
}

/**
 * Builds and validates one model instance from a plain value; `what` names the item in errors
 * (`JSON item 3 at "data.items.item"`).
 */
export async function toModel<T>(plain: unknown, options: StreamModelOptions<T>, what: string): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new StreamValidationError(what, [`expected an object, got ${Array.isArray(plain) ? 'an array' : plain === null ? 'null' : typeof plain}`]);
  }
  const instance = plainToInstance<T>(options.model, plain, options.transformOptions);
  if (options.context !== undefined && hasWithContext(instance)) instance.withContext(options.context);
  if (options.validatorOptions !== false) {
    const errors = await validate(instance as object, options.validatorOptions ?? {});
    if (errors.length > 0) throw new StreamValidationError(what, describeValidationErrors(errors));
  }
  return instance;
}

import type { ClassConstructor } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { plainToInstance, validate } from '../validation';
import { ResponseValidationError } from './http-errors';

const MAX_PROBLEMS = 10;

function describe(errors: readonly ValidationError[], prefix: string, out: string[]): void {
  for (const e of errors) {
    const path = prefix === '' ? e.property : `${prefix}.${e.property}`;
    // Constraint messages name the property and the rule, never the offending value.
    if (e.constraints !== undefined) out.push(`${path}: ${Object.values(e.constraints).join(', ')}`);
    if (e.children !== undefined && e.children.length > 0) describe(e.children, path, out);
  }
}

/**
 * Turns parsed JSON into instances of `model` and validates them with class-validator. An array
 * body gives an array of instances. Throws {@link ResponseValidationError} listing the problems.
 */
export async function toModel<T extends object>(model: ClassConstructor<T>, value: unknown, method: string, url: URL): Promise<T | T[]> {
  if (value === null || typeof value !== 'object') {
    throw new ResponseValidationError(method, url, [`expected a JSON object or array for ${model.name}, got ${value === null ? 'null' : typeof value}`]);
  }
  const items = Array.isArray(value) ? value : [value];
  const instances = plainToInstance(model, items as object[]);
  const problems: string[] = [];
  for (let i = 0; i < instances.length && problems.length < MAX_PROBLEMS; i++) {
    const errors = await validate(instances[i]!, { forbidUnknownValues: false });
    describe(errors, Array.isArray(value) ? `[${i}]` : '', problems);
  }
  if (problems.length > 0) {
    throw new ResponseValidationError(method, url, [`${model.name}: ${problems.slice(0, MAX_PROBLEMS).join('; ')}`]);
  }
  return Array.isArray(value) ? instances : instances[0]!;
}

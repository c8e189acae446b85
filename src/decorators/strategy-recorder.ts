import { metadata, type StrategyRecord } from '../common/metadata';
import { isAsyncGeneratorFunction, memberName, ownerClass, reportProblem } from './decorator-utils';

/** Shared body of the strategy decorators: checks the method's shape and records it. */
export function recordStrategy(
  label: string,
  target: object,
  property: string | symbol,
  descriptor: PropertyDescriptor,
  record: Omit<StrategyRecord, 'method' | 'where'>,
): void {
  const where = `${memberName(target, property)} ${label}`;
  if (typeof target === 'function') {
    reportProblem(target, `${where}: strategies must be instance methods, not static; remove 'static'`);
  }
  if (typeof property === 'symbol') {
    reportProblem(target, `${where}: a strategy must have a string name`);
    return;
  }
  if (!isAsyncGeneratorFunction(descriptor.value)) {
    reportProblem(target, `${where}: the method must be an async generator; declare it as 'async *${property}(...)' and yield documents and cursors`);
  }
  metadata.addStrategy(ownerClass(target), { ...record, method: property, where });
}

import { metadata, type StrategyRecord } from '../common/metadata';
import { memberName, ownerClass } from './decorator-utils';

/**
 * Shared body of the strategy decorators: records the method as found. The build step checks its
 * shape (instance method, string name, async generator), so every problem is reported together.
 */
export function recordStrategy(label: string, target: object, property: string | symbol, descriptor: PropertyDescriptor, record: Omit<StrategyRecord, 'method' | 'where' | 'member'>): void {
  metadata.addStrategy(ownerClass(target), {
    ...record,
    method: String(property),
    where: `${memberName(target, property)} ${label}`,
    member: { value: descriptor.value, isStatic: typeof target === 'function', symbolName: typeof property === 'symbol' },
  });
}

import { metadata, type Class } from '../common/metadata';

/** `Orders.changes` — how problems name a member. */
export function memberName(target: object, property: string | symbol): string {
  const cls = typeof target === 'function' ? target : target.constructor;
  return `${(cls as { name: string }).name}.${String(property)}`;
}

/** The class a member decorator was applied to (prototype → constructor; static → itself). */
export function ownerClass(target: object): Class {
  return (typeof target === 'function' ? target : target.constructor) as Class;
}

/** Records a problem found while decorating; the builder reports all of them at once. */
export function reportProblem(target: object, problem: string): void {
  metadata.addProblem(ownerClass(target), problem);
}

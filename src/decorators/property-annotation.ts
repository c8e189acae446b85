import { metadata, type PropertyAnnotations } from '../common/metadata';
import { ownerClass } from './decorator-utils';

/** Builds a property decorator that merges `patch` into the property's schema annotations. */
export function annotateProperty(patch: PropertyAnnotations): PropertyDecorator {
  return (target, property) => {
    if (typeof property === 'symbol') return;
    metadata.annotateProperty(ownerClass(target), property, patch);
  };
}

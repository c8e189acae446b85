import { getMetadataStorage } from 'class-validator';
import { metadata, type PropertyAnnotations } from '../common/metadata';
import { ownerClass } from './decorator-utils';

/** Builds a property decorator that merges `patch` into the property's schema annotations. */
export function annotateProperty(patch: PropertyAnnotations): PropertyDecorator {
  return (target, property) => {
    if (typeof property === 'symbol') return;
    const cls = ownerClass(target);
    if (metadata.getProperties(cls).get(property)?.position === undefined) {
      // Where this property stands among class-validator's entries, so schemas keep declaration order.
      const position = getMetadataStorage()
        .getTargetValidationMetadatas(cls, '', true, false)
        .filter((m) => m.target === cls).length;
      metadata.annotateProperty(cls, property, { position });
    }
    metadata.annotateProperty(cls, property, patch);
  };
}

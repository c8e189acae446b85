import type { Class } from '../common/metadata';
import { annotateProperty } from './property-annotation';

/**
 * A property holding one of several model classes, such as a choice of credentials. With a
 * `discriminator`, each class must declare that property with a single constant value
 * (`@Equals('OAuth Credentials')` plus `@Default(...)`), and config values are transformed
 * into the class whose constant they carry.
 *
 * @example
 * @OneOf([OAuth2Credentials, ServiceAccountCredentials], { discriminator: 'auth_type' })
 * credentials!: OAuth2Credentials | ServiceAccountCredentials;
 */
export function OneOf(classes: Class[], options: { discriminator?: string } = {}): PropertyDecorator {
  return annotateProperty({
    oneOf: { classes: [...classes], ...(options.discriminator !== undefined ? { discriminator: options.discriminator } : {}) },
  });
}

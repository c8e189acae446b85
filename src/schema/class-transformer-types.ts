/**
 * The one place that reads class-transformer's private metadata storage. class-transformer keeps
 * `@Type(() => X)` in a storage its package does not export by name, so this reaches into
 * `class-transformer/cjs/storage`; a class-transformer release that moves it breaks only this file
 * (and its spec says so), not schema generation everywhere.
 */
type TypeStorage = { findTypeMetadata(target: Function, property: string): { typeFunction(options?: unknown): unknown } | undefined }; // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- class-transformer's metadata API is typed with Function

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the storage is only reachable by its CommonJS path
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeStorage };

/** The class given to `@Type(() => X)` on `target.property`, or undefined when there is none. */
export function declaredType(target: Function, property: string): Function | undefined { // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- class-transformer's metadata API is typed with Function
  const meta = defaultMetadataStorage.findTypeMetadata(target, property);
  return meta === undefined ? undefined : (meta.typeFunction() as Function); // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- class-transformer's metadata API is typed with Function
}

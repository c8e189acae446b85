/**
 * The one place that reads class-transformer's private metadata storage. class-transformer keeps
 * `@Type(() => X)` in a storage its package does not export by name, so this reaches into
 * `class-transformer/cjs/storage`; a class-transformer release that moves it breaks only this file
 * (and its spec says so), not schema generation everywhere.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-transformer's metadata API is typed with Function
type TypeStorage = { findTypeMetadata(target: Function, property: string): { typeFunction(options?: unknown): unknown } | undefined };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the storage is only reachable by its CommonJS path
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeStorage };

/** The class given to `@Type(() => X)` on `target.property`, or undefined when there is none. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-transformer's metadata API is typed with Function
export function declaredType(target: Function, property: string): Function | undefined {
  const meta = defaultMetadataStorage.findTypeMetadata(target, property);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-transformer's metadata API is typed with Function
  return meta === undefined ? undefined : (meta.typeFunction() as Function);
}

import * as path from 'node:path';

/**
 * Libraries whose state is process-wide by design: a second copy means a second container (tsyringe)
 * or a second metadata registry (class-validator, class-transformer), and the decorators a connector
 * applies land in a registry that estuary-cdk never reads — injection fails or `@IsOptional`,
 * `@Type` and friends silently vanish from schemas and validation.
 */
export const SINGLETON_LIBRARIES = ['tsyringe', 'class-validator', 'class-transformer'] as const;

/** A library resolved to a different copy from the connector's folder than from estuary-cdk's. */
export interface SecondCopy {
  library: (typeof SINGLETON_LIBRARIES)[number];
  path: string;
}

/** Every singleton library that a connector at `connectorDir` would load a second copy of. */
export function findSecondCopies(connectorDir: string): SecondCopy[] {
  const found: SecondCopy[] = [];
  for (const library of SINGLETON_LIBRARIES) {
    let ours: string;
    let theirs: string;
    try {
      ours = require.resolve(library);
      theirs = require.resolve(library, { paths: [connectorDir] });
    } catch {
      continue;
    }
    if (packageRoot(ours, library) !== packageRoot(theirs, library)) found.push({ library, path: theirs });
  }
  return found;
}

/** `…/node_modules/<library>` of a resolved entry file, so entry points inside one package compare equal. */
function packageRoot(entry: string, library: string): string {
  const marker = `${path.sep}node_modules${path.sep}${library}${path.sep}`;
  const at = entry.lastIndexOf(marker);
  return at < 0 ? path.dirname(entry) : entry.slice(0, at + marker.length);
}

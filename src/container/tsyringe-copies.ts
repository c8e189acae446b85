import * as path from 'node:path';

/**
 * Returns the path of a second copy of tsyringe that a connector at `connectorDir` would load, or
 * undefined. Two copies mean two containers and two type registries: injection silently breaks.
 */
export function findSecondTsyringe(connectorDir: string): string | undefined {
  let ours: string;
  let theirs: string;
  try {
    ours = require.resolve('tsyringe');
    theirs = require.resolve('tsyringe', { paths: [connectorDir] });
  } catch {
    return undefined;
  }
  return path.dirname(ours) === path.dirname(theirs) ? undefined : theirs;
}

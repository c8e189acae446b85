import * as path from 'node:path';

/**
 * The command that runs a connector with this package's CLI: `node <repo>/bin/estuary.js run <path>`.
 * `bin/estuary.js` is found relative to this module's compiled location (`dist/src/harness`).
 *
 * @example
 * connectorCommand('sample-connectors/hello-world');
 * // [process.execPath, '/…/estuary-cdk/bin/estuary.js', 'run', 'sample-connectors/hello-world']
 */
export function connectorCommand(connectorPath: string): string[] {
  return [process.execPath, path.resolve(__dirname, '../../../bin/estuary.js'), 'run', connectorPath];
}

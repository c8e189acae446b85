import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AirbyteShim } from '../airbyte/airbyte-shim';
import { isAirbyteShim } from '../airbyte/shim-brand';
import { LoadError } from '../common/errors';
import { metadata, type Class } from '../common/metadata';
import { findSecondCopies } from '../container/library-copies';
import { registerTypeScript } from './ts-register';

const ENTRY_NAMES = ['connector.ts', 'connector.js', 'index.ts', 'index.js', 'main.ts', 'main.js'];

/** The file a connector path names: the file itself, or a folder's connector/index/main file. */
export function resolveConnectorFile(target: string): string {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw new LoadError(`connector path ${target} does not exist`);
  if (fs.statSync(abs).isDirectory()) {
    for (const name of ENTRY_NAMES) {
      const f = path.join(abs, name);
      if (fs.existsSync(f)) return f;
    }
    throw new LoadError(`connector folder ${target} has none of ${ENTRY_NAMES.join(', ')}`);
  }
  if (!/\.(c|m)?(t|j)sx?$/.test(abs)) throw new LoadError(`connector file ${target} is not a .ts or .js file`);
  return abs;
}

/**
 * Loads a connector module (TypeScript compiled on the fly) and returns its single exported
 * `@Connector` class. Errors name the file (and line, for load failures) and what to change.
 */
export function loadConnector(target: string): Class {
  const loaded = loadConnectorOrShim(target);
  if ('shim' in loaded) throw new LoadError(`${target} exports an Airbyte shim, not a @Connector class; run it with estuary run or estuary preview`);
  return loaded.connector;
}

/**
 * Loads a connector module and returns its single exported `@Connector` class or, when it exports
 * none, its single exported {@link AirbyteShim} (from `airbyteShim(...)`).
 */
export function loadConnectorOrShim(target: string): { connector: Class } | { shim: AirbyteShim } {
  const file = resolveConnectorFile(target);
  const copies = findSecondCopies(path.dirname(file));
  if (copies.length > 0) {
    const which = copies.map((c) => `${c.library} (${c.path})`).join(', ');
    throw new LoadError(
      `the connector loads its own copy of ${which}; decorators would register where estuary-cdk never looks — remove ${copies.map((c) => c.library).join(', ')} from the connector's dependencies (or dedupe: \`npm dedupe\`) so estuary-cdk's copy is used`,
    );
  }
  registerTypeScript();
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the connector module by path at run time
    mod = require(file) as Record<string, unknown>;
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a connector module may throw a non-Error
    throw new LoadError(`loading ${path.relative(process.cwd(), file) || file} failed${locate(err, file)}: ${(err as Error).message?.split('\n')[0] ?? String(err)}`, { cause: err });
  }
  if (!Object.values(mod).some((v) => metadata.isConnector(v))) {
    const shims = [...new Set(Object.values(mod).filter(isAirbyteShim))];
    if (shims.length === 1) return { shim: shims[0]! };
    if (shims.length > 1) throw new LoadError(`${path.relative(process.cwd(), file)} exports several Airbyte shims; export exactly one`);
  }
  const found = Object.entries(mod).filter(([, v]) => metadata.isConnector(v));
  if (found.length === 0) {
    throw new LoadError(`${path.relative(process.cwd(), file)} exports no @Connector class; export the class decorated with @Connector({ config, resources }) (or an airbyteShim({...}))`);
  }
  const classes = [...new Set(found.map(([, v]) => v))];
  if (classes.length > 1) {
    throw new LoadError(`${path.relative(process.cwd(), file)} exports several @Connector classes (${found.map(([k]) => k).join(', ')}); export exactly one`);
  }
  return { connector: classes[0] as Class };
}

function locate(err: unknown, file: string): string {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  const dir = path.dirname(file);
  for (const line of stack.split('\n')) {
    const m = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (m !== null && m[1]!.startsWith(dir) && !m[1]!.includes('node_modules')) return ` at ${path.relative(process.cwd(), m[1]!)}:${m[2]}`;
  }
  const swc = /\s*(?:╭─\[|-->\s*)([^:\]]+):(\d+):(\d+)/.exec(err instanceof Error ? err.message : '');
  if (swc !== null) return ` at ${path.relative(process.cwd(), swc[1]!)}:${swc[2]}`;
  return '';
}

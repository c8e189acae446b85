import * as os from 'node:os';
import * as path from 'node:path';

/** The folder the CLI keeps its caches in: `ESTUARY_CACHE_DIR`, else a folder in the OS temp dir. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ESTUARY_CACHE_DIR ?? path.join(os.tmpdir(), 'estuary-cdk-ts-cache');
}

/**
 * The folder of the start-up caches (V8's compiled code, where each export of a barrel lives), or
 * undefined when `ESTUARY_STARTUP_CACHE=0` turns them off.
 */
export function startupCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.ESTUARY_STARTUP_CACHE === '0' ? undefined : cacheDir(env);
}

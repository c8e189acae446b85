/**
 * Module customization hooks for Node's ESM loader, registered by `estuary-cdk/register` (see
 * `registerTypeScriptForEsm`). They run in the loader's own thread, so they only decide what a URL
 * is: a TypeScript file is handed back as CommonJS, which Node then loads through `require` and so
 * through the `.ts` handler `registerTypeScript` installed in the main thread — one compile path
 * (swc, forced decorator metadata, the shared compile cache) for both module systems.
 */
import * as fs from 'node:fs';
import type { LoadHook, ResolveHook } from 'node:module';
import { fileURLToPath } from 'node:url';

const TS_FILE = /\.[cm]?tsx?$/;

/** What a relative specifier that Node's ESM resolver cannot find may mean in TypeScript sources. */
function candidates(specifier: string): string[] {
  // `./models.js` written for `moduleResolution: nodenext` names `./models.ts`.
  const js = /\.([cm]?)js(x?)$/.exec(specifier);
  if (js !== null) return [`${specifier.slice(0, js.index)}.${js[1] ?? ''}ts${js[2] ?? ''}`];
  // `./models` as the CommonJS resolver (and the scaffold) writes it.
  return [`${specifier}.ts`, `${specifier}.tsx`, `${specifier}/index.ts`];
}

function isFile(url: URL): boolean {
  try {
    return fs.statSync(fileURLToPath(url)).isFile();
  } catch {
    return false;
  }
}

/** Resolves relative imports of TypeScript files that Node's ESM resolver does not find (no extension, or `.js`). */
export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if ((code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT') || !relative || context.parentURL?.startsWith('file:') !== true) throw err;
    for (const candidate of candidates(specifier)) {
      const url = new URL(candidate, context.parentURL);
      if (isFile(url)) return { url: url.href, shortCircuit: true };
    }
    throw err;
  }
};

/** Loads TypeScript files as CommonJS, leaving the compiling to the `require` handler. */
export const load: LoadHook = async (url, context, nextLoad) => {
  if (url.startsWith('file:') && TS_FILE.test(new URL(url).pathname)) return { format: 'commonjs', shortCircuit: true };
  return nextLoad(url, context);
};

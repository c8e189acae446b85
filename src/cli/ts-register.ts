import * as fs from 'node:fs';

let registered = false;

/**
 * Lets `require` load TypeScript connector files, compiled with @swc/core with legacy decorators
 * and decorator metadata forced on — whatever the connector's own tsconfig says — because
 * constructor injection depends on the emitted parameter types. Files in node_modules are left alone.
 */
export function registerTypeScript(): void {
  if (registered) return;
  registered = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as typeof import('@swc/core');
  const compile = (module: NodeJS.Module & { _compile(code: string, file: string): void }, filename: string): void => {
    const source = fs.readFileSync(filename, 'utf8');
    const { code } = swc.transformSync(source, {
      filename,
      sourceMaps: 'inline',
      swcrc: false,
      configFile: false,
      module: { type: 'commonjs' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true, tsx: filename.endsWith('.tsx') },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        keepClassNames: true,
      },
    });
    module._compile(code, filename);
  };
  const exts = require.extensions as unknown as Record<string, (m: NodeJS.Module, f: string) => void>;
  for (const ext of ['.ts', '.tsx', '.mts', '.cts']) {
    exts[ext] = (m, f) => compile(m as NodeJS.Module & { _compile(code: string, file: string): void }, f);
  }
  process.setSourceMapsEnabled?.(true);
}

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const USAGE = `usage: estuary test [files…]           run TypeScript specs with Node's test runner (node --test)
       estuary test --mocha [mocha args…]  run the project's mocha instead
Both load estuary-cdk/register first: the swc transform of \`estuary run\`, with decorator metadata.
Without files, every *.spec.ts and *.test.ts under the current folder runs (node_modules aside).`;

/** The register hook beside this file in the installed package. */
const REGISTER = path.resolve(__dirname, '../register.js');

/** Spec files under `dir`, skipping node_modules and dot folders, sorted for a stable order. */
function findSpecs(dir: string, root = dir): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findSpecs(full, root));
    else if (/\.(spec|test)\.[cm]?tsx?$/.test(entry.name)) found.push(path.relative(root, full));
  }
  return found.sort();
}

/** The project's mocha executable, resolved from `cwd` as its own `npx mocha` would; undefined when not installed. */
function projectMocha(cwd: string): string | undefined {
  try {
    const req = createRequire(path.join(cwd, 'package.json'));
    const pkgFile = req.resolve('mocha/package.json');
    const bin = (JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { bin?: Record<string, string> }).bin?.mocha ?? 'bin/mocha.js';
    return path.join(path.dirname(pkgFile), bin);
  } catch {
    return undefined;
  }
}

/** Runs `node <args>` with the terminal's stdio and resolves with its exit code. */
function runNode(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, stdio: 'inherit' });
    child.on('error', (err) => {
      process.stderr.write(`estuary test: could not start node: ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal !== null ? 1 : 0)));
  });
}

/**
 * `estuary test [files…]`: runs a connector's TypeScript specs with the transform `estuary run`
 * uses (tsx and esbuild emit no decorator metadata), in CommonJS and ESM projects alike: Node's test
 * runner with `--import estuary-cdk/register`, or with `--mocha` the project's own mocha with
 * `--require estuary-cdk/register`. The exit code is the runner's.
 */
export function testCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, cwd = process.cwd()): Promise<number> {
  if (args[0] === '-h' || args[0] === '--help') {
    out.write(`${USAGE}\n`);
    return Promise.resolve(0);
  }
  if (args[0] === '--mocha') {
    const mocha = projectMocha(cwd);
    if (mocha === undefined) {
      err.write(`estuary test: mocha is not installed in ${cwd}; add it with \`npm install --save-dev mocha\`, or run \`estuary test\` without --mocha to use Node's test runner\n`);
      return Promise.resolve(2);
    }
    const rest = args.slice(1);
    const hasConfig = fs.readdirSync(cwd).some((f) => f.startsWith('.mocharc'));
    // Without files or a mocharc naming them, mocha would look for JavaScript in ./test only. A file
    // argument is told from an option's value (`--reporter spec`) by its extension or glob.
    const named = rest.some((a) => !a.startsWith('-') && (/\.[cm]?[jt]sx?$/.test(a) || a.includes('*')));
    const files = named || hasConfig ? [] : findSpecs(cwd);
    return runNode([mocha, '--require', REGISTER, ...rest, ...files], cwd);
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown !== undefined) {
    err.write(`estuary test: unknown option ${unknown}\n${USAGE}\n`);
    return Promise.resolve(2);
  }
  const files = args.length > 0 ? args : findSpecs(cwd);
  if (files.length === 0) {
    err.write(`estuary test: no *.spec.ts or *.test.ts files under ${cwd}; name the spec files to run\n`);
    return Promise.resolve(2);
  }
  return runNode(['--import', pathToFileURL(REGISTER).href, '--test', ...files], cwd);
}

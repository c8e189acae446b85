import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the files of a new connector come from: `templates/init` at the package root. */
export const TEMPLATE_DIR = path.resolve(__dirname, '../../../templates/init');

const USAGE = 'usage: estuary init <dir>   scaffold a new connector in <dir> (which must be new or empty)';

/** The names a scaffolded connector is given, derived from its folder name. */
export interface ScaffoldNames {
  /** kebab-case, for the capture and collection names: `my-shop`. */
  name: string;
  /** PascalCase, for the connector class: `MyShop`. */
  className: string;
}

/** Derives {@link ScaffoldNames} from a folder name such as `my_shop` or `Shop API`. */
export function scaffoldNames(dirName: string): ScaffoldNames {
  const words = dirName.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  if (words.length === 0) return { name: 'my-connector', className: 'MyConnector' };
  const name = words.map((w) => w.toLowerCase()).join('-');
  let className = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  if (/^[0-9]/.test(className)) className = `Connector${className}`;
  return { name, className };
}

/** Whether `estuary-cdk` can be required from `dir`: installed in a node_modules above it, or `dir` is inside the package itself. */
function resolvesEstuaryCdk(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'node_modules', 'estuary-cdk', 'package.json'))) return true;
    const own = path.join(d, 'package.json');
    if (fs.existsSync(own)) {
      try {
        if ((JSON.parse(fs.readFileSync(own, 'utf8')) as { name?: unknown }).name === 'estuary-cdk') return true;
      } catch {
        // an unreadable package.json is not ours
      }
    }
    if (path.dirname(d) === d) return false;
  }
}

function fail(message: string): number {
  process.stderr.write(`estuary init: ${message}\n`);
  return 1;
}

/**
 * `estuary init <dir>`: writes a complete connector in the canonical layout (models, api,
 * resources, connector, a mock API, a spec, config.yaml and test.flow.yaml) that
 * `estuary preview <dir> --config <dir>/config.yaml` runs at once. Refuses a non-empty `dir`.
 *
 * @returns the exit code: 0 when written, 1 when refused, 2 on a usage error.
 */
export async function scaffold(args: string[], out: NodeJS.WritableStream): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown !== undefined || args.length !== 1) {
    process.stderr.write(
      `estuary init: ${unknown !== undefined ? `unknown option ${unknown}` : args.length === 0 ? 'name the directory to create' : `expected one directory, got ${args.join(' ')}`}\n${USAGE}\n`,
    );
    return 2;
  }
  const target = args[0]!;
  const dir = path.resolve(target);
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) return fail(`${target} exists and is not a directory`);
    if (fs.readdirSync(dir).length > 0) return fail(`${target} is not empty; choose a new or empty directory (nothing was written)`);
  }
  let templates: string[];
  try {
    templates = fs
      .readdirSync(TEMPLATE_DIR)
      .filter((f) => fs.statSync(path.join(TEMPLATE_DIR, f)).isFile())
      .sort();
  } catch (err) {
    return fail(`the connector templates are missing from ${TEMPLATE_DIR} (${(err as Error).message}); reinstall estuary-cdk`);
  }
  const names = scaffoldNames(path.basename(dir));
  fs.mkdirSync(dir, { recursive: true });
  for (const file of templates) {
    const text = fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8').replaceAll('__ConnectorClass__', names.className).replaceAll('__name__', names.name);
    fs.writeFileSync(path.join(dir, file), text, { flag: 'wx' });
  }

  const shown = path.relative(process.cwd(), dir) || '.';
  const cd = shown === '.' ? [] : [`  cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}`];
  const install = resolvesEstuaryCdk(dir) ? [] : ['  npm init -y && npm install estuary-cdk class-validator'];
  out.write(
    [
      `Created connector ${names.className} in ${shown}: ${templates.join(', ')}`,
      '',
      'Next steps:',
      ...cd,
      ...install,
      '  npx estuary preview . --sessions 1 --delay 2s                       # capture from the built-in demo API (uses config.yaml)',
      '  npx estuary test                                                    # run connector.spec.ts against mock-api.ts',
      '',
      'Then point base_url in config.yaml at the real API and adapt api.ts, models.ts and resources.ts.',
      'Guide for connector authors: docs/author-guide.md in the estuary-cdk package.',
      '',
    ].join('\n'),
  );
  return 0;
}

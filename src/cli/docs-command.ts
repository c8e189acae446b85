import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLogger } from '../common/logger';
import { describeError } from '../common/errors';
import { lineDiff } from '../docs/line-diff';
import { regenerate, renderPage, type SpecResponse } from '../docs/docs-page';
import { connectorResponse } from './connector-response';
import { resolveConnectorFile } from './load-connector';

const USAGE = 'usage: estuary docs <connector> [--write <file.md> | --check <file.md>] [--name <title>]';

/** The page title: `--name`, else the connector's folder name. */
function connectorName(target: string, args: string[]): string {
  const given = args[args.indexOf('--name') + 1];
  if (args.includes('--name') && given !== undefined) return given;
  const file = resolveConnectorFile(target);
  return path.basename(/^(connector|index|main)\.[cm]?[jt]sx?$/.test(path.basename(file)) ? path.dirname(file) : file.replace(/\.[^.]+$/, ''));
}

/**
 * `estuary docs <connector>`: prints the connector's reference page (Markdown) rendered from its
 * spec. `--write f` regenerates `f` in place; `--check f` exits 1 with a diff when `f` is stale.
 */
export async function docsCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const log = createLogger();
  const flag = (name: string): string | undefined => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? '') : undefined);
  const target = args.find((a, i) => !a.startsWith('--') && !['--write', '--check', '--name'].includes(args[i - 1] ?? ''));
  const write = flag('--write');
  const check = flag('--check');
  if (target === undefined || write === '' || check === '' || (write !== undefined && check !== undefined)) {
    err.write(USAGE + '\n');
    return 2;
  }
  try {
    const spec = (await connectorResponse('spec', target, {}, log)) as SpecResponse;
    const name = connectorName(target, args);
    const file = write ?? check;
    if (file === undefined) {
      out.write(renderPage(spec, name));
      return 0;
    }
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const fresh = regenerate(existing, spec, name);
    if (write !== undefined) {
      if (fresh !== existing) fs.writeFileSync(file, fresh);
      err.write(`${file} ${fresh === existing ? 'is up to date' : 'written'}\n`);
      return 0;
    }
    if (fresh === existing) {
      err.write(`${file} is up to date\n`);
      return 0;
    }
    out.write(lineDiff(existing ?? '', fresh, [`${file} (committed)`, `${file} (from ${target})`]));
    err.write(`${file} no longer matches the connector; run \`estuary docs ${target} --write ${file}\`\n`);
    return 1;
  } catch (e) {
    log.error(describeError(e));
    return 1;
  }
}

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ESTUARY_BIN, REPO } from './cli-process';

const run = promisify(execFile);

/**
 * A recorded Python connector output (copies of ../shared/reference/python-snapshots kept in the
 * repo, so specs run from a clean clone), e.g. `source-navan--snapshots__spec__stdout.json`.
 */
export function pythonSnapshot(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'spec/fixtures/python-snapshots', file), 'utf8'));
}

/** Runs `estuary <args>` (spec, discover) and parses its pretty JSON output. */
export async function cliJson(...args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, [ESTUARY_BIN, ...args], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout);
}

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PreviewOptions, PreviewResult, runPreview } from '../../src/harness';

/** The repository root: the nearest directory up from the cwd whose package.json is named estuary-cdk. */
export function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'estuary-cdk') return dir;
    if (path.dirname(dir) === dir) throw new Error('cannot find the estuary-cdk repository root above the cwd');
  }
}

/** Absolute path of a fake connector script. */
export function fixture(name: string): string {
  return path.join(repoRoot(), 'spec/fixtures/fake-connectors', name);
}

/** The command running the generic fake connector. */
export const FAKE = (): string[] => [process.execPath, fixture('fake-capture.js')];

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'estuary-harness-'));
}

/** A step of the fake connector's script (see fake-capture.js). */
export type Step = Record<string, unknown>;

/** Runs the fake connector with `script`, discovering its bindings unless given. */
export function preview(script: Step[], extra: Partial<PreviewOptions> & { acks?: boolean; config?: Record<string, unknown> } = {}): Promise<PreviewResult> {
  const { acks, config, ...rest } = extra;
  return runPreview({ command: FAKE(), config: { token: 't', script, acks, ...config }, ...rest });
}

/** Reads the requests the fake connector recorded (FAKE_RECORD), one object per line. */
export function recorded(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Awaits a promise that must reject and returns its error. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

import * as fs from 'node:fs';
import { LoadError } from '../common/errors';

/** yaml is loaded only when a YAML file is read: it costs a `spec` or `open` ~50 ms of start-up. */
function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use to keep start-up light
  return (require('yaml') as typeof import('yaml')).parse(text);
}

/** Reads a YAML or JSON config file. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new LoadError(`config file ${file} cannot be read`);
  }
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new LoadError(`config file ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new LoadError(`config file ${file} must hold an object`);
  return value as Record<string, unknown>;
}

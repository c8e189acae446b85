import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { mayHoldLongIntegers, parseJsonExact } from '../common/json-exact';
import { CatalogError } from './harness-errors';
import { parseShortDuration } from '../common/time';
import { isJsonObject, JsonObject } from './json-utils';

/** A binding of a catalog capture: a resource and the collection it writes. */
export interface CatalogBinding {
  resource: JsonObject;
  target: string;
  disable?: boolean;
  backfill?: number;
}

/** A collection of the catalog; schemas are absent when the catalog leaves them to discovery. */
export interface CatalogCollection {
  writeSchema?: unknown;
  readSchema?: unknown;
  key?: string[];
}

/** The capture a catalog describes, with everything resolved relative to the files that declared it. */
export interface LoadedCatalog {
  file: string;
  captureName: string;
  /** `endpoint.local.command`, if the capture has one. */
  command?: string[];
  /** Directory local commands run in: that of the file declaring the capture. */
  cwd: string;
  env: Record<string, string>;
  /** The endpoint config, loaded from its file when given as a path. */
  config?: unknown;
  bindings: CatalogBinding[];
  intervalSeconds?: number;
  collections: Map<string, CatalogCollection>;
}

/**
 * Reads a YAML or JSON file. With `exactIntegers`, a JSON file's integers beyond ±2^53 come back as
 * exact `bigint`s (YAML would round them): for state, which preview writes as JSON.
 */
export function readDataFile(file: string, what: string, exactIntegers = false): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CatalogError(`cannot read ${what} ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (exactIntegers && mayHoldLongIntegers(text)) {
    try {
      JSON.parse(text);
      return parseJsonExact(text);
    } catch {
      // Not JSON: YAML below.
    }
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new CatalogError(`cannot parse ${what} ${file}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

/** Loads an endpoint config file, refusing sops-encrypted ones the harness cannot decrypt. */
export function loadConfigFile(file: string): unknown {
  const config = readDataFile(file, 'config file');
  if (isJsonObject(config) && config.sops !== undefined) {
    throw new CatalogError(`config file ${file} is sops-encrypted; decrypt it first (sops --decrypt)`);
  }
  return config ?? {};
}

function fileOrInline(value: unknown, dir: string, what: string): unknown {
  return typeof value === 'string' ? readDataFile(path.resolve(dir, value), what) : value;
}

interface RawCapture {
  name: string;
  spec: JsonObject;
  dir: string;
}

/**
 * Loads a Flow catalog such as `test.flow.yaml` (`captures`, `collections`, `import`) so the same file
 * drives `flowctl preview` and `estuary preview`.
 *
 * @param captureName - Which capture to use when the catalog has several.
 */
export function loadCatalog(file: string, captureName?: string): LoadedCatalog {
  const captures: RawCapture[] = [];
  const collections = new Map<string, CatalogCollection>();
  const seen = new Set<string>();

  const visit = (current: string): void => {
    const abs = path.resolve(current);
    if (seen.has(abs)) return;
    seen.add(abs);
    const dir = path.dirname(abs);
    const doc = readDataFile(abs, 'catalog');
    if (doc === null || doc === undefined) return;
    if (!isJsonObject(doc)) throw new CatalogError(`catalog ${abs} must be a YAML mapping`);
    const imports = Array.isArray(doc.import) ? doc.import : isJsonObject(doc.import) ? Object.keys(doc.import) : [];
    for (const imp of imports) {
      if (typeof imp !== 'string') throw new CatalogError(`catalog ${abs}: import entries must be paths`);
      visit(path.resolve(dir, imp));
    }
    if (isJsonObject(doc.collections)) {
      for (const [name, raw] of Object.entries(doc.collections)) {
        if (!isJsonObject(raw)) throw new CatalogError(`catalog ${abs}: collection ${name} must be a mapping`);
        const schema = fileOrInline(raw.schema, dir, `schema of ${name}`);
        const writeSchema = raw.writeSchema !== undefined ? fileOrInline(raw.writeSchema, dir, `write schema of ${name}`) : schema;
        const readSchema = raw.readSchema !== undefined ? fileOrInline(raw.readSchema, dir, `read schema of ${name}`) : undefined;
        const key = Array.isArray(raw.key) ? raw.key.map(String) : undefined;
        collections.set(name, { writeSchema, readSchema, key });
      }
    }
    if (isJsonObject(doc.captures)) {
      for (const [name, spec] of Object.entries(doc.captures)) {
        if (!isJsonObject(spec)) throw new CatalogError(`catalog ${abs}: capture ${name} must be a mapping`);
        captures.push({ name, spec, dir });
      }
    }
  };
  visit(file);

  const chosen = captureName !== undefined ? captures.filter((c) => c.name === captureName) : captures;
  if (chosen.length === 0) {
    throw new CatalogError(captureName !== undefined ? `catalog ${file} has no capture named ${captureName}` : `catalog ${file} has no captures`);
  }
  if (chosen.length > 1) {
    throw new CatalogError(`catalog ${file} has ${chosen.length} captures (${chosen.map((c) => c.name).join(', ')}); choose one with --name`);
  }
  const { name, spec, dir } = chosen[0]!;
  return { file: path.resolve(file), captureName: name, cwd: dir, collections, ...readCapture(name, spec, dir) };
}

function readCapture(name: string, spec: JsonObject, dir: string): Pick<LoadedCatalog, 'command' | 'env' | 'config' | 'bindings' | 'intervalSeconds'> {
  const endpoint = isJsonObject(spec.endpoint) ? spec.endpoint : {};
  const local = isJsonObject(endpoint.local) ? endpoint.local : undefined;
  const image = isJsonObject(endpoint.connector) ? endpoint.connector : undefined;
  const rawConfig = local?.config ?? image?.config;
  let config: unknown;
  if (typeof rawConfig === 'string') config = loadConfigFile(path.resolve(dir, rawConfig));
  else config = rawConfig;

  const command = Array.isArray(local?.command) ? local.command.map(String) : undefined;
  const env: Record<string, string> = {};
  if (isJsonObject(local?.env)) for (const [k, v] of Object.entries(local.env)) env[k] = String(v);

  const bindings: CatalogBinding[] = [];
  const rawBindings = Array.isArray(spec.bindings) ? spec.bindings : [];
  rawBindings.forEach((b, i) => {
    if (!isJsonObject(b) || !isJsonObject(b.resource)) {
      throw new CatalogError(`capture ${name}: bindings[${i}] needs a resource mapping`);
    }
    const target = typeof b.target === 'string' ? b.target : '';
    if (target === '' && b.disable !== true) throw new CatalogError(`capture ${name}: bindings[${i}] needs a target collection`);
    bindings.push({
      resource: b.resource,
      target,
      disable: b.disable === true,
      backfill: typeof b.backfill === 'number' ? b.backfill : undefined,
    });
  });

  let intervalSeconds: number | undefined;
  if (typeof spec.interval === 'string') {
    try {
      intervalSeconds = Math.round(parseShortDuration(spec.interval) / 1000);
    } catch (err) {
      throw new CatalogError(`capture ${name}: ${(err as Error).message}`);
    }
  }
  return { command, env, config, bindings, intervalSeconds };
}

import { Readable, Writable } from 'node:stream';
import type { Logger } from '../common/logger';
import { buildConnector } from '../build/connector-builder';
import { LoadError } from '../common/errors';
import { serve, type ServeOptions } from '../runtime/server';
import type * as Airbyte from '../airbyte';
import { loadConnectorOrShim } from './load-connector';

/**
 * Loads the connector at `target` and answers one `spec` or `discover` request through the
 * protocol server, exactly as `estuary run` would; returns the response's payload.
 */
export async function connectorResponse(kind: 'spec' | 'discover', target: string, config: unknown, log: Logger): Promise<unknown> {
  const serveIt = loadServable([target]);
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const req = kind === 'spec' ? { spec: { connectorType: 'LOCAL', config } } : { discover: { connectorType: 'LOCAL', config } };
  await serveIt({ stdin: Readable.from([JSON.stringify(req) + '\n']), stdout: sink, log });
  const response = JSON.parse(chunks.join('')) as Record<string, unknown>;
  return kind === 'spec' ? response.spec : response.discovered;
}

/** The Airbyte shim, loaded only when an Airbyte source is served. */
function airbyte(): typeof Airbyte {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use to keep start-up light
  return require('../airbyte') as typeof Airbyte;
}

/**
 * What `run`/`spec`/`discover` serve: a `@Connector` class, an exported Airbyte shim, or (with
 * `--airbyte -- <command…>`) an Airbyte-protocol command.
 */
export function loadServable(args: readonly string[]): (options: ServeOptions) => Promise<void> {
  if (args[0] === '--airbyte') {
    const command = args.slice(args[1] === '--' ? 2 : 1);
    if (command.length === 0) throw new LoadError('usage: estuary run --airbyte -- <command…> (e.g. docker run --rm -i airbyte/source-faker:6.2)');
    const { airbyteShim, serveAirbyte } = airbyte();
    const shim = airbyteShim({ command });
    return (options) => serveAirbyte(shim, options);
  }
  const loaded = loadConnectorOrShim(args[0]!);
  if ('shim' in loaded) return (options) => airbyte().serveAirbyte(loaded.shim, options);
  const def = buildConnector(loaded.connector);
  return (options) => serve(def, options);
}

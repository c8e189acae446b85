import { Readable, Writable } from 'node:stream';
import type { Logger } from '../common/logger';
import { buildConnector } from '../build/connector-builder';
import { serve } from '../runtime/server';
import { loadConnector } from './load-connector';

/**
 * Loads the connector at `target` and answers one `spec` or `discover` request through the
 * protocol server, exactly as `estuary run` would; returns the response's payload.
 */
export async function connectorResponse(kind: 'spec' | 'discover', target: string, config: unknown, log: Logger): Promise<unknown> {
  const def = buildConnector(loadConnector(target));
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const req = kind === 'spec' ? { spec: { connectorType: 'LOCAL', config } } : { discover: { connectorType: 'LOCAL', config } };
  await serve(def, { stdin: Readable.from([JSON.stringify(req) + '\n']), stdout: sink, log });
  const response = JSON.parse(chunks.join('')) as Record<string, unknown>;
  return kind === 'spec' ? response.spec : response.discovered;
}

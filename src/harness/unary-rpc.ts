import { ConnectorLaunch, ConnectorProcess } from './connector-process';
import { ConnectorProtocolError } from './harness-errors';
import { JsonObject } from './json-utils';
import { ConnectorResponse } from '../protocol';
import { Signal } from './signal';

/** The request the Flow runtime sends first to every connector process. */
export const INTERNAL_SPEC_REQUEST: JsonObject = { spec: { connectorType: 'LOCAL', config: {} } };

const EXIT_GRACE_MS = 10_000;

/** The response each unary request expects. */
const RESPONSE_FOR: Record<string, ConnectorResponse['type']> = {
  spec: 'spec',
  discover: 'discovered',
  validate: 'validated',
  apply: 'applied',
};

/**
 * Runs one unary RPC as Flow does: a fresh process, the internal `spec` request first, then the real
 * request and EOF on stdin; exactly one response, then the connector must exit 0.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names the expected response type for callers
export async function callUnary<T extends ConnectorResponse['type']>(
  launch: ConnectorLaunch,
  rpc: 'spec' | 'discover' | 'validate' | 'apply',
  body: JsonObject,
): Promise<Extract<ConnectorResponse, { type: T }>> {
  const proc = new ConnectorProcess(rpc, launch);
  const responses: ConnectorResponse[] = [];
  const signal = new Signal();
  let ended = false;
  proc.onResponse = (r) => {
    responses.push(r);
    signal.notify();
  };
  const closed = proc.closed.then((outcome) => {
    ended = true;
    signal.notify();
    return outcome;
  });

  const next = async (what: string): Promise<ConnectorResponse> => {
    const index = what === 'internal spec' ? 0 : 1;
    while (responses.length <= index && !ended) await signal.wait();
    const r = responses[index];
    if (r !== undefined) return r;
    const error = proc.errorFor(await closed);
    throw error ?? new ConnectorProtocolError(`connector closed its output without responding to the ${what} request`);
  };

  proc.send(INTERNAL_SPEC_REQUEST);
  const first = await next('internal spec');
  if (first.type !== 'spec') {
    proc.fail(new ConnectorProtocolError(`expected a spec response to the internal spec request, got ${first.type}`));
  } else {
    proc.send({ [rpc]: body });
    proc.closeInput();
  }
  const expected = RESPONSE_FOR[rpc]!;
  const response = await next(rpc);
  if (response.type !== expected) {
    proc.fail(new ConnectorProtocolError(`expected a ${expected} response to ${rpc}, got ${response.type}`));
  }
  const timer = setTimeout(() => proc.fail(new ConnectorProtocolError(`connector did not exit within ${EXIT_GRACE_MS / 1000}s of answering ${rpc}`)), EXIT_GRACE_MS);
  const outcome = await closed;
  clearTimeout(timer);
  const error = proc.errorFor(outcome);
  if (error) throw error;
  if (responses.length > 2) {
    throw new ConnectorProtocolError(`connector sent ${responses.length - 1} responses to ${rpc}; expected exactly one followed by EOF`);
  }
  return response as Extract<ConnectorResponse, { type: T }>;
}

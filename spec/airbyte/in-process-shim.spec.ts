import { expect } from 'chai';
import { AirbyteSourceLogger } from 'faros-airbyte-cdk';
import { airbyteShim } from '../../src/airbyte';
import { decodeFarosState } from '../../src/airbyte/in-process-source';
import { FakerSource } from '../../sample-connectors/airbyte-faker/source';
import { runCli } from '../helpers/cli-process';
import { serveShim, transcript } from './shim-harness';

const open = (config: Record<string, unknown>, state?: unknown) => ({
  open: {
    capture: {
      name: 'acmeCo/faker',
      config,
      bindings: [
        { resourceConfig: { stream: 'customers', syncMode: 'incremental', cursorField: ['updated_at'] }, collection: { name: 'acmeCo/customers', key: ['/id'] }, stateKey: 'customers' },
        { resourceConfig: { stream: 'orders', syncMode: 'full_refresh' }, collection: { name: 'acmeCo/orders', key: ['/_meta/row_id'] }, stateKey: 'orders' },
      ],
    },
    ...(state !== undefined ? { state } : {}),
  },
});

describe('airbyteShim({ source }): a faros-airbyte-cdk source in-process', () => {
  it('answers spec and discover from the source', async () => {
    const shim = airbyteShim({ source: new FakerSource(new AirbyteSourceLogger()) });
    const { messages, error } = await serveShim(shim, [{ spec: {} }, { discover: { config: {} } }]);
    expect(error).to.equal(undefined);
    expect(messages[0]!.spec.documentationUrl).to.equal('https://github.com/faros-ai/airbyte-connectors');
    expect(messages[0]!.spec.configSchema.properties).to.have.keys('customers', 'orders');
    const [customers, orders] = messages[1]!.discovered.bindings;
    expect(customers).to.deep.include({ recommendedName: 'customers', key: ['/id'], resourceConfig: { stream: 'customers', syncMode: 'incremental', cursorField: ['updated_at'] } });
    expect(orders).to.deep.include({ recommendedName: 'orders', key: ['/_meta/row_id'], resourceConfig: { stream: 'orders', syncMode: 'full_refresh' } });
  });

  it('captures records, checkpoints faros legacy states, routes its logger to Flow logs, and resumes', async () => {
    const first = await serveShim(airbyteShim({ source: new FakerSource(new AirbyteSourceLogger()) }), [open({ customers: 12, orders: 2 })]);
    expect(first.error).to.equal(undefined);
    const docs = transcript(first.messages).filter(Array.isArray) as [number, Record<string, any>][];
    expect(docs.filter(([b]) => b === 0).map(([, d]) => d.id)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(docs.filter(([b]) => b === 1).map(([, d]) => d._meta)).to.deep.equal([
      { op: 'u', row_id: 0 },
      { op: 'u', row_id: 1 },
    ]);
    // faros writes logs to process.stdout; here they arrive as Flow logs instead.
    expect(first.logs.some((l) => l.msg === 'Finished syncing customers stream. Read 12 records')).to.equal(true);
    const last = first.messages.filter((m) => m.checkpoint).pop()!.checkpoint.state.updated;
    expect(last.bindingStateV1.customers.rowId).to.equal(12);
    expect(last.bindingStateV1.customers.state.type).to.equal('LEGACY');
    expect(decodeFarosState(last.bindingStateV1.customers.state.data)).to.deep.include({ customers: { next_id: 13 } });

    const second = await serveShim(airbyteShim({ source: new FakerSource(new AirbyteSourceLogger()) }), [open({ customers: 14, orders: 1 }, last)]);
    expect(second.error).to.equal(undefined);
    const again = transcript(second.messages).filter(Array.isArray) as [number, Record<string, any>][];
    expect(again.filter(([b]) => b === 0).map(([, d]) => [d.id, d._meta.row_id])).to.deep.equal([
      [13, 12],
      [14, 13],
    ]);
  });

  it('previews the sample connector at once with estuary preview', async () => {
    const r = await runCli(['preview', 'sample-connectors/airbyte-faker', '--config', 'sample-connectors/airbyte-faker/config.yaml']);
    expect(r.code).to.equal(0);
    const docs = r.stdout.filter((l) => l.startsWith('["acmeCo/')).map((l) => JSON.parse(l) as [string, Record<string, any>]);
    expect(docs.filter(([c]) => c === 'acmeCo/customers')).to.have.length(25);
    expect(docs.filter(([c]) => c === 'acmeCo/orders')).to.have.length(5);
  });
});

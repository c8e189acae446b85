/**
 * Runs the connector against the mock API under estuary-cdk's local stand-in for the Flow runtime,
 * as `estuary preview` does: the config and every document are validated against their schemas.
 *
 *   npx estuary test      (the same as: node --import estuary-cdk/register --test connector.spec.ts)
 *
 * estuary-cdk/register compiles TypeScript as `estuary run` does, with the decorator metadata that
 * constructor injection needs (tsx and esbuild emit none, so connector classes loaded by them fail),
 * in a CommonJS or an ESM ("type": "module") project.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareCaptureRecords, connectorCommand, runPreview } from 'estuary-cdk/testing';
import { DEMO_CATEGORIES, DEMO_ITEMS, startMockApi, type MockApi } from './mock-api';

/** The items cursor once every demo item is captured (whole seconds, as the state stores datetimes). */
const LAST_CURSOR = DEMO_ITEMS[DEMO_ITEMS.length - 1]!.updated_at.replace('.000Z', 'Z');

describe('__ConnectorClass__', () => {
  let api: MockApi;
  before(async () => {
    api = await startMockApi({ apiKey: 'test-key' });
  });
  after(() => api.close());

  it('captures items and categories from the API', async () => {
    const result = await runPreview({
      command: connectorCommand(__dirname),
      config: { base_url: api.url, api_key: 'test-key' },
      // One session, ended by the transaction after which the last item's cursor and the categories
      // snapshot are committed: no fixed delay, so a slow machine only takes longer.
      sessions: -1,
      until: (state) => {
        const bindings = (state as { bindingStateV1?: Record<string, { inc?: { cursor?: string }; snapshot?: unknown }> }).bindingStateV1;
        return bindings?.items?.inc?.cursor === LAST_CURSOR && bindings.categories?.snapshot !== undefined;
      },
    });

    const expected = [
      ...DEMO_ITEMS.map((i) => ['acmeCo/items', { id: i.id, price: i.price, updated_at: i.updated_at }]),
      ...DEMO_CATEGORIES.map((c, row) => ['acmeCo/categories', { _meta: { op: 'c', row_id: row }, name: c.name }]),
    ];
    // Documents of several transactions: compare each collection's in capture order.
    const order = ['acmeCo/items', 'acmeCo/categories'];
    const actual = result.lines.map((line) => JSON.parse(line) as [string, unknown]).sort((x, y) => order.indexOf(x[0]) - order.indexOf(y[0]));
    assert.deepEqual(compareCaptureRecords(expected, actual), []);

    // The next session resumes after the last item.
    const state = result.state as { bindingStateV1: Record<string, { inc?: { cursor: string } }> };
    assert.equal(state.bindingStateV1.items?.inc?.cursor, LAST_CURSOR);
    assert.ok(api.requests.some((r) => r.startsWith('GET /items?updated_after=2024-01-01T00%3A00%3A00.000Z')));
  });
});

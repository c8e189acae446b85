import { expect } from 'chai';
import { IsInt, IsISO8601, IsString } from 'class-validator';
import { Auth, Backfill, BaseDocument, CaptureError, Connector, HttpClient, Incremental, injectable, Resource, Secret, TokenSource } from '../../src';
import { clearMetadata, MockAgent } from '../../src/testing';
import { runConnectorInProcess } from '../../src/harness/in-process';
import { sendJson, startServer, type TestServer } from '../common/http/test-server';

/** Orders 1..n, updated a minute apart from 2024-01-01; the API filters and pages them. */
function ordersApi(n: number, token = 'secret-token'): Promise<TestServer> {
  const orders = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    status: i % 2 === 0 ? 'open' : 'paid',
    updated_at: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
  }));
  return startServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, { error: 'bad token' });
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/orders') {
      const after = url.searchParams.get('updated_after') ?? '';
      return sendJson(res, 200, orders.filter((o) => o.updated_at > after).slice(0, 2));
    }
    if (url.pathname === '/orders/pages') {
      const page = Number(url.searchParams.get('page') ?? '0');
      return sendJson(res, 200, { orders: orders.slice(page * 2, page * 2 + 2), next: page * 2 + 2 < n ? page + 1 : null });
    }
    return sendJson(res, 404, {});
  });
}

describe('runConnectorInProcess', () => {
  beforeEach(() => clearMetadata());

  /** A connector over the orders API, declared afresh in each test. */
  function declareShop(options: { failOn?: number; wrongType?: boolean } = {}) {
    class Config {
      @IsString() base_url!: string;
      @Secret() @IsString() api_key!: string;
    }
    class Order extends BaseDocument {
      @IsInt() id!: number;
      @IsString() status!: string;
      @IsISO8601() updated_at!: string;
    }
    @injectable()
    class ShopApi {
      constructor(
        private readonly http: HttpClient,
        private readonly config: Config,
      ) {}
      changedAfter(since: Date): Promise<Order[]> {
        return this.http.requestJson(`${this.config.base_url}/orders`, { query: { updated_after: since.toISOString() } });
      }
      page(n: number): Promise<{ orders: Order[]; next: number | null }> {
        return this.http.requestJson(`${this.config.base_url}/orders/pages`, { query: { page: n } });
      }
    }
    @Resource({ name: 'orders', key: ['/id'], document: Order, interval: 'PT1H' })
    class Orders {
      constructor(private readonly api: ShopApi) {}

      @Incremental({ cursor: 'datetime', initial: () => new Date('2023-12-31T00:00:00Z') })
      async *changes(since: Date): AsyncIterable<Order | Date> {
        const orders = await this.api.changedAfter(since);
        if (orders.length === 0) return;
        for (const o of orders) {
          if (o.id === options.failOn) throw new Error(`order ${o.id} is broken`);
          // eslint-disable-next-line @typescript-eslint/no-misused-spread -- builds a deliberately wrong plain document
          yield options.wrongType ? ({ ...o, id: String(o.id) } as unknown as Order) : o;
        }
        yield new Date(orders[orders.length - 1]!.updated_at);
      }
    }
    @Resource({ name: 'order_pages', key: ['/id'], document: Order })
    class OrderPages {
      constructor(private readonly api: ShopApi) {}

      @Backfill({ cutoff: () => new Date('2030-01-01T00:00:00Z') })
      async *pages(page: number | undefined): AsyncIterable<Order | number> {
        const { orders, next } = await this.api.page(page ?? 0);
        yield* orders;
        if (next !== null) yield next;
      }
    }
    @Connector({ config: Config, resources: [Orders, OrderPages] })
    class Shop {
      @Auth() auth(config: Config): TokenSource {
        return TokenSource.accessToken(config.api_key);
      }
    }
    return Shop;
  }

  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('captures from a local API until the condition holds and returns documents, checkpoints, merged state and logs', async () => {
    server = await ordersApi(5);
    const Shop = declareShop();
    const run = await runConnectorInProcess(Shop, {
      config: { base_url: server.url, api_key: 'secret-token' },
      bindings: ['orders'],
      until: (p) => (p.documents.get('orders')?.length ?? 0) >= 5,
    });
    expect(run.documents.get('orders')!.map((d) => d.id)).to.deep.equal([1, 2, 3, 4, 5]);
    expect([...run.documents.keys()]).to.deep.equal(['orders']);
    // One checkpoint initializes the binding, then one per page of two.
    expect(run.checkpoints).to.have.length(4);
    expect(run.checkpoints.every((c) => c.mergePatch)).to.equal(true);
    const binding = (run.state as any).bindingStateV1.orders;
    expect(binding.inc).to.deep.equal({ cursor: '2024-01-01T00:04:00Z' });
    expect(binding.last_initialized).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer secret-token')).to.equal(true);
    expect(run.logs.some((l) => l.msg === 'resuming incremental replication')).to.equal(true);
    // The secret never reaches a log line.
    expect(JSON.stringify(run.logs)).not.to.include('secret-token');
  });

  it('resumes from the state of a previous run', async () => {
    server = await ordersApi(3);
    const Shop = declareShop();
    const config = { base_url: server.url, api_key: 'secret-token' };
    const first = await runConnectorInProcess(Shop, { config, bindings: ['orders'], maxCheckpoints: 2 });
    expect(first.documents.get('orders')!.map((d) => d.id)).to.deep.equal([1, 2]);
    expect(first.checkpoints).to.have.length(2);
    const second = await runConnectorInProcess(Shop, { config, bindings: ['orders'], state: first.state, maxCheckpoints: 1 });
    expect(second.documents.get('orders')!.map((d) => d.id)).to.deep.equal([3]);
    expect((second.state as any).bindingStateV1.orders.inc.cursor).to.equal('2024-01-01T00:02:00Z');
  });

  it('runs every discovered binding by default and returns once a backfill-only capture finishes on its own', async () => {
    server = await ordersApi(5);
    const Shop = declareShop();
    const run = await runConnectorInProcess(Shop, {
      config: { base_url: server.url, api_key: 'secret-token' },
      bindings: [{ resourceConfig: { name: 'order_pages' }, collection: 'test/pages' }],
    });
    expect(run.documents.get('order_pages')!.map((d) => d.id)).to.deep.equal([1, 2, 3, 4, 5]);
    expect((run.state as any).bindingStateV1.order_pages.backfill).to.equal(undefined);
    expect(run.checkpoints.at(-1)!.updated).to.deep.equal({ bindingStateV1: { order_pages: { backfill: null } } });

    const all = await runConnectorInProcess(Shop, {
      config: { base_url: server.url, api_key: 'secret-token' },
      until: (p) => (p.documents.get('orders')?.length ?? 0) >= 5 && (p.documents.get('order_pages')?.length ?? 0) >= 5,
    });
    expect([...all.documents.keys()].sort()).to.deep.equal(['order_pages', 'orders']);
  });

  it('rejects with the connector error when a strategy fails', async () => {
    server = await ordersApi(3);
    const Shop = declareShop({ failOn: 2 });
    const err = await runConnectorInProcess(Shop, { config: { base_url: server.url, api_key: 'secret-token' }, bindings: ['orders'], maxCheckpoints: 10 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(CaptureError);
    expect((err as Error).message)
      .to.include('orders.incremental')
      .and.to.include('order 2 is broken');
  });

  it('checks documents against their model before they are written', async () => {
    server = await ordersApi(3);
    const Shop = declareShop({ wrongType: true });
    const err = await runConnectorInProcess(Shop, { config: { base_url: server.url, api_key: 'secret-token' }, bindings: ['orders'], maxCheckpoints: 10 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // The connector's own check fails first, naming the resource, the document's key and the field.
    expect(err?.message).to.match(/resource 'orders': document with key \[.+\] has field \/id = .+, but its model declares integer/);
  });

  it('names unknown bindings and bad configs', async () => {
    server = await ordersApi(1);
    const Shop = declareShop();
    const unknown = await runConnectorInProcess(Shop, { config: { base_url: server.url, api_key: 'k' }, bindings: ['refunds'] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(unknown?.message).to.include("resource 'refunds' was not discovered (discovered: orders, order_pages)");
    const badConfig = await runConnectorInProcess(Shop, { config: { base_url: server.url }, bindings: ['orders'] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(badConfig?.message).to.include('api_key');
  });

  it('fails with a timeout when the stop condition never holds', async () => {
    server = await ordersApi(1);
    const Shop = declareShop();
    const err = await runConnectorInProcess(Shop, {
      config: { base_url: server.url, api_key: 'secret-token' },
      bindings: ['orders'],
      until: () => false,
      timeoutMs: 300,
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).to.include('did not reach its stop condition within 300 ms');
  });

  it('routes requests through a MockAgent dispatcher', async () => {
    const Shop = declareShop();
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://shop.test');
    pool
      .intercept({ path: (p) => p.startsWith('/orders?updated_after=2023'), method: 'GET' })
      .reply(200, [{ id: 7, status: 'open', updated_at: '2024-02-01T00:00:00.000Z' }], { headers: { 'content-type': 'application/json' } });
    pool
      .intercept({ path: (p) => p.startsWith('/orders?'), method: 'GET' })
      .reply(200, [], { headers: { 'content-type': 'application/json' } })
      .persist();
    try {
      const run = await runConnectorInProcess(Shop, {
        config: { base_url: 'http://shop.test', api_key: 'k' },
        bindings: ['orders'],
        dispatcher: agent,
        maxCheckpoints: 2,
      });
      expect(run.documents.get('orders')!.map((d) => d.id)).to.deep.equal([7]);
    } finally {
      await agent.close();
    }
  });
});

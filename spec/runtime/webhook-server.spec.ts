import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import * as net from 'node:net';
import { IsString } from 'class-validator';
import { Connector, Model, OneOf, WEBHOOK_AUTH_MODELS, Webhook, WebhookDocument, type WebhookAuth } from '../../src';
import { buildConnector, clearMetadata, postWebhook } from '../../src/testing';
import { startWebhookCapture, type WebhookCapture } from '../helpers/webhook-harness';
import { captured } from '../helpers/serve-harness';

class Config {}

/** Three webhook resources with rules of every kind, bound 0..3. */
function routedConnector(): { cls: new () => unknown; bindings: { name: string; key: string[] }[] } {
  @Model({ additionalProperties: true })
  class Order extends WebhookDocument {
    @IsString() id!: string;
  }
  @Webhook({ name: 'all', match: '*' })
  class All {}
  @Webhook({ name: 'orders', document: Order, key: ['/id'], match: '/shops/{shop}/orders' })
  class Orders {}
  @Webhook({ name: 'topic', match: { header: 'X-Topic', value: 'refunds' } })
  class Topic {}
  @Webhook({ name: 'kind', match: { body: 'event.kind', value: 'ping' } })
  class Kind {}
  @Connector({ config: Config, resources: [All, Orders, Topic, Kind] })
  class C {}
  return {
    cls: C,
    bindings: [
      { name: 'all', key: ['/_meta/webhookId'] },
      { name: 'orders', key: ['/id'] },
      { name: 'topic', key: ['/_meta/webhookId'] },
      { name: 'kind', key: ['/_meta/webhookId'] },
    ],
  };
}

describe('webhook captures over a loopback server', () => {
  let cap: WebhookCapture | undefined;
  beforeEach(() => clearMetadata());
  afterEach(async () => {
    await cap?.stop();
    cap = undefined;
  });

  it('routes each document to the most specific matching binding and records _meta as Python does', async () => {
    const { cls, bindings } = routedConnector();
    cap = await startWebhookCapture(cls, bindings, { autoAck: true });
    // A header rule beats a body rule beats a URL pattern beats '*'.
    expect((await postWebhook(cap.port, '/shops/s1/orders?x=1', { id: 'o1', event: { kind: 'ping' } }, { headers: { 'X-Topic': 'refunds' } })).status).to.equal(200);
    expect((await postWebhook(cap.port, '/shops/s1/orders', [{ id: 'o2', event: { kind: 'ping' } }, { id: 'o3' }])).body).to.deep.equal({ published: 2 });
    expect((await postWebhook(cap.port, '/other', { anything: true })).status).to.equal(200);
    expect(captured(cap.messages, 2).map((d) => d.id)).to.deep.equal(['o1']);
    expect(captured(cap.messages, 3).map((d) => d.id)).to.deep.equal(['o2']);
    expect(captured(cap.messages, 1).map((d) => d.id)).to.deep.equal(['o3']);
    expect(captured(cap.messages, 0).map((d) => d.anything)).to.deep.equal([true]);
    const meta = captured(cap.messages, 2)[0]!._meta;
    expect(meta.op).to.equal('u');
    expect(meta.headers['X-Topic']).to.equal('refunds');
    expect(meta.reqPath).to.equal('/shops/s1/orders');
    expect(meta.queryParams).to.deep.equal({ x: '1' });
    expect(meta.webhookId).to.match(/^[0-9a-f-]{36}$/);
    expect(captured(cap.messages, 1)[0]!._meta.pathParams).to.deep.equal({ path: 'shops/s1/orders', shop: 's1' });
    expect(captured(cap.messages, 1)[0]!._meta.webhookId).to.equal(undefined);
  });

  it('answers 400 for non-JSON and non-objects, 404 without a match (logging names, not values), 400 naming a missing key, 413 past the limit', async () => {
    @Webhook({ name: 'orders', key: ['/id'], match: '/orders' })
    class Orders {}
    @Connector({ config: Config, resources: [Orders] })
    class C {}
    cap = await startWebhookCapture(C, [{ name: 'orders', key: ['/id'] }], { autoAck: true });
    expect((await postWebhook(cap.port, '/orders', 'not json')).status).to.equal(400);
    expect((await postWebhook(cap.port, '/orders', [1, 2])).status).to.equal(400);
    const miss = await postWebhook(cap.port, '/nope', { secretValue: 'hunter2' }, { headers: { 'X-Custom': 'v' } });
    expect(miss.status).to.equal(404);
    const line = cap.logs.find((l) => l.msg === 'No handler found for incoming webhook request')!;
    expect(line.fields).to.deep.include({ path: '/nope', body_keys: ['secretValue'] });
    expect(line.fields.header_names).to.include('x-custom');
    expect(JSON.stringify(cap.logs)).not.to.contain('hunter2');
    const noKey = await postWebhook(cap.port, '/orders', { name: 'x' });
    expect(noKey.status).to.equal(400);
    expect(String(noKey.body.error)).to.contain('/id');
    const big = await postWebhook(cap.port, '/orders', { id: 'x', pad: 'x'.repeat(11 * 1024 * 1024) }).catch((e: unknown) => ({ status: -1, body: { e: (e as Error).message } }));
    expect([413, -1]).to.include(big.status);
    expect(captured(cap.messages)).to.deep.equal([]);
  });

  it('answers 200 only after Flow acknowledged the checkpoint holding the documents', async () => {
    @Webhook({ name: 'events' })
    class Events {}
    @Connector({ config: Config, resources: [Events] })
    class C {}
    cap = await startWebhookCapture(C, [{ name: 'events', key: ['/_meta/webhookId'] }]);
    await cap.checkpointsWritten(1);
    cap.ackAll(); // the binding's initial state
    let answered = false;
    const reply = postWebhook(cap.port, '/', { n: 1 }).then((r) => ((answered = true), r));
    await cap.checkpointsWritten(2);
    expect(captured(cap.messages)).to.have.length(1);
    // Written but not acknowledged: a turn of the event loop later, still no answer.
    await new Promise((r) => setImmediate(r));
    expect(answered).to.equal(false);
    cap.ackAll();
    expect((await reply).body).to.deep.equal({ published: 1 });
  });

  it('answers 503, never 200, to requests whose checkpoint was not acknowledged when Flow stops the capture', async () => {
    @Webhook({ name: 'events' })
    class Events {}
    @Connector({ config: Config, resources: [Events] })
    class C {}
    cap = await startWebhookCapture(C, [{ name: 'events', key: ['/_meta/webhookId'] }]);
    await cap.checkpointsWritten(1);
    cap.ackAll();
    const inFlight = Promise.all([postWebhook(cap.port, '/', { n: 1 }), postWebhook(cap.port, '/', { n: 2 })]);
    await cap.checkpointsWritten(2);
    const err = await cap.stop();
    cap = undefined;
    expect(err).to.equal(undefined);
    for (const r of await inFlight) expect(r.status).to.equal(503);
  });

  it('authenticates with a bearer token or an HMAC signature with a timestamp window, and keeps the token out of documents', async () => {
    class AuthConfig {
      @OneOf(WEBHOOK_AUTH_MODELS, { discriminator: 'auth_type' })
      webhook_auth!: WebhookAuth;
    }
    @Webhook({ name: 'events' })
    class Events {}
    @Connector({ config: AuthConfig, resources: [Events] })
    class C {}
    cap = await startWebhookCapture(C, [{ name: 'events', key: ['/_meta/webhookId'] }], { autoAck: true, config: { webhook_auth: { auth_type: 'Bearer Token', token: 's3cret' } } });
    expect((await postWebhook(cap.port, '/', { a: 1 })).status).to.equal(401);
    expect((await postWebhook(cap.port, '/', { a: 1 }, { headers: { authorization: 'Bearer wrong' } })).status).to.equal(401);
    expect((await postWebhook(cap.port, '/', { a: 1 }, { headers: { authorization: 'Bearer s3cret' } })).status).to.equal(200);
    expect(JSON.stringify(cap.messages)).not.to.contain('s3cret');
    expect(JSON.stringify(cap.logs)).not.to.contain('s3cret');
    await cap.stop();

    clearMetadata();
    @Webhook({ name: 'events' })
    class Events2 {}
    @Connector({ config: AuthConfig, resources: [Events2] })
    class C2 {}
    const hmac = { auth_type: 'HMAC Signature', secret: 'k3y', signature_header: 'X-Sig', signature_prefix: 'sha256=', timestamp_header: 'X-Ts', tolerance_seconds: 60 };
    cap = await startWebhookCapture(C2, [{ name: 'events', key: ['/_meta/webhookId'] }], { autoAck: true, config: { webhook_auth: hmac } });
    const body = JSON.stringify({ a: 2 });
    const sign = (ts: number, b: string): string => 'sha256=' + createHmac('sha256', 'k3y').update(`${ts}.${b}`).digest('hex');
    const now = Math.floor(Date.now() / 1000);
    expect((await postWebhook(cap.port, '/', body, { headers: { 'X-Ts': String(now), 'X-Sig': sign(now, body) } })).status).to.equal(200);
    expect((await postWebhook(cap.port, '/', body, { headers: { 'X-Ts': String(now), 'X-Sig': sign(now, body + ' ') } })).status).to.equal(401);
    expect((await postWebhook(cap.port, '/', body, { headers: { 'X-Ts': String(now - 600), 'X-Sig': sign(now - 600, body) } })).status).to.equal(401);
    expect((await postWebhook(cap.port, '/', body)).status).to.equal(401);
    expect(captured(cap.messages)).to.have.length(1);
  });

  it('fails the capture with one line when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, r));
    const taken = (blocker.address() as net.AddressInfo).port;
    @Webhook({ name: 'events' })
    class Events {}
    @Connector({ config: Config, resources: [Events] })
    class C {}
    try {
      const err = await startWebhookCapture(C, [{ name: 'events', key: ['/_meta/webhookId'] }], { port: taken }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).to.match(new RegExp(`webhook server cannot listen on port ${taken}: EADDRINUSE; free the port or set ESTUARY_WEBHOOK_PORT`));
    } finally {
      blocker.close();
    }
  });

  it('reports conflicting rules naming both resources, and creates one binding per discriminator value', () => {
    @Webhook({ name: 'a', match: '/x/{id}' })
    class A {}
    @Webhook({ name: 'b', match: '/{kind}/y' })
    class B {}
    @Webhook({ name: 'c', match: { header: 'X-T', value: 'v' } })
    class Cc {}
    @Webhook({ name: 'd', match: { header: 'x-t', value: 'v' } })
    class D {}
    @Webhook({ name: 'e', match: 'no-slash' })
    class E {}
    @Connector({ config: Config, resources: [A, B, Cc, D, E] })
    class C {}
    expect(() => buildConnector(C)).to.throw(/E @Webhook: URL pattern "no-slash" must start with '\/'/);
    clearMetadata();
    @Webhook({ name: 'a', match: '/x/{id}' })
    class A2 {}
    @Webhook({ name: 'b', match: '/{kind}/y' })
    class B2 {}
    @Webhook({ name: 'c', match: { header: 'X-T', value: 'v' } })
    class C3 {}
    @Webhook({ name: 'd', match: { header: 'x-t', value: 'v' } })
    class D2 {}
    @Connector({ config: Config, resources: [A2, B2, C3, D2] })
    class K {}
    let message = '';
    try {
      buildConnector(K);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.contain("webhook resources 'a' and 'b' conflict: URL patterns '/x/{id}' and '/{kind}/y' match the same URLs");
    expect(message).to.contain("webhook resources 'c' and 'd' conflict");
    clearMetadata();
    @Webhook({ name: 'events', match: { header: 'X-Event', values: ['created', 'deleted'] } })
    class Events {}
    @Connector({ config: Config, resources: [Events] })
    class K2 {}
    const def = buildConnector(K2);
    expect(def.resources.map((r) => [r.name, r.webhook?.rule])).to.deep.equal([
      ['events_created', { type: 'header', key: 'X-Event', value: 'created' }],
      ['events_deleted', { type: 'header', key: 'X-Event', value: 'deleted' }],
    ]);
  });
});

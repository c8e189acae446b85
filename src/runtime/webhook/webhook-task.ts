import { CaptureError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { routingOrder } from '../../build/webhook-builder';
import type { ResolvedBinding } from '../resolve-resources';
import { compileDocumentCheck } from '../capture/document-check';
import type { StopSignal } from '../capture/stop-signal';
import type { Transactor } from '../capture/transactor';
import { authFromConfig } from './webhook-auth';
import { WebhookPublisher } from './webhook-publisher';
import { DEFAULT_WEBHOOK_PORT, WEBHOOK_PORT_ENV, WebhookServer, type WebhookRoute } from './webhook-server';

/** What the webhook task needs from its capture session. */
export interface WebhookTaskContext {
  readonly bindings: readonly ResolvedBinding[];
  readonly config: unknown;
  readonly transactor: Transactor;
  readonly stop: StopSignal;
  readonly log: Logger;
  /** Resolves when every other task of the session has returned. */
  readonly othersDone: () => Promise<void>;
}

/** The port to listen on: `ESTUARY_WEBHOOK_PORT` when set (0 = any free port), else 8080. */
export function webhookPort(env: NodeJS.ProcessEnv = process.env): number {
  const v = env[WEBHOOK_PORT_ENV];
  if (v === undefined || v.trim() === '') return DEFAULT_WEBHOOK_PORT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CaptureError(`${WEBHOOK_PORT_ENV}=${v} is not a port number; set it to 0-65535 (0 picks a free port)`, { code: 'WEBHOOK_PORT' });
  return n;
}

/**
 * The `capture.webhook-server` task: serves webhook bindings until a stop is requested and every
 * other task has returned (as Python keeps listening while they drain), then answers 503 to new
 * requests while the ones in flight finish, and returns.
 */
export async function runWebhookServer(ctx: WebhookTaskContext): Promise<void> {
  const routes: WebhookRoute[] = [];
  for (const [index, rb] of ctx.bindings.entries()) {
    const hook = rb.resource.def.webhook;
    if (hook === undefined) continue;
    const key = rb.spec.collection.key;
    routes.push({
      binding: index,
      name: rb.resource.name,
      rule: hook.rule,
      document: rb.resource.def.document,
      check: compileDocumentCheck(rb.resource.name, rb.resource.schema, key),
      needsWebhookId: key.includes('/_meta/webhookId'),
    });
  }
  const publisher = new WebhookPublisher(ctx.transactor, () => ctx.transactor.acksEnded);
  const server = new WebhookServer({ routes: routingOrder(routes), auth: authFromConfig(ctx.config), publisher, log: ctx.log });
  const port = await server.listen(webhookPort());
  ctx.log.info({ port, bindings: routes.map((r) => ({ index: r.binding, name: r.name })) }, `webhook server listening on port ${port}`);
  await ctx.stop.wait();
  await ctx.othersDone();
  ctx.log.debug('webhook server is yielding to stop');
  server.reject();
  // Past the stop deadline nothing more will be acknowledged: connections are cut (senders retry).
  const hard = ctx.stop.hardSignal;
  const aborted = new Promise<void>((resolve) => (hard.aborted ? resolve() : hard.addEventListener('abort', () => resolve(), { once: true })));
  await Promise.race([server.close(), aborted]);
  server.destroy();
}

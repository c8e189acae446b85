import { metadata, type Class } from '../common/metadata';
import type { WebhookDiscriminator, WebhookMatchRule } from '../common/webhook-match';

/** Options of {@link Webhook}. */
export interface WebhookOptions {
  /** Resource name; with a discriminator, the prefix of each binding's name (`<name>_<value>`). */
  name: string;
  /** The document model; extend `WebhookDocument` so `_meta` (headers, path) is declared. */
  document?: Class;
  /** Collection key as JSON pointers; `['/_meta/webhookId']` (a fresh UUID per document) when omitted. */
  key?: string[];
  /**
   * Which requests this resource receives: a URL pattern (`'/orders/{id}'`, `'*'` for all, the
   * default), `{ header, value }`, `{ body: 'event.type', value }`, or a discriminator listing
   * several values (`{ header: 'X-Event', values: ['a', 'b'] }`, `{ url: ['/a', '/b'] }`), which
   * makes one binding per value.
   */
  match?: WebhookMatchRule | WebhookDiscriminator;
  /** Whether Flow infers the schema beyond the declared one (default true). */
  schemaInference?: boolean;
  /** Discovered as disabled. */
  disable?: boolean;
}

/**
 * Declares a webhook resource: its documents arrive as HTTP POSTs to the connector's webhook server
 * rather than from a strategy. A sender receives `200 {"published": n}` only once Flow has
 * committed the documents (see docs/webhooks.md).
 *
 * @example
 * @Webhook({ name: 'orders', document: OrderEvent, key: ['/id'], match: { header: 'X-Topic', value: 'orders' } })
 * export class OrderHooks {}
 */
export function Webhook(options: WebhookOptions): ClassDecorator {
  return (target) => {
    const o = options as Partial<WebhookOptions>;
    // Recorded as given; buildConnector checks the options and reports every problem at once.
    metadata.setResource({
      target: target as unknown as Class,
      ...(o.name !== undefined ? { name: o.name } : {}),
      key: o.key !== undefined ? (Array.isArray(o.key) ? [...o.key] : o.key) : ['/_meta/webhookId'],
      ...(o.document !== undefined ? { document: o.document } : {}),
      interval: 'PT0S',
      schemaInference: o.schemaInference ?? true,
      disable: o.disable ?? false,
      explicitAcks: true,
      webhook: { match: o.match ?? '*' },
    });
  };
}

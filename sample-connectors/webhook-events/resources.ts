import { Webhook } from 'estuary-cdk';
import { OrderEvent } from './models';

/** Order events posted to /orders/{shop}, keyed on the order id. */
@Webhook({ name: 'orders', document: OrderEvent, key: ['/id'], match: '/orders/{shop}' })
export class Orders {}

/** Anything with an `X-Event: refund` header, whatever its path. */
@Webhook({ name: 'refunds', match: { header: 'X-Event', value: 'refund' } })
export class Refunds {}

/** Everything else. */
@Webhook({ name: 'other', match: '*' })
export class Other {}

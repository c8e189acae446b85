import { Connector } from 'estuary-cdk';
import { EndpointConfig } from './models';
import { Orders, Other, Refunds } from './resources';

/** A webhook capture: three bindings routed by URL pattern, header and catch-all. */
@Connector({
  config: EndpointConfig,
  resources: [Orders, Refunds, Other],
  documentationUrl: 'https://github.com/estuary/connectors',
})
export class WebhookEvents {}

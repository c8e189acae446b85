import { Connector } from 'estuary-cdk';
import { EndpointConfig } from './models';
import { Greetings } from './resources';

/** The smallest complete connector: one incremental resource, no network. */
@Connector({
  config: EndpointConfig,
  resources: [Greetings],
  documentationUrl: 'https://github.com/estuary/connectors',
})
export class HelloWorld {}

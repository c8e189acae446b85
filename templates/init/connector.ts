import { Connector, TokenSource } from 'estuary-cdk';
import { Auth, EndpointConfig } from './models';
import { Categories, Items } from './resources';

/** The connector: its config model, its resources, and how requests are authorized. */
@Connector({
  config: EndpointConfig,
  resources: [Items, Categories],
  documentationUrl: 'https://docs.estuary.dev',
})
export class __ConnectorClass__ {
  /** Every request of the injected HttpClient carries `Authorization: Bearer <api_key>`. */
  @Auth()
  auth(config: EndpointConfig): TokenSource {
    return TokenSource.accessToken(config.api_key);
  }
}

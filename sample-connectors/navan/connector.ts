import { CdkError, Connector, HttpError, TokenError, TokenSource } from 'estuary-cdk';
import { NavanApi, tokenUrl } from './api';
import { Auth, EndpointConfig, ValidateConnection } from './models';
import { Bookings } from './resources';

/** Navan bookings: OAuth2 client credentials (sent in a Basic header), backfill plus incremental. */
@Connector({
  config: EndpointConfig,
  resources: [Bookings],
  documentationUrl: 'https://go.estuary.dev/source-navan',
})
export class Navan {
  constructor(private readonly api: NavanApi) {}

  @Auth()
  auth(config: EndpointConfig): TokenSource {
    return TokenSource.clientCredentials(config.credentials, { tokenUrl: tokenUrl(config), clientCredentialsIn: 'header' });
  }

  /** Fetches a token and one booking, so that wrong credentials fail when the capture is published. */
  @ValidateConnection()
  async validate(): Promise<void> {
    try {
      await this.api.probe();
    } catch (err) {
      if (err instanceof TokenError || (err instanceof HttpError && (err.status === 401 || err.status === 403))) {
        throw new CdkError('INVALID_CREDENTIALS', `Invalid credentials: check the client id and secret. ${err.message}`, { cause: err, userError: true });
      }
      throw err;
    }
  }
}

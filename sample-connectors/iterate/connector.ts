import { Auth, CdkError, Connector, HttpError, TokenSource, ValidateConnection } from 'estuary-cdk';
import { IterateApi } from './api';
import { EndpointConfig } from './models';
import { SurveyResponses, Surveys } from './resources';

/** Iterate surveys and their responses, captured as snapshots with an API key. */
@Connector({
  config: EndpointConfig,
  resources: [Surveys, SurveyResponses],
  documentationUrl: 'https://go.estuary.dev/source-iterate',
})
export class Iterate {
  constructor(private readonly api: IterateApi) {}

  @Auth()
  auth(config: EndpointConfig): TokenSource {
    return TokenSource.accessToken(config.credentials, { header: 'x-api-key' });
  }

  /** Lists the surveys once, so that a wrong key fails when the capture is published. */
  @ValidateConnection()
  async validate(): Promise<void> {
    try {
      await this.api.surveys();
    } catch (err) {
      const invalid = err instanceof HttpError && (err.status === 401 || err.status === 403);
      const message = invalid
        ? `Invalid credentials. Please confirm the provided API key is correct. ${err.message}`
        : `Encountered an error validating credentials: ${err instanceof Error ? err.message : String(err)}`;
      throw new CdkError(invalid ? 'INVALID_CREDENTIALS' : 'VALIDATION_FAILED', message, { cause: err, userError: true });
    }
  }
}

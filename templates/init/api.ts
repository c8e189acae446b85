import { HttpClient, injectable } from 'estuary-cdk';
import { startMockApi } from './mock-api';
import { Category, EndpointConfig, Item } from './models';

let demoApi: Promise<string> | undefined;

/** The URL of the demo API, started inside this process on first use (delete this with mock-api.ts). */
function demoApiUrl(): Promise<string> {
  demoApi ??= startMockApi().then((api) => api.url);
  return demoApi;
}

/**
 * Calls the API through estuary-cdk's shared HttpClient (retries, rate limiting, and the
 * `Authorization` header from the connector's `@Auth()` method), validating every response with
 * the document models.
 */
@injectable()
export class DemoApi {
  constructor(
    private readonly http: HttpClient,
    private readonly config: EndpointConfig,
  ) {}

  /** Items updated strictly after `since`, oldest first, at most `limit` of them. */
  async itemsUpdatedAfter(since: Date, limit: number): Promise<Item[]> {
    return this.http.requestJson(`${await this.baseUrl()}/items`, {
      query: { updated_after: since.toISOString(), limit },
      model: Item,
      array: true,
    });
  }

  /** Every category, in a stable order. */
  async categories(): Promise<Category[]> {
    return this.http.requestJson(`${await this.baseUrl()}/categories`, { model: Category, array: true });
  }

  private async baseUrl(): Promise<string> {
    const configured = this.config.base_url.replace(/\/+$/, '');
    return configured !== '' ? configured : demoApiUrl();
  }
}

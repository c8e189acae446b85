import { HttpClient, injectable, Next, paginate, Stop, type CaptureContext } from 'estuary-cdk';
import { EndpointConfig, FullRefreshResource, ITERATE_BASE_URL, SurveysResponse } from './models';

/**
 * The API version every request names (`v`), as Iterate asks: the date the integration was
 * written against, so later API changes do not break it.
 */
export const API_VERSION = 20250130;

/** Iterate's REST API; the `x-api-key` header comes from the connector's `@Auth()`. */
@injectable()
export class IterateApi {
  constructor(
    private readonly http: HttpClient,
    private readonly config: EndpointConfig,
  ) {}

  private get root(): string {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- base_url is optional in the config; `!` only satisfies strictPropertyInitialization
    return (this.config.base_url ?? ITERATE_BASE_URL).replace(/\/+$/, '');
  }

  /** Every survey (the endpoint is not paginated). */
  async surveys(signal?: AbortSignal): Promise<FullRefreshResource[]> {
    const res = await this.http.requestJson(`${this.root}/surveys`, {
      query: { v: API_VERSION },
      model: SurveysResponse,
      ...(signal !== undefined ? { signal } : {}),
    });
    return res.results;
  }

  /** Every response to one survey, following `links.next` (absent on the last page) on the same host. */
  responses(surveyId: string, ctx: CaptureContext): AsyncIterable<FullRefreshResource> {
    return paginate(this.http, {
      name: `responses of survey ${surveyId}`,
      url: `${this.root}/surveys/${encodeURIComponent(surveyId)}/responses`,
      query: { v: API_VERSION },
      items: '/results/list',
      model: FullRefreshResource,
      next: Next.url('/links/next'),
      stop: [Stop.noNext()],
      ctx,
    }).items();
  }
}

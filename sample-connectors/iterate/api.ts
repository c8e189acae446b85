import { CaptureError, HttpClient, injectable } from 'estuary-cdk';
import { EndpointConfig, FullRefreshResource, ITERATE_BASE_URL, SurveyResponsesResponse, SurveysResponse } from './models';

/**
 * The API version every request names (`v`), as Iterate asks: the date the integration was
 * written against, so later API changes do not break it.
 */
export const API_VERSION = 20250130;

/** The `page[cursor]` of a `links.next` URL. The URL's host is not followed: requests stay on `base_url`. */
export function nextPageCursor(next: string): string {
  let cursor: string | null;
  try {
    cursor = new URL(next).searchParams.get('page[cursor]');
  } catch (err) {
    throw new CaptureError(`links.next is not a URL: ${JSON.stringify(next)}`, { cause: err });
  }
  if (cursor === null || cursor === '') throw new CaptureError(`links.next has no page[cursor] parameter: ${next}`);
  return cursor;
}

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

  /** Every response to one survey, following `links.next` page by page. */
  async *responses(surveyId: string, signal?: AbortSignal): AsyncIterable<FullRefreshResource> {
    let cursor: string | undefined;
    for (;;) {
      const res: SurveyResponsesResponse = await this.http.requestJson(`${this.root}/surveys/${encodeURIComponent(surveyId)}/responses`, {
        query: { v: API_VERSION, 'page[cursor]': cursor },
        model: SurveyResponsesResponse,
        ...(signal !== undefined ? { signal } : {}),
      });
      yield* res.results.list;
      const next = res.links?.next;
      if (next === undefined || next === '') return;
      cursor = nextPageCursor(next);
    }
  }
}

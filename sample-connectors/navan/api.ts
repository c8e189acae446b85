import { HttpClient, injectable } from 'estuary-cdk';
import { Booking, BookingsResponse, EndpointConfig, NAVAN_BASE_URL } from './models';

/** What the API is asked for; Python's connector uses the same page size. */
export const PAGE_SIZE = 100;

/** The API filters on whole seconds (`2024-05-01T12:00:00Z`). */
export function formatApiTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A window of bookings by modification time; both bounds inclusive, either may be open. */
export interface BookingsQuery {
  page: number;
  pageSize?: number;
  updatedFrom?: Date;
  updatedTo?: Date;
}

function root(config: EndpointConfig): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- base_url is optional in the config; `!` only satisfies strictPropertyInitialization
  return (config.base_url ?? NAVAN_BASE_URL).replace(/\/+$/, '');
}

/** The token endpoint for a config. */
export function tokenUrl(config: EndpointConfig): string {
  return `${root(config)}/ta-auth/oauth/token`;
}

/** Navan's booking data API. Credentials come from the connector's `@Auth()` token source. */
@injectable()
export class NavanApi {
  constructor(
    private readonly http: HttpClient,
    private readonly config: EndpointConfig,
  ) {}

  /** One page (numbered from 1) of bookings modified in the window. */
  bookings(query: BookingsQuery, signal?: AbortSignal): Promise<BookingsResponse> {
    return this.http.requestJson(`${root(this.config)}/v1/bookings`, {
      query: {
        page: query.page,
        pageSize: query.pageSize ?? PAGE_SIZE,
        updatedFrom: query.updatedFrom === undefined ? undefined : formatApiTime(query.updatedFrom),
        updatedTo: query.updatedTo === undefined ? undefined : formatApiTime(query.updatedTo),
      },
      model: BookingsResponse,
      ...(signal !== undefined ? { signal } : {}),
    });
  }

  /** Every booking modified in `[from, to]`, page by page. */
  async *modified(updatedFrom: Date, updatedTo: Date, signal?: AbortSignal): AsyncIterable<Booking> {
    for (let page = 1, totalPages = 1; page <= totalPages; page++) {
      const res = await this.bookings({ page, updatedFrom, updatedTo }, signal);
      totalPages = res.page?.totalPages ?? page;
      yield* res.data;
    }
  }
}

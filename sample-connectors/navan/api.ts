import { HttpClient, injectable, Next, paginate, Stop, type Logger, type Pagination } from 'estuary-cdk';
import { Booking, EndpointConfig, NAVAN_BASE_URL } from './models';

/** What the API is asked for; Python's connector uses the same page size. */
export const PAGE_SIZE = 100;

/** The API filters on whole seconds (`2024-05-01T12:00:00Z`). */
export function formatApiTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A window of bookings by modification time; both bounds inclusive, either may be open. */
export interface BookingsQuery {
  updatedFrom?: Date;
  updatedTo?: Date;
}

/** Navan answers every page with `page.currentPage` (from 1) and `page.totalPages`. */
function lastPage(body: unknown): boolean {
  const info = (body as { page?: { currentPage?: unknown; totalPages?: unknown } }).page;
  return typeof info?.currentPage !== 'number' || typeof info.totalPages !== 'number' || info.currentPage >= info.totalPages;
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

  /** Bookings modified in the window, page by page from 1; a page's `resumeToken` is the next page number. */
  bookings(query: BookingsQuery, ctx: { log: Logger; signal?: AbortSignal }, resume?: number): Pagination<Booking> {
    return paginate(this.http, {
      name: 'bookings',
      url: `${root(this.config)}/v1/bookings`,
      query: { updatedFrom: query.updatedFrom && formatApiTime(query.updatedFrom), updatedTo: query.updatedTo && formatApiTime(query.updatedTo) },
      items: '/data',
      model: Booking,
      next: Next.pageNumber({ size: { at: 'pageSize', value: PAGE_SIZE } }),
      stop: [Stop.when((page) => lastPage(page.body), 'last page')],
      ctx,
      ...(resume !== undefined ? { resume } : {}),
    });
  }

  /** One request for one booking: proves the credentials. */
  async probe(): Promise<void> {
    await this.http.requestJson(`${root(this.config)}/v1/bookings`, { query: { page: 1, pageSize: 1 } });
  }
}

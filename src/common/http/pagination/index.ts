export { paginate, Pagination, DEFAULT_MAX_PAGES } from './paginate';
export type { PaginateOptions, Page, ExpiredTokenHook } from './paginate';
export { Next } from './page-strategies';
export type { PageStrategy, TokenPlacement, OffsetCap, OffsetOptions, PageNumberOptions, NextUrlOptions } from './page-strategies';
export { Stop } from './stop-rules';
export type { StopRule, StopRules, PageStopRule, PageView } from './stop-rules';
export { PaginationError } from './pagination-errors';
export type { PaginationErrorCode } from './pagination-errors';
export { linkTarget } from './link-header';

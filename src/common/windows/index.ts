export { windows, backfillWindows } from './date-windows';
export type { WindowOptions, IncrementalWindowOptions, BackfillWindowOptions, WindowPage } from './date-windows';
export { WindowGrid } from './window-grid';
export type { DatePrecision, DateWindow } from './window-grid';
export { WindowFloorError, WindowSizer, isWindowTooLarge } from './window-sizer';
export type { WindowContext, WindowFetch, WindowResult } from './window-runner';
export { parseLocalDateTime, offsetAt, localMidnight } from './zoned-time';

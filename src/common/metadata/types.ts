/** Any class constructor. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor parameters and instances are whatever the author declares
export type Class<T = any> = abstract new (...args: any[]) => T;

/** Any class constructor. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Class<T = any> = abstract new (...args: any[]) => T;

import { CdkError } from '../../errors';

/** The reference tokens of an RFC 6901 JSON pointer (`''` is the whole document). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new CdkError('PAGINATION_USAGE', `"${pointer}" is not a JSON pointer: it must be empty or start with "/"`, { userError: true });
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at `pointer` in `doc`, or `undefined` when a step is missing. */
export function getPointer(doc: unknown, pointer: string): unknown {
  let at: unknown = doc;
  for (const token of pointerTokens(pointer)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? (at as unknown[])[Number(token)] : (at as Record<string, unknown>)[token];
  }
  return at;
}

/** A copy of `doc` with `value` set at `pointer`, creating objects along the way. */
export function setPointer(doc: Record<string, unknown>, pointer: string, value: unknown): Record<string, unknown> {
  const tokens = pointerTokens(pointer);
  if (tokens.length === 0) throw new CdkError('PAGINATION_USAGE', 'a token cannot replace the whole request body: give a pointer such as "/after"', { userError: true });
  const root: Record<string, unknown> = { ...doc };
  let at = root;
  for (const token of tokens.slice(0, -1)) {
    const child = at[token];
    const copy: Record<string, unknown> = child !== null && typeof child === 'object' && !Array.isArray(child) ? { ...(child as Record<string, unknown>) } : {};
    at[token] = copy;
    at = copy;
  }
  at[tokens[tokens.length - 1]!] = value;
  return root;
}

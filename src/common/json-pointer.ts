import { CdkError } from './errors';

/** Escapes one property name for a JSON pointer (RFC 6901): `~` → `~0`, `/` → `~1`. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The unescaped reference tokens of an RFC 6901 JSON pointer (`''` is the whole document). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new CdkError('JSON_POINTER', `"${pointer}" is not a JSON pointer: it must be empty or start with "/"`, { userError: true });
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * The value at `pointer` in `doc`, or `undefined` when a step is missing. Only own properties and
 * canonical array indexes are followed, so `/constructor` or `/01` find nothing.
 */
export function getPointer(doc: unknown, pointer: string): unknown {
  let at: unknown = doc;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(at)) {
      if (!ARRAY_INDEX.test(token)) return undefined;
      at = (at as unknown[])[Number(token)];
    } else if (at !== null && typeof at === 'object' && Object.prototype.hasOwnProperty.call(at, token)) {
      at = (at as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return at;
}

/**
 * A copy of `doc` with `value` set at `pointer` (a non-empty pointer), copying the objects along the
 * way and creating missing ones; `doc` is left as it was.
 */
export function withPointer(doc: Record<string, unknown>, pointer: string, value: unknown): Record<string, unknown> {
  const tokens = pointerTokens(pointer);
  const last = tokens.pop();
  if (last === undefined) throw new CdkError('JSON_POINTER', 'the empty pointer names the whole document, which cannot be set inside itself', { userError: true });
  const root: Record<string, unknown> = { ...doc };
  let at = root;
  for (const token of tokens) {
    const child = at[token];
    const copy: Record<string, unknown> = child !== null && typeof child === 'object' && !Array.isArray(child) ? { ...(child as Record<string, unknown>) } : {};
    at[token] = copy;
    at = copy;
  }
  at[last] = value;
  return root;
}

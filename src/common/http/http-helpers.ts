import type { Readable } from 'node:stream';
import { CdkError } from '../errors';

/** A query parameter value; `undefined` and `null` leave the parameter out, arrays repeat it. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** Resolves `url` against `base` and appends `query`, returning a new URL. */
export function buildUrl(url: string | URL, query: Readonly<Record<string, QueryValue>> | undefined, base?: string): URL {
  // The common case, a URL text with no query or fragment of its own: the query goes into the text
  // parsed, in the form `searchParams.append` writes, so the URL is parsed once. (An empty text keeps
  // the base's query, which the query is then appended to: that goes the longer way.)
  const inText = query !== undefined && typeof url === 'string' && url !== '' && !url.includes('?') && !url.includes('#');
  const search = inText ? formQuery(query) : '';
  let target: URL;
  try {
    target = new URL(search === '' ? url : `${url as string}?${search}`, base);
  } catch (cause) {
    throw new CdkError('HTTP_USAGE', `"${String(url)}" is not an absolute URL${base === undefined ? ' (and the client has no baseUrl)' : ''}`, { cause });
  }
  if (query === undefined || inText) return target;
  if (target.search !== '') {
    // `searchParams` re-serializes the query already there, as callers have always seen it.
    for (const [name, value] of queryPairs(query)) target.searchParams.append(name, value);
    return target;
  }
  const added = formQuery(query);
  if (added !== '') target.search = added;
  return target;
}

/** The query as `searchParams.append` would write it into a URL without one. */
function formQuery(query: Readonly<Record<string, QueryValue>>): string {
  let search = '';
  for (const [name, value] of queryPairs(query)) search += `${search === '' ? '' : '&'}${formEncode(name)}=${formEncode(value)}`;
  return search;
}

/** The query's parameters in order, as text: `undefined` and `null` left out, arrays repeated. */
function* queryPairs(query: Readonly<Record<string, QueryValue>>): Generator<[string, string]> {
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value as readonly unknown[]) yield [name, String(v)];
    else yield [name, String(value)];
  }
}

/** What `encodeURIComponent` leaves alone but the form encoding escapes, and the space it writes `+`. */
const FORM_ESCAPES = /[!'()~]|%20/g;

/**
 * `value` in application/x-www-form-urlencoded form, as `URLSearchParams` writes it: `encodeURIComponent`
 * with `!'()~` escaped too and spaces as `+`. A lone surrogate (which `encodeURIComponent` refuses) is
 * left to `URLSearchParams` itself.
 */
export function formEncode(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    return new URLSearchParams([['', value]]).toString().slice(1);
  }
  return encoded.replace(FORM_ESCAPES, (c) => (c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

/** The body fields of a request; at most one may be set. */
export interface BodyOptions {
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`; `undefined` values are left out. */
  form?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as is; set `content-type` in `headers`. */
  body?: string | Uint8Array;
}

/** Encodes the request body once, so every retry sends the same bytes. */
export function encodeBody(options: BodyOptions): { body: string | Uint8Array | undefined; contentType: string | undefined } {
  const given = (options.json !== undefined ? 1 : 0) + (options.form !== undefined ? 1 : 0) + (options.body !== undefined ? 1 : 0);
  if (given > 1) throw new CdkError('HTTP_USAGE', 'a request takes at most one of `json`, `form` and `body`');
  if (options.json !== undefined) return { body: JSON.stringify(options.json), contentType: 'application/json' };
  if (options.form !== undefined) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) if (v !== undefined) params.append(k, String(v));
    return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: options.body, contentType: undefined };
}

/**
 * Reads at most `limit` bytes of a response body and discards the rest by destroying the stream
 * (which closes the connection rather than downloading a huge error page).
 */
export async function readPrefix(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= limit) {
      discard(body);
      break;
    }
  }
  const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return all.length > limit ? all.subarray(0, limit) : all;
}

/** The first value of a response header. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Destroys a body stream nobody will read; the abort error it then emits is expected, not a fault. */
export function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

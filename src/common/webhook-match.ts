/**
 * Webhook match rules, as the Python CDK's `estuary_cdk.capture.webhook.match`: a URL path pattern
 * with `{placeholder}` segments (or the `*` catch-all), an exact header value, or an exact body
 * value at a dot path. Pure functions, shared by the decorator, the build checks and the server.
 */

/** Routes requests whose path matches a pattern such as `/orders/{id}`, or every request (`*`). */
export interface UrlMatchRule {
  readonly url: string;
}
/** Routes requests carrying header `header` (case-insensitive name) with exactly `value`. */
export interface HeaderMatchRule {
  readonly header: string;
  readonly value: string;
}
/** Routes documents whose value at dot path `body` (e.g. `event.type`) is exactly `value` (compared as text). */
export interface BodyMatchRule {
  readonly body: string;
  readonly value: string;
}
/** One match rule of a webhook binding. A bare string is a URL rule. */
export type WebhookMatchRule = string | UrlMatchRule | HeaderMatchRule | BodyMatchRule;

/**
 * A discriminator: one binding per listed value (Python's `UrlDiscriminator`, `HeaderDiscriminator`,
 * `BodyDiscriminator`), each named `<name>_<value>`.
 */
export type WebhookDiscriminator =
  { readonly url: readonly string[] } | { readonly header: string; readonly values: readonly string[] } | { readonly body: string; readonly values: readonly string[] };

/** A rule in its checked, normal form. */
export type NormalRule =
  | { readonly type: 'url'; readonly value: string }
  | { readonly type: 'header'; readonly key: string; readonly value: string }
  | { readonly type: 'body'; readonly key: string; readonly value: string };

const BODY_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const PLACEHOLDER = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Whether `m` is a discriminator (lists several values) rather than one rule. */
export function isDiscriminator(m: unknown): m is WebhookDiscriminator {
  if (m === null || typeof m !== 'object') return false;
  return Array.isArray((m as { url?: unknown }).url) || Array.isArray((m as { values?: unknown }).values);
}

/** Normalizes a rule, or returns the problem with it (one clause, without the where). */
export function normalizeRule(m: unknown): NormalRule | string {
  if (typeof m === 'string') return normalizeUrl(m);
  if (m === null || typeof m !== 'object') return `match must be a URL pattern ('/path/{id}' or '*'), { header, value } or { body, value }; got ${JSON.stringify(m)}`;
  const r = m as Record<string, unknown>;
  if (typeof r.url === 'string') return normalizeUrl(r.url);
  if (typeof r.header === 'string') {
    if (r.header.length === 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(r.header)) return `header ${JSON.stringify(r.header)} is not a valid header name`;
    if (typeof r.value !== 'string') return `header match on '${r.header}' needs a string value`;
    return { type: 'header', key: r.header, value: r.value };
  }
  if (typeof r.body === 'string') {
    if (!BODY_KEY.test(r.body)) return `body path ${JSON.stringify(r.body)} is not a dot path of identifiers such as 'event.type'`;
    if (typeof r.value !== 'string') return `body match on '${r.body}' needs a string value`;
    return { type: 'body', key: r.body, value: r.value };
  }
  return `match must be a URL pattern ('/path/{id}' or '*'), { header, value } or { body, value }; got ${JSON.stringify(m)}`;
}

function normalizeUrl(p: string): NormalRule | string {
  if (p === '*') return { type: 'url', value: p };
  if (!p.startsWith('/')) return `URL pattern ${JSON.stringify(p)} must start with '/' (or be '*')`;
  const names = new Set<string>();
  for (const seg of segments(p)) {
    if (seg.includes('{') || seg.includes('}')) {
      const m = PLACEHOLDER.exec(seg);
      if (m === null) return `URL pattern ${JSON.stringify(p)}: segment '${seg}' must be a whole '{name}' placeholder`;
      if (names.has(m[1]!)) return `URL pattern ${JSON.stringify(p)}: placeholder '{${m[1]!}}' is used twice`;
      names.add(m[1]!);
    }
  }
  return { type: 'url', value: p };
}

/** The rules a discriminator creates, with their binding-name suffixes (Python's `display_name`). */
export function discriminatorRules(d: WebhookDiscriminator): { suffix: string; rule: unknown }[] {
  if ('url' in d) {
    const values = d.url.length === 0 ? ['*'] : d.url;
    return values.map((v) => ({ suffix: displayName({ type: 'url', value: v }), rule: v }));
  }
  if ('header' in d) return d.values.map((v) => ({ suffix: v, rule: { header: d.header, value: v } }));
  return d.values.map((v) => ({ suffix: v, rule: { body: d.body, value: v } }));
}

/** A rule's name suffix: `all` for `*`, a URL's path with non-alphanumerics as `_`, else the value. */
export function displayName(r: NormalRule): string {
  if (r.type !== 'url') return r.value;
  if (r.value === '*') return 'all';
  return r.value.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Human form of a rule for messages. */
export function describeRule(r: NormalRule): string {
  if (r.type === 'url') return `URL '${r.value}'`;
  return `${r.type} '${r.key}' = '${r.value}'`;
}

function segments(p: string): string[] {
  return p.replace(/^\/+|\/+$/g, '').split('/');
}

function isPlaceholder(seg: string): boolean {
  return seg.startsWith('{') && seg.endsWith('}');
}

/**
 * Why two rules cannot both be bound, or undefined: two catch-alls, the same URL/header/body value,
 * or URL patterns of equal specificity matching the same paths (Python's `list_compatibility_errors`).
 */
export function ruleConflict(a: NormalRule, b: NormalRule): string | undefined {
  if (a.type !== b.type) return undefined;
  if (a.type !== 'url' || b.type !== 'url') {
    const ka = (a as { key: string }).key;
    const kb = (b as { key: string }).key;
    const same = a.type === 'header' ? ka.toLowerCase() === kb.toLowerCase() : ka === kb;
    return same && a.value === b.value ? `both claim ${describeRule(a)}` : undefined;
  }
  if (a.value === '*' && b.value === '*') return "both use the '*' catch-all; only one binding may";
  if (a.value === b.value) return `both claim URL '${a.value}'`;
  if (a.value === '*' || b.value === '*') return undefined;
  const sa = segments(a.value);
  const sb = segments(b.value);
  if (sa.length !== sb.length) return undefined;
  let aMore = false;
  let bMore = false;
  for (let i = 0; i < sa.length; i++) {
    const pa = isPlaceholder(sa[i]!);
    const pb = isPlaceholder(sb[i]!);
    if (!pa && !pb) {
      if (sa[i] !== sb[i]) return undefined;
    } else if (pa && !pb) bMore = true;
    else if (pb && !pa) aMore = true;
  }
  if (aMore !== bMore) return undefined;
  return `URL patterns '${a.value}' and '${b.value}' match the same URLs`;
}

/** Sort key, higher first: headers, then bodies, then URLs by literal segments, then `*`. */
export function ruleRank(r: NormalRule): [number, number] {
  if (r.type === 'header') return [2, 0];
  if (r.type === 'body') return [1, 0];
  if (r.value === '*') return [0, -1];
  return [0, segments(r.value).filter((s) => !isPlaceholder(s)).length];
}

/** Orders rules most specific first; equal ranks keep their order (a stable sort, as Python's). */
export function compareRules(a: NormalRule, b: NormalRule): number {
  const [a0, a1] = ruleRank(a);
  const [b0, b1] = ruleRank(b);
  return b0 - a0 || b1 - a1;
}

/** What a request offers to the rules. */
export interface MatchInput {
  /** The request path, without the query. */
  readonly path: string;
  /** Header values by lower-cased name. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The document (one element of the body). */
  readonly doc: Readonly<Record<string, unknown>>;
}

/**
 * Whether `r` matches; for URL patterns, the placeholder values (an empty object for `*` and for
 * patterns without placeholders); `undefined` when it does not match.
 */
export function matchRule(r: NormalRule, input: MatchInput): Record<string, string> | undefined {
  if (r.type === 'url') {
    if (r.value === '*') return {};
    const want = segments(r.value);
    const got = segments(input.path);
    if (want.length !== got.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      const g = got[i]!;
      if (isPlaceholder(w)) {
        if (g.length === 0) return undefined;
        params[w.slice(1, -1)] = safeDecode(g);
      } else if (w !== g) return undefined;
    }
    return params;
  }
  if (r.type === 'header') {
    const v = input.headers[r.key.toLowerCase()];
    const text = Array.isArray(v) ? v[v.length - 1] : v;
    return text === r.value ? {} : undefined;
  }
  let cursor: unknown = input.doc;
  for (const seg of r.key.split('.')) {
    if (cursor === null || typeof cursor !== 'object' || Array.isArray(cursor)) return undefined;
    cursor = (cursor as Record<string, unknown>)[seg];
  }
  if (cursor === undefined || cursor === null) return undefined;
  return pythonText(cursor) === r.value ? {} : undefined;
}

/** `str(value)` as Python prints a JSON scalar, so `true` matches 'True' as it does there. */
function pythonText(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects took the JSON branch; the rest are scalars
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

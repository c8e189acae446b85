import { DefinitionError } from '../errors';

/**
 * The `oauth2` block of a connector's spec response, named as Flow's protocol names it. Flow's
 * control plane uses it to run the authorization-code flow in the UI; the templates are mustache
 * templates Flow renders (`{{{ client_id }}}`, `{{{ redirect_uri }}}`, `{{{ config.region }}}`).
 */
export interface OAuth2Spec {
  /** Provider name, matched against `x-oauth2-provider` on the credentials model. */
  readonly provider: string;
  readonly authUrlTemplate: string;
  readonly accessTokenUrlTemplate: string;
  /** Default (in Flow) `POST`. */
  readonly accessTokenMethod?: string;
  readonly accessTokenBody?: string;
  readonly accessTokenHeaders?: Readonly<Record<string, string>>;
  /** Where Flow finds tokens in the token response, as JSON pointers (`{"refresh_token": "/refresh_token"}`). */
  readonly accessTokenResponseMap?: Readonly<Record<string, string>>;
  readonly refreshTokenUrlTemplate?: string;
  readonly refreshTokenMethod?: string;
  readonly refreshTokenBody?: string;
  readonly refreshTokenHeaders?: Readonly<Record<string, string>>;
  readonly refreshTokenResponseMap?: Readonly<Record<string, string>>;
}

const STRING_FIELDS = ['accessTokenMethod', 'accessTokenBody', 'refreshTokenUrlTemplate', 'refreshTokenMethod', 'refreshTokenBody'] as const;
const MAP_FIELDS = ['accessTokenHeaders', 'accessTokenResponseMap', 'refreshTokenHeaders', 'refreshTokenResponseMap'] as const;
const ORDER: readonly (keyof OAuth2Spec)[] = [
  'provider',
  'authUrlTemplate',
  'accessTokenUrlTemplate',
  'accessTokenMethod',
  'accessTokenBody',
  'accessTokenHeaders',
  'accessTokenResponseMap',
  'refreshTokenUrlTemplate',
  'refreshTokenMethod',
  'refreshTokenBody',
  'refreshTokenHeaders',
  'refreshTokenResponseMap',
];

/**
 * Checks and freezes an {@link OAuth2Spec}, leaving out absent fields so the spec response carries
 * only what was given. Throws a {@link DefinitionError} listing every problem.
 *
 * @example
 * export const OAUTH2 = oauth2Spec({
 *   provider: 'shop',
 *   authUrlTemplate: 'https://shop.example/oauth/authorize?client_id={{{ client_id }}}&redirect_uri={{{ redirect_uri }}}&state={{{ state }}}',
 *   accessTokenUrlTemplate: 'https://shop.example/oauth/token',
 *   accessTokenBody: 'grant_type=authorization_code&code={{{ code }}}&client_id={{{ client_id }}}&client_secret={{{ client_secret }}}&redirect_uri={{{ redirect_uri }}}',
 *   accessTokenHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
 *   accessTokenResponseMap: { refresh_token: '/refresh_token' },
 * });
 */
export function oauth2Spec(spec: OAuth2Spec): Readonly<OAuth2Spec> {
  const problems: string[] = [];
  for (const key of ['provider', 'authUrlTemplate', 'accessTokenUrlTemplate'] as const) {
    if (typeof spec[key] !== 'string' || spec[key].trim() === '') problems.push(`\`${key}\` must be a non-empty string`);
  }
  for (const key of STRING_FIELDS) {
    if (spec[key] !== undefined && typeof spec[key] !== 'string') problems.push(`\`${key}\` must be a string when given`);
  }
  for (const key of MAP_FIELDS) {
    const map = spec[key];
    if (map === undefined) continue;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks values from untyped JavaScript callers
    if (map === null || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string')) {
      problems.push(`\`${key}\` must be an object of strings when given`);
    }
  }
  for (const key of ['accessTokenMethod', 'refreshTokenMethod'] as const) {
    const m = spec[key];
    if (typeof m === 'string' && !/^(GET|POST|PUT|PATCH)$/i.test(m)) problems.push(`\`${key}\` "${m}" is not an HTTP method Flow supports`);
  }
  if (problems.length > 0) throw new DefinitionError('oauth2Spec()', problems);
  const out: Record<string, unknown> = {};
  for (const key of ORDER) {
    const value = spec[key];
    if (value !== undefined) out[key] = typeof value === 'object' ? Object.freeze({ ...value }) : value;
  }
  return Object.freeze(out) as unknown as Readonly<OAuth2Spec>;
}

import { registerSecret } from '../secrets';
import type { HttpClient } from './http-client';
import type { Authorization, TokenSource } from './token-source';

/** What a token endpoint issued, in the units the client needs. */
export interface IssuedToken {
  accessToken: string;
  /** Lifetime in seconds; absent or 0 means "until the API rejects it". */
  expiresIn?: number;
  /** A new refresh token, when the provider rotates them. */
  refreshToken?: string;
}

/** Options shared by token sources that put a token into a header. */
export interface TokenHeaderOptions {
  /** Header carrying the token. Default `Authorization`. */
  header?: string;
  /**
   * Prefix before the token. Default `Bearer` for the `Authorization` header, none for a custom
   * header; pass `''` to send the bare token in `Authorization`.
   */
  tokenType?: string;
}

/** Builds the header a token is sent in. */
export function tokenAuthorization(token: string, options: TokenHeaderOptions = {}): Authorization {
  const header = options.header ?? 'Authorization';
  const type = options.tokenType ?? (header.toLowerCase() === 'authorization' ? 'Bearer' : '');
  return { header, value: type === '' ? token : `${type} ${token}` };
}

/** A token source whose header never changes (access tokens, basic auth, long-lived tokens). */
export class StaticTokenSource implements TokenSource {
  constructor(private readonly auth: Authorization) {}

  authorization(): Promise<Authorization> {
    return Promise.resolve(this.auth);
  }

  /** A fixed credential that was rejected stays rejected; retrying would only repeat the 401. */
  invalidate(): boolean {
    return false;
  }
}

/** Clock and header options of a {@link CachedTokenSource}. */
export interface CachedTokenOptions extends TokenHeaderOptions {
  /** Milliseconds since the epoch; injectable so tests can move time. Default `Date.now`. */
  clock?: () => number;
}

/**
 * A token source that fetches short-lived tokens and caches each until 75 % of its lifetime has
 * passed. Fetches are serialized: while one is in flight every caller awaits it, so many concurrent
 * requests crossing an expiry cause one token request. Some providers revoke the previous token
 * when issuing a new one, which makes racing refreshes actively harmful, not just wasteful.
 */
export abstract class CachedTokenSource implements TokenSource {
  protected readonly clock: () => number;
  private cached: { auth: Authorization; refreshAt: number } | undefined;
  private inflight: Promise<Authorization> | undefined;

  protected constructor(private readonly headerOptions: CachedTokenOptions) {
    this.clock = headerOptions.clock ?? Date.now;
  }

  /** Obtains a fresh token from the provider. Called with at most one call in flight. */
  protected abstract fetchToken(http: HttpClient): Promise<IssuedToken>;

  authorization(http: HttpClient): Promise<Authorization> {
    const cached = this.cached;
    if (cached !== undefined && this.clock() < cached.refreshAt) return Promise.resolve(cached.auth);
    if (this.inflight === undefined) {
      const fetching = this.refresh(http);
      this.inflight = fetching;
      const clear = (): void => {
        if (this.inflight === fetching) this.inflight = undefined;
      };
      fetching.then(clear, clear);
    }
    return this.inflight;
  }

  /**
   * Forgets the cached token if it is the rejected one. Concurrent 401s for the same stale token
   * therefore cause one refresh; a 401 for a token already replaced just retries with the new one.
   */
  invalidate(rejected: Authorization): boolean {
    if (this.cached?.auth.value === rejected.value) this.cached = undefined;
    return true;
  }

  private async refresh(http: HttpClient): Promise<Authorization> {
    const fetchedAt = this.clock();
    const token = await this.fetchToken(http);
    registerSecret(token.accessToken);
    registerSecret(token.refreshToken);
    const auth = tokenAuthorization(token.accessToken, this.headerOptions);
    const lifetimeMs = token.expiresIn !== undefined && token.expiresIn > 0 ? token.expiresIn * 1000 : Infinity;
    this.cached = { auth, refreshAt: fetchedAt + lifetimeMs * 0.75 };
    http.log.debug({ expiresIn: token.expiresIn }, 'fetched access token');
    return auth;
  }
}

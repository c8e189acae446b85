import { CdkError } from '../errors';
import { redactSecrets, registerSecret } from '../secrets';

/** How many characters of a response body an error message quotes. */
const BODY_EXCERPT_CHARS = 2000;

/** Query parameter names whose values are credentials often enough that URLs in messages hide them. */
const SECRET_PARAM = /token|key|secret|passw|signature|^sig$|auth|code|credential|session/i;

/** Parameter names certain enough to be credentials that their values are registered as secrets. */
const CREDENTIAL_PARAM = /api[-_]?key|token|secret|passw|signature|^key$|^sig$/i;

/** Found in a query (with no escapes) whenever one of its names matches {@link CREDENTIAL_PARAM}. */
const CREDENTIAL_HINT = /key|token|secret|passw|sig/i;

/**
 * Registers the values of credential query parameters (`api_key`, `access_token`, …) as secrets, so
 * an API that echoes the URL in an error body cannot leak them into a message or log line.
 */
export function registerQuerySecrets(url: URL): void {
  const search = url.search;
  // Parsing the query costs more than the request's other preparations; most queries name no credential.
  if (search === '' || (!search.includes('%') && !CREDENTIAL_HINT.test(search))) return;
  for (const [name, value] of url.searchParams) if (CREDENTIAL_PARAM.test(name)) registerSecret(value);
}

/**
 * Returns `url` as text fit for a log line or error message: values of credential-like query
 * parameters (`api_key`, `access_token`, `signature`, …), user info and every registered secret are
 * replaced by `[redacted]`.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return redactSecrets(String(url));
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = 'redacted';
    parsed.password = '';
  }
  let changed = false;
  for (const [name, value] of parsed.searchParams) {
    if (value !== '' && SECRET_PARAM.test(name)) {
      parsed.searchParams.set(name, 'redacted');
      changed = true;
    }
  }
  // URLSearchParams re-encodes the whole query, so only rewrite it when something was hidden.
  const text = changed ? parsed.href.replace(/=redacted(?=&|#|$)/g, '=[redacted]') : parsed.href;
  return redactSecrets(text);
}

/** Decodes the start of a response body for a message; undecodable bytes become U+FFFD, never a throw. */
export function bodyExcerpt(body: Uint8Array | string | undefined, max = BODY_EXCERPT_CHARS): string {
  if (body === undefined || body.length === 0) return '';
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8', 0, max * 4);
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length - max}+ more characters)` : text;
  return redactSecrets(cut);
}

/** What an {@link HttpError} knows about the failed response. */
export interface HttpErrorDetails {
  status: number;
  method: string;
  /** The requested URL; redacted by the constructor. */
  url: string | URL;
  contentType?: string;
  body?: Uint8Array | string;
  /** A sentence put before the standard description, e.g. why retrying stopped. */
  reason?: string;
  attempts?: number;
}

/**
 * A response with an unsuccessful HTTP status that was not (or no longer) retried: any 4xx other
 * than a recoverable 401/429, or a 5xx after the retry budget was spent.
 *
 * @example
 * try { await http.request(url); }
 * catch (err) { if (err instanceof HttpError && err.status === 404) return undefined; throw err; }
 */
export class HttpError extends CdkError {
  /** The HTTP status code of the response. */
  readonly status: number;
  readonly method: string;
  /** The URL with credential-like query values redacted. */
  readonly url: string;
  readonly contentType: string | undefined;
  /** The start of the response body, decoded as UTF-8 and with registered secrets redacted. */
  readonly bodyExcerpt: string;
  /** How many times the request was sent. */
  readonly attempts: number;

  constructor(details: HttpErrorDetails) {
    const url = redactUrl(details.url);
    const excerpt = bodyExcerpt(details.body);
    const attempts = details.attempts ?? 1;
    const parts = [
      details.reason === undefined ? '' : `${details.reason}: `,
      `HTTP ${details.status} from ${details.method} ${url}`,
      attempts > 1 ? ` after ${attempts} attempts` : '',
      details.contentType === undefined ? '' : ` (content-type ${details.contentType})`,
      excerpt === '' ? '' : `: ${excerpt}`,
    ];
    super('HTTP_STATUS', redactSecrets(parts.join('')));
    this.status = details.status;
    this.method = details.method;
    this.url = url;
    this.contentType = details.contentType;
    this.bodyExcerpt = excerpt;
    this.attempts = attempts;
  }
}

/** Why a request failed below the HTTP layer. */
export type TransportFailure = 'connect' | 'dns' | 'tls' | 'reset' | 'timeout' | 'body' | 'other';

/**
 * A request that failed without a usable HTTP response (connection refused or reset, DNS or TLS
 * failure, a timeout, a body cut short) after the retry budget was spent, or with an error that is
 * not worth retrying.
 */
export class HttpTransportError extends CdkError {
  readonly failure: TransportFailure;
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  constructor(failure: TransportFailure, method: string, url: string | URL, attempts: number, cause: unknown) {
    const redacted = redactUrl(url);
    const why = cause instanceof Error ? cause.message : String(cause);
    super(failure === 'timeout' ? 'HTTP_TIMEOUT' : 'HTTP_TRANSPORT', redactSecrets(`${method} ${redacted} failed (${failure}${attempts > 1 ? `, ${attempts} attempts` : ''}): ${why}`), { cause });
    this.failure = failure;
    this.method = method;
    this.url = redacted;
    this.attempts = attempts;
  }
}

/** A request cancelled through its own `signal` (the client itself is still open). */
export class HttpAbortedError extends CdkError {
  constructor(method: string, url: string | URL, cause?: unknown) {
    super('HTTP_ABORTED', `${method} ${redactUrl(url)} was aborted`, { cause });
  }
}

/** A response body that is not valid JSON or does not satisfy the requested model. */
export class ResponseValidationError extends CdkError {
  readonly problems: readonly string[];
  constructor(method: string, url: string | URL, problems: readonly string[], cause?: unknown) {
    super('HTTP_RESPONSE_INVALID', redactSecrets(`response to ${method} ${redactUrl(url)} is invalid: ${problems.join('; ')}`), { cause });
    this.problems = problems;
  }
}

/**
 * Obtaining credentials failed: the token endpoint refused them, answered with something that is
 * not a token, or the configured key is malformed. `userError` is set when the fix is to
 * re-authenticate or correct the configuration.
 */
export class TokenError extends CdkError {
  constructor(message: string, options?: { cause?: unknown; userError?: boolean }) {
    super('HTTP_TOKEN', redactSecrets(message), options);
  }
}

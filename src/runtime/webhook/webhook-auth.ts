import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The authentication settings the server applies, read from the endpoint config's webhook auth model. */
export type WebhookAuthSettings =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | {
      readonly kind: 'hmac';
      readonly secret: string;
      readonly header: string;
      readonly prefix: string;
      readonly encoding: 'hex' | 'base64';
      readonly timestampHeader?: string;
      readonly toleranceSeconds: number;
    };

/**
 * Finds the webhook authentication in an endpoint config: the first top-level field holding one of
 * the `WebhookAuth` models (recognized by its `auth_type`). None found means no authentication.
 */
export function authFromConfig(config: unknown): WebhookAuthSettings {
  if (config === null || typeof config !== 'object') return { kind: 'none' };
  for (const v of Object.values(config as Record<string, unknown>)) {
    if (v === null || typeof v !== 'object') continue;
    const a = v as Record<string, unknown>;
    if (a.auth_type === 'Bearer Token' && typeof a.token === 'string') return { kind: 'bearer', token: a.token };
    if (a.auth_type === 'HMAC Signature' && typeof a.secret === 'string') {
      return {
        kind: 'hmac',
        secret: a.secret,
        header: typeof a.signature_header === 'string' && a.signature_header !== '' ? a.signature_header : 'X-Signature',
        prefix: typeof a.signature_prefix === 'string' ? a.signature_prefix : '',
        encoding: a.signature_encoding === 'base64' ? 'base64' : 'hex',
        ...(typeof a.timestamp_header === 'string' && a.timestamp_header !== '' ? { timestampHeader: a.timestamp_header } : {}),
        toleranceSeconds: typeof a.tolerance_seconds === 'number' && a.tolerance_seconds > 0 ? a.tolerance_seconds : 300,
      };
    }
    if (a.auth_type === 'None') return { kind: 'none' };
  }
  return { kind: 'none' };
}

/**
 * Checks a request; returns why it is refused (said to the sender and logged, never a secret), or
 * undefined when it may pass. Every comparison of secret material is constant-time.
 */
export function checkAuth(auth: WebhookAuthSettings, headers: IncomingHttpHeaders, rawBody: Buffer, nowMs: number): string | undefined {
  if (auth.kind === 'none') return undefined;
  if (auth.kind === 'bearer') {
    const h = headers.authorization;
    if (typeof h !== 'string' || !/^bearer /i.test(h)) return 'missing bearer token';
    return sameText(h.slice(7).trim(), auth.token) ? undefined : 'invalid bearer token';
  }
  const sig = header(headers, auth.header);
  if (sig === undefined) return `missing signature header ${auth.header}`;
  let signed: Buffer = rawBody;
  if (auth.timestampHeader !== undefined) {
    const ts = header(headers, auth.timestampHeader);
    if (ts === undefined || !/^\d+$/.test(ts)) return `missing or malformed timestamp header ${auth.timestampHeader}`;
    if (Math.abs(nowMs / 1000 - Number(ts)) > auth.toleranceSeconds) return `timestamp outside the ${auth.toleranceSeconds} s tolerance`;
    signed = Buffer.concat([Buffer.from(`${ts}.`), rawBody]);
  }
  const expected = createHmac('sha256', auth.secret).update(signed).digest();
  const given = sig.startsWith(auth.prefix) ? sig.slice(auth.prefix.length).trim() : undefined;
  if (given === undefined) return 'invalid signature';
  const decoded = Buffer.from(given, auth.encoding);
  if (decoded.length !== expected.length) return 'invalid signature';
  return timingSafeEqual(decoded, expected) ? undefined : 'invalid signature';
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Constant-time text equality (the lengths are compared through fixed-size digests). */
function sameText(a: string, b: string): boolean {
  const da = createHmac('sha256', 'cmp').update(a).digest();
  const db = createHmac('sha256', 'cmp').update(b).digest();
  return timingSafeEqual(da, db);
}

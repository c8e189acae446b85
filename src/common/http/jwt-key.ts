import { createPrivateKey, createSecretKey, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { registerSecret } from '../secrets';
import { TokenError } from './http-errors';

/**
 * A signing key for a JWT. A string is PEM text (PKCS#8, PKCS#1, SEC1, or encrypted PKCS#8 with
 * `passphrase`) or a JWK as JSON; the object forms say which it is, or read the key from a file.
 */
export type JwtKey =
  | string
  | { pem: string; passphrase?: string }
  | { jwk: Record<string, unknown> | string }
  | { file: string; passphrase?: string }
  /** A shared secret for the HMAC algorithms (HS256/384/512). */
  | { secret: string | Uint8Array };

/** A loaded key and the algorithm it implies when none is configured. */
export interface LoadedKey {
  key: KeyObject;
  defaultAlg: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/**
 * Undoes what config forms and environment variables do to PEM text: surrounding quotes, literal
 * `\n` escapes, `\r\n` line ends, and a body pasted onto one line (spaces instead of newlines).
 * Legacy encrypted PEM (with `Proc-Type:` headers) is left as it is, apart from the escapes.
 */
export function normalizePem(text: string): string {
  let pem = text.trim();
  if ((pem.startsWith('"') && pem.endsWith('"')) || (pem.startsWith("'") && pem.endsWith("'"))) pem = pem.slice(1, -1);
  pem = pem.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
  const m = PEM_BLOCK.exec(pem);
  if (m === null || m[2]!.includes(':')) return pem;
  const body = m[2]!.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${m[1]}-----\n${lines.join('\n')}\n-----END ${m[1]}-----\n`;
}

/** The JOSE algorithm a key is normally used with, from its type and curve. */
function algFor(key: KeyObject): string {
  if (key.type === 'secret') return 'HS256';
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      return curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : 'ES256';
    }
    case 'ed25519':
      return 'EdDSA';
    default:
      throw new TokenError(`${String(key.asymmetricKeyType)} keys cannot sign JWTs; use an RSA, EC or Ed25519 key`, { userError: true });
  }
}

function fromPem(text: string, passphrase: string | undefined, what: string): KeyObject {
  registerSecret(text);
  registerSecret(passphrase);
  const pem = normalizePem(text);
  registerSecret(pem);
  if (!PEM_BLOCK.test(pem)) throw new TokenError(`${what}: the private key is not PEM text (no -----BEGIN … KEY----- block)`, { userError: true });
  const encrypted = /ENCRYPTED/.test(pem);
  if (encrypted && passphrase === undefined) {
    throw new TokenError(`${what}: the private key is encrypted; configure its passphrase`, { userError: true });
  }
  try {
    // node:crypto reads every PEM flavour, encrypted ones included, which jose's importPKCS8 does not.
    return createPrivateKey({ key: pem, format: 'pem', ...(passphrase === undefined ? {} : { passphrase }) });
  } catch (cause) {
    const why = encrypted ? 'cannot be decrypted (wrong passphrase?)' : 'is not a valid private key';
    throw new TokenError(`${what}: the PEM private key ${why}`, { cause, userError: true });
  }
}

function fromJwk(jwk: Record<string, unknown> | string, what: string): KeyObject {
  let parsed: unknown = jwk;
  if (typeof jwk === 'string') {
    registerSecret(jwk);
    try {
      parsed = JSON.parse(jwk);
    } catch {
      throw new TokenError(`${what}: the JWK is not valid JSON`, { userError: true });
    }
  }
  const obj = parsed as Record<string, unknown>;
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) registerSecret(obj[member]);
  try {
    if (obj.kty === 'oct') return createSecretKey(Buffer.from(String(obj.k), 'base64url'));
    return createPrivateKey({ key: obj as never, format: 'jwk' });
  } catch {
    throw new TokenError(`${what}: the JWK is not a private key (kty ${String(obj.kty)})`, { userError: true });
  }
}

/** Loads `key` into a KeyObject jose can sign with. Errors never quote key material. */
export function loadJwtKey(key: JwtKey, what: string): LoadedKey {
  let loaded: KeyObject;
  if (typeof key === 'string') {
    loaded = key.trim().startsWith('{') ? fromJwk(key, what) : fromPem(key, undefined, what);
  } else if ('pem' in key) {
    loaded = fromPem(key.pem, key.passphrase, what);
  } else if ('jwk' in key) {
    loaded = fromJwk(key.jwk, what);
  } else if ('file' in key) {
    let text: string;
    try {
      text = fs.readFileSync(key.file, 'utf8');
    } catch (err) {
      throw new TokenError(`${what}: cannot read the key file ${key.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { userError: true });
    }
    loaded = text.trim().startsWith('{') ? fromJwk(text, what) : fromPem(text, key.passphrase, what);
  } else {
    registerSecret(typeof key.secret === 'string' ? key.secret : undefined);
    loaded = createSecretKey(typeof key.secret === 'string' ? Buffer.from(key.secret, 'utf8') : key.secret);
  }
  return { key: loaded, defaultAlg: algFor(loaded) };
}

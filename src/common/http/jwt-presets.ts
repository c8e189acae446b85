import { registerSecret } from '../secrets';
import { TokenError } from './http-errors';
import type { JwtKey } from './jwt-key';
import { JwtTokenSource } from './jwt-token-source';
import type { CachedTokenOptions, IssuedToken } from './token-cache';

/** Salesforce's OAuth 2.0 JWT bearer flow: `iss` = consumer key, `sub` = username. */
export interface SalesforceJwtOptions extends CachedTokenOptions {
  /** The connected app's consumer key. */
  clientId: string;
  /** The Salesforce username to act as. */
  username: string;
  privateKey: JwtKey;
  /** `https://login.salesforce.com` (default) or `https://test.salesforce.com` for sandboxes; the `aud`. */
  loginUrl?: string;
  /** Default `<loginUrl>/services/oauth2/token`; a My Domain URL also works. */
  tokenUrl?: string;
  /** Salesforce answers with `instance_url` too; read it here. */
  parseResponse?: (body: unknown) => IssuedToken;
}

/** Access tokens from Salesforce's JWT bearer flow (assertions live at most 3 minutes). */
export function salesforceJwt(o: SalesforceJwtOptions): JwtTokenSource {
  const login = (o.loginUrl ?? 'https://login.salesforce.com').replace(/\/+$/, '');
  return new JwtTokenSource({
    ...o,
    what: 'Salesforce JWT bearer flow',
    key: o.privateKey,
    alg: 'RS256',
    issuer: o.clientId,
    subject: o.username,
    audience: login,
    lifetimeSeconds: 180,
    maxLifetimeSeconds: 180,
    exchange: { tokenUrl: o.tokenUrl ?? `${login}/services/oauth2/token`, parseResponse: o.parseResponse },
    invalidGrantHint: 'the user is not pre-authorized for the connected app (or the username, consumer key or login URL is wrong, or the certificate uploaded to the app does not match the key)',
  });
}

/** Box JWT server authentication, from the fields of the app's JSON config. */
export interface BoxJwtOptions extends CachedTokenOptions {
  clientId: string;
  clientSecret: string;
  /** The id Box assigned to the uploaded public key; sent as `kid`. */
  publicKeyId: string;
  /** The (usually encrypted) PEM private key. */
  privateKey: string;
  passphrase?: string;
  /** Authenticate as the enterprise's service account … */
  enterpriseId?: string;
  /** … or as an app user. */
  userId?: string;
  /** Default `https://api.box.com/oauth2/token`; also the `aud`. */
  tokenUrl?: string;
}

interface BoxAppConfig {
  boxAppSettings?: { clientID?: string; clientSecret?: string; appAuth?: { publicKeyID?: string; privateKey?: string; passphrase?: string } };
  enterpriseID?: string;
}

/** Reads Box's downloadable app config JSON (`boxAppSettings`, `enterpriseID`) without quoting it. */
export function boxAppConfig(json: string): BoxJwtOptions {
  registerSecret(json);
  let c: BoxAppConfig;
  try {
    c = JSON.parse(json) as BoxAppConfig;
  } catch {
    throw new TokenError('the Box app config is not valid JSON; paste the whole downloaded config file', { userError: true });
  }
  const s = c.boxAppSettings;
  const a = s?.appAuth;
  if (s?.clientID === undefined || s.clientSecret === undefined || a?.publicKeyID === undefined || a.privateKey === undefined) {
    throw new TokenError('the Box app config lacks boxAppSettings.clientID, clientSecret or appAuth; paste the whole downloaded config file', { userError: true });
  }
  return { clientId: s.clientID, clientSecret: s.clientSecret, publicKeyId: a.publicKeyID, privateKey: a.privateKey, passphrase: a.passphrase, enterpriseId: c.enterpriseID };
}

/** Box JWT: `jti` required, assertions live at most 60 seconds. */
export function boxJwt(config: string | BoxJwtOptions, overrides: Partial<BoxJwtOptions> = {}): JwtTokenSource {
  const o = { ...(typeof config === 'string' ? boxAppConfig(config) : config), ...overrides };
  if ((o.enterpriseId === undefined) === (o.userId === undefined)) {
    throw new TokenError('Box JWT: configure exactly one of the enterprise ID and the user ID', { userError: true });
  }
  registerSecret(o.clientSecret);
  const tokenUrl = o.tokenUrl ?? 'https://api.box.com/oauth2/token';
  return new JwtTokenSource({
    ...o,
    what: 'Box JWT',
    key: { pem: o.privateKey, passphrase: o.passphrase },
    kid: o.publicKeyId,
    issuer: o.clientId,
    subject: o.enterpriseId ?? o.userId,
    audience: tokenUrl,
    claims: { box_sub_type: o.enterpriseId === undefined ? 'user' : 'enterprise' },
    jti: true,
    clockSkewSeconds: 10,
    lifetimeSeconds: 45,
    maxLifetimeSeconds: 60,
    exchange: { tokenUrl, extraBody: { client_id: o.clientId, client_secret: o.clientSecret } },
    invalidGrantHint: "the app is not authorized in the Box Admin Console, or the public key ID, enterprise ID or user ID is wrong, or this machine's clock is off by more than a minute",
  });
}

/** App Store Connect API keys: an ES256 JWT used directly as the bearer token. */
export interface AppStoreConnectOptions extends CachedTokenOptions {
  /** The issuer ID of a team key; omit for an individual key (then `sub` is `user`). */
  issuerId?: string;
  keyId: string;
  /** The `.p8` private key. */
  privateKey: JwtKey;
  /** Optional request scopes, e.g. `GET /v1/apps`. */
  scopes?: readonly string[];
}

/** Bearer JWTs for the App Store Connect API (valid at most 20 minutes). */
export function appStoreConnect(o: AppStoreConnectOptions): JwtTokenSource {
  return new JwtTokenSource({
    ...o,
    what: 'App Store Connect API key',
    key: o.privateKey,
    alg: 'ES256',
    kid: o.keyId,
    ...(o.issuerId === undefined ? { subject: 'user' } : { issuer: o.issuerId }),
    audience: 'appstoreconnect-v1',
    scopes: o.scopes,
    scopeFormat: 'array',
    jti: false,
    lifetimeSeconds: 1200,
    maxLifetimeSeconds: 1200,
  });
}

/** RingCentral's JWT flow: a JWT credential created in its console, exchanged with the app's client. */
export interface RingCentralJwtOptions extends CachedTokenOptions {
  clientId: string;
  clientSecret: string;
  /** The JWT credential. */
  jwt: string;
  /** Default `https://platform.ringcentral.com`. */
  serverUrl?: string;
}

/** Access tokens from RingCentral's JWT auth flow. */
export function ringCentralJwt(o: RingCentralJwtOptions): JwtTokenSource {
  const server = (o.serverUrl ?? 'https://platform.ringcentral.com').replace(/\/+$/, '');
  return new JwtTokenSource({
    ...o,
    what: 'RingCentral JWT flow',
    assertion: o.jwt,
    exchange: { tokenUrl: `${server}/restapi/oauth/token`, basicClient: { client_id: o.clientId, client_secret: o.clientSecret } },
    invalidGrantHint: 'the JWT credential is expired or revoked, or belongs to another app; create a new one in the RingCentral developer console',
  });
}

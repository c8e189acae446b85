/**
 * A local stand-in for the Google Sheets API v4 and Google's OAuth token endpoint, answering in the
 * real API's shapes. Specs start it in-process; `node dist/sample-connectors/google-sheets/mock-api.js
 * --port 8125` runs it for `estuary preview` with `config.yaml`.
 */
import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A cell of the mock data: empty, text, a boolean, or a number with its format type. */
export type MockCell = null | string | boolean | { number: number; type?: 'NUMBER' | 'CURRENCY' | 'PERCENT' | 'DATE' | 'DATE_TIME' | 'TIME' | 'SCIENTIFIC' };

/** A sheet of the mock spreadsheet; `rows[0]` is the header when `frozenRowCount` is 1. */
export interface MockSheet {
  sheetId: number;
  title: string;
  frozenRowCount: number;
  columnCount: number;
  rows: MockCell[][];
}

/** The credentials the mock accepts. */
export interface MockCredentials {
  client_id: string;
  client_secret: string;
  refresh_token: string;
  /** A long-lived token accepted as is (the `Private App Credentials` choice). */
  access_token: string;
  client_email: string;
}

export const DEFAULT_CREDENTIALS: Readonly<MockCredentials> = Object.freeze({
  client_id: 'mock-client-id.apps.googleusercontent.com',
  client_secret: 'mock-client-secret',
  refresh_token: 'mock-refresh-token',
  access_token: 'mock-static-access-token',
  client_email: 'flow-capture@mock-project.iam.gserviceaccount.com',
});

export const SPREADSHEET_ID = '1kMockSheetQ3vX9aL2pR7tY5wZ0bN8cD4eF6gH1jK2m';
export const SPREADSHEET_URL = `https://docs.google.com/spreadsheets/d/${SPREADSHEET_ID}/edit#gid=0`;

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets.readonly';
const TOKEN_LIFETIME_S = 3599;

/** The data the mock starts with: a sheet of assorted cell types and a larger one without a header for column A. */
export function defaultSheets(): MockSheet[] {
  const otherThings: MockCell[][] = [[null, 'mapped', 'message', 'num']];
  for (let i = 0; i < 40; i++) {
    const payload = { k: Buffer.from([21, i]).toString('base64'), pr: 1344 + (i >> 2), mapped: i, message: `Hello #${18220 + i}` };
    otherThings.push([JSON.stringify(payload), { number: i }, `Hello #${18240 + i}`, { number: 913 + i }]);
  }
  return [
    {
      sheetId: 0,
      title: 'VariousTypes',
      frozenRowCount: 1,
      columnCount: 26,
      rows: [
        ['Name', 'Number', 'CurrencyOrPercent', 'DateOrTime', 'Verified'],
        ['Alice', { number: 3 }, { number: 4.25, type: 'CURRENCY' }, { number: 42323.61490740741, type: 'DATE_TIME' }, true],
        ['Todd!', { number: 5 }, { number: 8, type: 'CURRENCY' }, null, false],
        ['S&P', { number: 5078.12 }, null, 'fixed!!'],
        ['APPL', { number: 182.63, type: 'NUMBER' }, { number: 0.23, type: 'PERCENT' }, { number: 45267, type: 'DATE' }],
        [null, null, null],
        ['Added again', { number: 3124 }, null, { number: 42334.02170138889, type: 'DATE_TIME' }],
      ],
    },
    { sheetId: 1_843_562_007, title: 'OtherThings', frozenRowCount: 1, columnCount: 4, rows: otherThings },
  ];
}

/** What a client sent, for specs to assert on. */
export interface MockRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  status: number;
  grant?: string;
}

/** Options of {@link MockSheetsApi.start}. */
export interface MockOptions {
  /** Default 0: a free port. */
  port?: number;
  host?: string;
  credentials?: Partial<MockCredentials>;
  sheets?: MockSheet[];
}

/** The mock server. Its `sheets` may be changed while it runs; requests see the current data. */
export class MockSheetsApi {
  readonly credentials: MockCredentials;
  sheets: MockSheet[];
  readonly requests: MockRequest[] = [];
  private readonly tokens = new Map<string, number>();
  private readonly publicKey: KeyObject;
  private readonly privateKeyPem: string;

  private constructor(
    private readonly server: http.Server,
    options: MockOptions,
  ) {
    this.credentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
    this.sheets = options.sheets ?? defaultSheets();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKey = publicKey;
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  /** Starts a mock on loopback. */
  static async start(options: MockOptions = {}): Promise<MockSheetsApi> {
    const server = http.createServer();
    const mock = new MockSheetsApi(server, options);
    server.on('request', (req, res) => mock.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return mock;
  }

  /** `http://127.0.0.1:<port>`: the connector's `sheets_api_url`. */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /** The token endpoint: the connector's `oauth_token_url` and the service account key's `token_uri`. */
  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  /**
   * A service account key file as Google issues it, signed by the mock's key pair, or — with
   * `foreign` — by a key pair the mock does not know (its tokens are refused).
   */
  serviceAccountKey(foreign = false): string {
    const pem = foreign ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() : this.privateKeyPem;
    return JSON.stringify({
      type: 'service_account',
      project_id: 'mock-project',
      private_key_id: randomBytes(20).toString('hex'),
      private_key: pem,
      client_email: this.credentials.client_email,
      client_id: '104857365927364758392',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: this.tokenUrl,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(this.credentials.client_email)}`,
      universe_domain: 'googleapis.com',
    });
  }

  /** An endpoint config for this mock, with OAuth refresh-token credentials. */
  config(credentials?: Record<string, unknown>): Record<string, unknown> {
    const { client_id, client_secret, refresh_token } = this.credentials;
    return {
      credentials: credentials ?? { credentials_title: 'OAuth Credentials', client_id, client_secret, refresh_token },
      spreadsheet_url: SPREADSHEET_URL,
      sheets_api_url: this.url,
      oauth_token_url: this.tokenUrl,
    };
  }

  /** Removes a row (0-based, counting the header row) of a sheet. */
  deleteRow(title: string, index: number): void {
    this.sheet(title)!.rows.splice(index, 1);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private sheet(title: string): MockSheet | undefined {
    return this.sheets.find((s) => s.title === title);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const entry: MockRequest = { method: req.method ?? 'GET', path: url.pathname, query, status: 0 };
    this.requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        if (url.pathname === '/token' && req.method === 'POST') {
          this.token(req, Buffer.concat(chunks).toString('utf8'), entry, send);
          return;
        }
        const m = /^\/v4\/spreadsheets\/([^/]+)$/.exec(url.pathname);
        if (m === null || req.method !== 'GET') {
          send(404, googleError(404, `Method not found.`, 'NOT_FOUND'));
          return;
        }
        if (!this.authorized(req.headers.authorization)) {
          send(401, googleError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'UNAUTHENTICATED'), {
            'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
          });
          return;
        }
        if (decodeURIComponent(m[1]!) !== SPREADSHEET_ID) {
          send(404, googleError(404, 'Requested entity was not found.', 'NOT_FOUND'));
          return;
        }
        this.spreadsheet(query, entry, res, send);
      } catch (err) {
        send(500, googleError(500, `mock failure: ${(err as Error).message}`, 'INTERNAL'));
      }
    });
  }

  private authorized(header: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (token === undefined) return false;
    if (token === this.credentials.access_token) return true;
    const expires = this.tokens.get(token);
    return expires !== undefined && expires > Date.now();
  }

  private issue(send: (s: number, b: unknown) => void, scope: string): void {
    const token = `ya29.mock-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, Date.now() + TOKEN_LIFETIME_S * 1000);
    send(200, { access_token: token, expires_in: TOKEN_LIFETIME_S, scope, token_type: 'Bearer' });
  }

  private token(req: http.IncomingMessage, raw: string, entry: MockRequest, send: (s: number, b: unknown) => void): void {
    const form: Record<string, string> = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(raw) as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
    entry.grant = form.grant_type;
    if (form.grant_type === 'refresh_token') {
      if (form.client_id !== this.credentials.client_id || form.client_secret !== this.credentials.client_secret) {
        send(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
      } else if (form.refresh_token !== this.credentials.refresh_token) {
        send(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      } else {
        this.issue(send, `${SHEETS_SCOPE} https://www.googleapis.com/auth/drive.readonly`);
      }
      return;
    }
    if (form.grant_type === JWT_BEARER) {
      const problem = this.checkAssertion(form.assertion ?? '');
      if (problem !== undefined) send(400, { error: 'invalid_grant', error_description: problem });
      else this.issue(send, (JSON.parse(Buffer.from(form.assertion!.split('.')[1]!, 'base64url').toString()) as { scope: string }).scope);
      return;
    }
    send(400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.grant_type ?? ''}` });
  }

  /** Checks a service account's JWT assertion as Google does: RS256 signature, issuer, audience, lifetime, scope. */
  private checkAssertion(jwt: string): string | undefined {
    const parts = jwt.split('.');
    if (parts.length !== 3) return 'Invalid JWT: malformed';
    const [h, p, s] = parts as [string, string, string];
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    } catch {
      return 'Invalid JWT: malformed';
    }
    if (header.alg !== 'RS256') return `Invalid JWT: alg ${String(header.alg)} is not RS256`;
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'))) return 'Invalid JWT Signature.';
    if (claims.iss !== this.credentials.client_email) return 'Invalid JWT: unknown issuer';
    if (claims.aud !== this.tokenUrl) return `Invalid JWT: audience ${String(claims.aud)} is not ${this.tokenUrl}`;
    const now = Date.now() / 1000;
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp <= now || claims.iat > now + 60 || claims.exp - claims.iat > 3600) {
      return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
    }
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(SHEETS_SCOPE)) return 'Invalid JWT: scope lacks spreadsheets.readonly';
    return undefined;
  }

  /** `spreadsheets.get`, honouring `ranges` (whole sheets) and the two field masks the connector uses. */
  private spreadsheet(query: Record<string, string[]>, entry: MockRequest, res: http.ServerResponse, send: (s: number, b: unknown) => void): void {
    let sheets = this.sheets;
    if (query.ranges !== undefined) {
      sheets = [];
      for (const range of query.ranges) {
        const sheet = this.sheet(sheetOfRange(range));
        if (sheet === undefined) {
          send(400, googleError(400, `Unable to parse range: ${range}`, 'INVALID_ARGUMENT'));
          return;
        }
        sheets.push(sheet);
      }
    }
    const fields = query.fields?.[0];
    const withData = fields === undefined ? query.includeGridData?.[0] === 'true' : fields.includes('sheets.data');
    if (fields !== undefined && withData) {
      // The grid data alone, streamed a row at a time as Google's chunked responses arrive.
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.write('{\n  "sheets": [');
      sheets.forEach((sheet, i) => {
        res.write(`${i === 0 ? '' : ','}\n    {"data": [{"rowData": [`);
        sheet.rows.forEach((row, r) => res.write(`${r === 0 ? '' : ','}\n      ${JSON.stringify(rowData(row))}`));
        res.write(']}]}');
      });
      res.end('\n  ]\n}\n');
      return;
    }
    const body: Record<string, unknown> = {
      spreadsheetId: SPREADSHEET_ID,
      properties: {
        title: 'Flow capture test sheet',
        locale: 'en_US',
        autoRecalc: 'ON_CHANGE',
        timeZone: 'America/New_York',
        defaultFormat: { backgroundColor: { red: 1, green: 1, blue: 1 }, textFormat: { fontFamily: 'arial', fontSize: 10 } },
      },
      sheets: sheets.map((sheet, index) => ({
        properties: {
          sheetId: sheet.sheetId,
          title: sheet.title,
          index,
          sheetType: 'GRID',
          gridProperties: {
            rowCount: Math.max(1000, sheet.rows.length),
            columnCount: sheet.columnCount,
            ...(sheet.frozenRowCount > 0 ? { frozenRowCount: sheet.frozenRowCount } : {}),
          },
        },
        ...(withData ? { data: [{ startRow: 0, startColumn: 0, rowData: sheet.rows.map(rowData) }] } : {}),
      })),
      spreadsheetUrl: SPREADSHEET_URL,
    };
    if (fields !== undefined) {
      const masks = fields.split(',');
      if (!masks.includes('properties')) delete body.properties;
      if (!masks.includes('sheets.properties') && !masks.includes('sheets')) delete body.sheets;
      delete body.spreadsheetId;
      delete body.spreadsheetUrl;
    }
    send(200, body);
  }
}

/** The sheet title of an A1 range: `Sheet1`, `'My sheet'!A1:B2`, `'It''s'`. */
function sheetOfRange(range: string): string {
  const quoted = /^'((?:[^']|'')*)'(?:!.*)?$/.exec(range);
  if (quoted !== null) return quoted[1]!.replace(/''/g, "'");
  return range.replace(/!.*$/, '');
}

/** A row in the API's `RowData` shape, with only `effectiveFormat.numberFormat.type` and `effectiveValue`. */
function rowData(row: MockCell[]): Record<string, unknown> {
  if (row.every((c) => c === null)) return {};
  return {
    values: row.map((cell) => {
      if (cell === null) return {};
      if (typeof cell === 'string') return { effectiveValue: { stringValue: cell } };
      if (typeof cell === 'boolean') return { effectiveValue: { boolValue: cell } };
      return {
        ...(cell.type !== undefined ? { effectiveFormat: { numberFormat: { type: cell.type } } } : {}),
        effectiveValue: { numberValue: cell.number },
      };
    }),
  };
}

function googleError(code: number, message: string, status: string): unknown {
  return { error: { code, message, status } };
}

const USAGE = 'usage: node mock-api.js [--port 8125] [--service-account-config <file.json>]';

async function main(argv: readonly string[]): Promise<void> {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const port = Number(option('--port') ?? 8125);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number\n${USAGE}`);
  const mock = await MockSheetsApi.start({ port });
  process.stdout.write(`mock Google Sheets API listening on ${mock.url} (token endpoint ${mock.tokenUrl})\n`);
  process.stdout.write(`endpoint config for it:\n${JSON.stringify(mock.config(), null, 2)}\n`);
  const saConfig = option('--service-account-config');
  if (saConfig !== undefined) {
    // The key pair is made afresh at every start, so this config is good for this run only.
    const config = mock.config({ credentials_title: 'Google Service Account', service_account: mock.serviceAccountKey() });
    writeFileSync(saConfig, JSON.stringify(config, null, 2), { mode: 0o600 });
    process.stdout.write(`endpoint config with service account credentials written to ${saConfig}\n`);
  }
  const stop = (): void => void mock.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

import { expect } from 'chai';
import { pythonSnapshot } from '../helpers/sample-helpers';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpClient, HttpError, TokenError, TokenSource } from '../../src';
import { compareCaptureRecords } from '../../src/testing';
import { columnLetter, RowReader, cellValue, serialDateTime, spreadsheetIdOf } from '../../sample-connectors/google-sheets/api';
import { RowData, SCOPES, type SheetProperties } from '../../sample-connectors/google-sheets/models';
import { MockSheetsApi, SPREADSHEET_ID } from '../../sample-connectors/google-sheets/mock-api';

const REPO = path.resolve(__dirname, '../../..');
const CONNECTOR = path.join(REPO, 'sample-connectors/google-sheets');
const PY_SPEC = 'source-google-sheets-native--snapshots__spec__stdout.json';
const PY_DISCOVER = 'source-google-sheets-native--snapshots__discover__stdout.json';

/**
 * The first VariousTypes records of source-google-sheets-native's recorded capture
 * (tests/snapshots/snapshots__capture__stdout.json), whose cells the mock reproduces.
 */
const PY_CAPTURED_VARIOUS_TYPES = [
  { CurrencyOrPercent: '4.25', DateOrTime: '2015-11-15T14:45:28-05:00', Name: 'Alice', Number: '3', _meta: { row_id: 0 } },
  { CurrencyOrPercent: '8', Name: 'Todd!', Number: '5', _meta: { row_id: 1 } },
  { DateOrTime: 'fixed!!', Name: 'S&P', Number: '5078.12', _meta: { row_id: 2 } },
  { CurrencyOrPercent: '0.23', DateOrTime: '2023-12-07', Name: 'APPL', Number: '182.63', _meta: { row_id: 3 } },
  { DateOrTime: '2015-11-26T00:31:15-05:00', Name: 'Added again', Number: '3124', _meta: { row_id: 4 } },
].map((doc) => ['acmeCo/VariousTypes', doc]);

interface Cli {
  code: number | null;
  stdout: string[];
  stderr: string;
}

/** Runs `estuary <args>` as a child process; asynchronously, so the in-process mock keeps answering. */
function estuary(args: string[]): Promise<Cli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/estuary.js'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: out.split('\n').filter((l) => l !== ''), stderr: err }));
  });
}

/** The first document of each row id, in row order (a row is emitted again when its op turns from c to u). */
function firstPerRow(docs: any[]): any[] {
  const byRow = new Map<number, any>();
  for (const d of docs) if (!byRow.has(d._meta.row_id)) byRow.set(d._meta.row_id, d);
  return [...byRow.values()].sort((a, b) => a._meta.row_id - b._meta.row_id);
}

/** Captured documents of a preview's output, by collection. */
function documents(cli: Cli, collection: string): any[] {
  return cli.stdout
    .map((l) => JSON.parse(l))
    .filter(([c]) => c === collection)
    .map(([, d]) => d);
}

describe('sample connector: google-sheets', function () {
  this.timeout(60_000);
  let mock: MockSheetsApi;
  let tmp: string;

  before(async () => {
    mock = await MockSheetsApi.start();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'google-sheets-spec-'));
  });
  after(async () => {
    await mock.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function writeConfig(name: string, config: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  }

  describe('compared with source-google-sheets-native', () => {
    it('spec: the same config schema (credentials choice, annotations, required fields) plus two advanced URLs, the same oauth2 block', async () => {
      const cli = await estuary(['spec', CONNECTOR]);
      expect(cli.code, cli.stderr).to.equal(0);
      const ours = JSON.parse(cli.stdout.join('\n'));
      const python = pythonSnapshot(PY_SPEC)[0];

      const props = ours.configSchema.properties;
      expect(props.sheets_api_url).to.include({ advanced: true, default: 'https://sheets.googleapis.com', type: 'string' });
      expect(props.oauth_token_url).to.include({ advanced: true, default: 'https://oauth2.googleapis.com/token', type: 'string' });
      const defs = ours.configSchema.$defs;
      expect(defs.BaseOAuth2Credentials['x-oauth2-provider']).to.equal('google');
      expect(defs.BaseOAuth2Credentials.properties.refresh_token.secret).to.equal(true);
      expect(defs.GoogleServiceAccount.properties.service_account).to.include({ secret: true, multiline: true, order: 1 });
      expect(props.credentials.discriminator.propertyName).to.equal('credentials_title');

      // Apart from the two advanced endpoint overrides, the config schema is Python's, key for key.
      delete props.sheets_api_url;
      delete props.oauth_token_url;
      expect(ours.configSchema).to.deep.equal(python.configSchema);
      expect(ours.configSchema.required).to.deep.equal(['credentials', 'spreadsheet_url']);
      expect(ours.resourceConfigSchema).to.deep.equal(python.resourceConfigSchema);
      expect(ours.oauth2).to.deep.equal(python.oauth2);
      expect(ours.documentationUrl).to.equal(python.documentationUrl);
      expect(ours.resourcePathPointers).to.deep.equal(python.resourcePathPointers);
    });

    it('discover with an OAuth refresh token: the same bindings, keys, resource configs and document schemas', async () => {
      const before = mock.requests.length;
      const cli = await estuary(['discover', CONNECTOR, '--config', writeConfig('oauth.json', mock.config())]);
      expect(cli.code, cli.stderr).to.equal(0);
      expect(JSON.parse(cli.stdout.join('\n')).bindings).to.deep.equal(pythonSnapshot(PY_DISCOVER));
      const seen = mock.requests.slice(before);
      expect(seen.filter((r) => r.path === '/token').map((r) => [r.grant, r.status])).to.deep.equal([['refresh_token', 200]]);
      expect(seen.filter((r) => r.path.startsWith('/v4/')).map((r) => r.status)).to.deep.equal([200]);
    });
  });

  describe('credentials', () => {
    it('a service account key is exchanged at its token_uri with an RS256 JWT assertion the mock verifies', async () => {
      const before = mock.requests.length;
      const config = mock.config({ credentials_title: 'Google Service Account', service_account: mock.serviceAccountKey() });
      const cli = await estuary(['discover', CONNECTOR, '--config', writeConfig('sa.json', config)]);
      expect(cli.code, cli.stderr).to.equal(0);
      expect(JSON.parse(cli.stdout.join('\n')).bindings.map((b: any) => b.recommendedName)).to.deep.equal(['VariousTypes', 'OtherThings']);
      const seen = mock.requests.slice(before);
      expect(seen.filter((r) => r.path === '/token').map((r) => [r.grant, r.status])).to.deep.equal([['urn:ietf:params:oauth:grant-type:jwt-bearer', 200]]);
    });

    it('a key signed by another key pair is refused at the token endpoint', async () => {
      const before = mock.requests.length;
      const http = new HttpClient({ tokenSource: TokenSource.googleServiceAccount(mock.serviceAccountKey(true), { scopes: SCOPES }) });
      try {
        const err = await http.requestJson(`${mock.url}/v4/spreadsheets/${SPREADSHEET_ID}`).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(TokenError);
        expect((err as Error).message)
          .to.match(/Google service account: the token endpoint refused the credentials/)
          .and.not.contain('PRIVATE KEY');
      } finally {
        await http.close();
      }
      expect(mock.requests.slice(before).map((r) => [r.path, r.status])).to.deep.equal([['/token', 400]]);
    });

    it('a revoked refresh token fails discover before any sheet is read', async () => {
      const before = mock.requests.length;
      const config = mock.config({ ...(mock.config().credentials as object), refresh_token: 'revoked' });
      const cli = await estuary(['discover', CONNECTOR, '--config', writeConfig('revoked.json', config)]);
      expect(cli.code).to.equal(1);
      expect(cli.stderr).to.match(/refresh_token grant: the token endpoint refused the credentials/);
      expect(mock.requests.slice(before).map((r) => [r.path, r.grant, r.status])).to.deep.equal([['/token', 'refresh_token', 400]]);
    });

    it('the mock answers 401 to an unknown bearer token and serves the long-lived access token', async () => {
      const url = `${mock.url}/v4/spreadsheets/${SPREADSHEET_ID}`;
      const bad = new HttpClient({ tokenSource: TokenSource.accessToken('ya29.forged'), retry: { maxRetries: 0 } });
      const good = new HttpClient({ tokenSource: TokenSource.accessToken(mock.credentials.access_token) });
      try {
        const err = await bad.requestJson(url).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(HttpError);
        expect((err as HttpError).status).to.equal(401);
        const body = (await good.requestJson(url, { query: { fields: 'properties,sheets.properties' } })) as any;
        expect(body.sheets.map((s: any) => s.properties.title)).to.deep.equal(['VariousTypes', 'OtherThings']);
      } finally {
        await Promise.all([bad.close(), good.close()]);
      }
    });
  });

  it('end to end through estuary preview: first capture, restart without re-emitting, deleted row becomes a tombstone', async () => {
    const SHEETS = ['VariousTypes', 'OtherThings'];
    const config = writeConfig('preview.json', mock.config());
    const catalog = path.join(tmp, 'test.flow.yaml');
    // The Python connector's test catalog, with a one-second interval.
    fs.writeFileSync(
      catalog,
      JSON.stringify({
        captures: {
          'acmeCo/source-google-sheets': {
            endpoint: { local: { command: ['unused'], config } },
            bindings: SHEETS.map((name) => ({ resource: { name, interval: 'PT1S' }, target: `acmeCo/${name}` })),
          },
        },
        // With schemas and keys (those discover returns, asserted above), preview skips discovery.
        collections: Object.fromEntries(pythonSnapshot(PY_DISCOVER).map((b: any) => [`acmeCo/${b.recommendedName}`, { schema: b.documentSchema, key: b.key }])),
      }),
    );
    const state = path.join(tmp, 'state.json');
    // Transactions of a session each wait a second and for a checkpoint, so a session of n
    // transactions spans at least n-1 seconds after the connector opened, whatever its start-up time.
    const preview = (transactions: number): Promise<Cli> => estuary(['preview', CONNECTOR, '--source', catalog, '--sessions', String(transactions), '--delay', '1s', '--state', state]);

    // 1. The first capture. It spans a second snapshot: the first emits op "c", the second the same
    //    rows as "u" (so a new digest, as in the Python CDK); only after that is the digest stable.
    const first = await preview(3);
    expect(first.code, first.stderr).to.equal(0);
    const various = firstPerRow(documents(first, 'acmeCo/VariousTypes'));
    expect(
      compareCaptureRecords(
        PY_CAPTURED_VARIOUS_TYPES,
        various.map((d) => ['acmeCo/VariousTypes', d]),
      ),
      'matches the Python capture',
    ).to.deep.equal([]);
    expect(various[0]).to.include({ Verified: true });
    const other = firstPerRow(documents(first, 'acmeCo/OtherThings'));
    expect(other).to.have.length(40);
    expect(other[0]).to.include({ mapped: '0', message: 'Hello #18240', num: '913' }).and.to.have.property('A').that.is.a('string');
    const saved = JSON.parse(fs.readFileSync(state, 'utf8')).bindingStateV1;
    expect(saved.VariousTypes.snapshot.last_count).to.equal(5);
    expect(saved.OtherThings.snapshot.last_count).to.equal(40);

    // 2. A restart from the saved state: the snapshots run again but, the data being unchanged, emit nothing.
    const dataRequests = mock.requests.filter((r) => r.query.fields?.[0]?.startsWith('sheets.data')).length;
    const second = await preview(2);
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout, 'no documents after a restart with unchanged data').to.deep.equal([]);
    expect(mock.requests.filter((r) => r.query.fields?.[0]?.startsWith('sheets.data')).length, 'the sheets were read again').to.be.greaterThan(dataRequests);
    const resumed = JSON.parse(fs.readFileSync(state, 'utf8')).bindingStateV1;
    expect(resumed.VariousTypes.snapshot.last_digest).to.equal(saved.VariousTypes.snapshot.last_digest);
    expect(Date.parse(resumed.VariousTypes.snapshot.updated_at)).to.be.greaterThan(Date.parse(saved.VariousTypes.snapshot.updated_at));

    // 3. Deleting "Todd!" shifts the rows after it up; the row id past the end becomes a deletion.
    mock.deleteRow('VariousTypes', 2);
    const third = await preview(2);
    expect(third.code, third.stderr).to.equal(0);
    const changed = documents(third, 'acmeCo/VariousTypes');
    expect(changed.map((d) => [d._meta.row_id, d._meta.op, d.Name])).to.deep.equal([
      [0, 'u', 'Alice'],
      [1, 'u', 'S&P'],
      [2, 'u', 'APPL'],
      [3, 'u', 'Added again'],
      [4, 'd', undefined],
    ]);
    expect(documents(third, 'acmeCo/OtherThings'), 'an unchanged sheet emits nothing').to.deep.equal([]);
    expect(JSON.parse(fs.readFileSync(state, 'utf8')).bindingStateV1.VariousTypes.snapshot.last_count).to.equal(4);
  });

  describe('row conversion', () => {
    const props = (columnCount: number, frozenRowCount?: number): SheetProperties => ({
      sheetId: 0,
      title: 's',
      index: 0,
      sheetType: 'GRID',
      gridProperties: { rowCount: 10, columnCount, ...(frozenRowCount !== undefined ? { frozenRowCount } : {}) },
    });
    const row = (...values: unknown[]): RowData => Object.assign(new RowData(), { values });

    it('names columns by letter without exactly one frozen row, and by the header row with one', () => {
      const plain = new RowReader(props(2), 'UTC');
      expect(plain.read(row({ effectiveValue: { stringValue: 'x' } }, {}, { effectiveValue: { boolValue: false } }))).to.deep.equal({ A: 'x', C: false });
      const headed = new RowReader(props(3, 1), 'UTC');
      expect(headed.read(row({ effectiveValue: { stringValue: 'id' } }, { effectiveValue: { numberValue: 2024 } }, { effectiveValue: { stringValue: '' } }))).to.equal(undefined);
      expect(headed.read(row({ effectiveValue: { numberValue: 1 } }, { effectiveValue: { stringValue: 'y' } }, { effectiveValue: { numberValue: 2 } }))).to.deep.equal({
        id: '1',
        '2024': 'y',
        C: '2',
      });
      expect(headed.read(row({}, {})), 'an empty row is skipped').to.equal(undefined);
      expect(columnLetter(0) + columnLetter(25) + columnLetter(26) + columnLetter(701) + columnLetter(702)).to.equal('AZAAZZAAA');
    });

    it('writes numbers as exact decimals, dates and date-times in the spreadsheet time zone, and leaves out error cells', () => {
      expect(cellValue({ effectiveValue: { numberValue: '123456789012345678901' } }, 'UTC')).to.equal('123456789012345678901');
      expect(cellValue({ effectiveValue: { numberValue: 1e-7 } }, 'UTC')).to.equal('1E-7');
      expect(cellValue({ effectiveValue: { errorValue: { type: 'DIVIDE_BY_ZERO' } } }, 'UTC')).to.equal(undefined);
      expect(cellValue({ effectiveFormat: { numberFormat: { type: 'DATE' } }, effectiveValue: { numberValue: 45267.75 } }, 'UTC')).to.equal('2023-12-07');
      // Summer and winter offsets of the same zone; a fraction of a second; UTC as "Z".
      expect(serialDateTime(45488.5, 'Europe/Berlin')).to.equal('2024-07-15T12:00:00+02:00');
      expect(serialDateTime(45306.5, 'Europe/Berlin')).to.equal('2024-01-15T12:00:00+01:00');
      expect(serialDateTime(45306.5 + 0.25 / 86400, 'UTC')).to.equal('2024-01-15T12:00:00.250000Z');
      // As Python's zoneinfo with fold=0: a repeated hour takes the first offset, a skipped one the offset before.
      expect(serialDateTime(45599 + 1.5 / 24, 'America/New_York')).to.equal('2024-11-03T01:30:00-04:00');
      expect(serialDateTime(45361 + 2.5 / 24, 'America/New_York')).to.equal('2024-03-10T02:30:00-05:00');
    });

    it('takes the spreadsheet id out of its URL and rejects a URL without one', () => {
      expect(spreadsheetIdOf(`https://docs.google.com/spreadsheets/d/${SPREADSHEET_ID}/edit#gid=0`)).to.equal(SPREADSHEET_ID);
      expect(() => spreadsheetIdOf('https://docs.google.com/spreadsheets/')).to.throw(/holds no spreadsheet id/);
    });
  });
});

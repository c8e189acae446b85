import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectorCommand, runPreview } from '../../src/testing';
import { cliJson, pythonSnapshot } from '../helpers/sample-helpers';
import { formatApiTime } from '../../sample-connectors/navan/api';
import { NavanMock, type LoggedRequest } from '../../sample-connectors/navan/mock-api';

// Compiled connector (no on-the-fly TypeScript compile per process) and the source folder.
const CONNECTOR = path.resolve(__dirname, '../../sample-connectors/navan');
const SOURCE = path.resolve(__dirname, '../../../sample-connectors/navan');

function snapshot(name: string): any {
  return pythonSnapshot(name === 'spec.json' ? 'source-navan--snapshots__spec__stdout.json' : 'source-navan--snapshots__discover__stdout.json');
}

const cli = cliJson;

const bookingsRequests = (log: LoggedRequest[]): LoggedRequest[] => log.filter((r) => r.path === '/v1/bookings');

describe('sample connector: navan', function () {
  this.timeout(60_000);
  let spec: any;
  let discovered: any[];

  before(async () => {
    const config = path.join(SOURCE, 'config.yaml');
    [spec, discovered] = await Promise.all([cli('spec', CONNECTOR), cli('discover', CONNECTOR, '--config', config).then((d) => d.bindings)]);
  });

  describe("compared with the Python connector's snapshots", () => {
    it('has the same config properties, required fields and annotations, plus an advanced base_url', () => {
      const py = snapshot('spec.json')[0];
      const ours = spec.configSchema;
      expect(ours.required).to.deep.equal(py.configSchema.required);
      expect(ours.$defs).to.deep.equal(py.configSchema.$defs);
      for (const [name, schema] of Object.entries(py.configSchema.properties)) {
        expect(ours.properties[name], `property ${name}`).to.deep.equal(schema);
      }
      expect(Object.keys(ours.properties)).to.deep.equal([...Object.keys(py.configSchema.properties), 'base_url']);
      expect(ours.properties.base_url).to.include({ advanced: true, default: 'https://api.navan.com', type: 'string' });
      expect(ours.required).to.not.include('base_url');
      const { properties: _p, ...ourRest } = ours;
      const { properties: _q, ...pyRest } = py.configSchema;
      expect(ourRest).to.deep.equal(pyRest);
      expect(spec.resourceConfigSchema).to.deep.equal(py.resourceConfigSchema);
      expect(spec.resourcePathPointers).to.deep.equal(py.resourcePathPointers);
      expect(spec.documentationUrl).to.equal(py.documentationUrl);
      expect(spec.protocol).to.equal(py.protocol);
      expect(spec.oauth2).to.equal(undefined);
    });

    it('discovers the same bindings, keys, resource configs and document schemas', () => {
      const py = snapshot('discover.json');
      expect(discovered.map((b) => b.recommendedName)).to.deep.equal(py.map((b: any) => b.recommendedName));
      expect(discovered.map((b) => b.key)).to.deep.equal(py.map((b: any) => b.key));
      expect(discovered.map((b) => b.resourceConfig)).to.deep.equal(py.map((b: any) => b.resourceConfig));
      expect(JSON.stringify(discovered.map((b) => b.documentSchema))).to.equal(JSON.stringify(py.map((b: any) => b.documentSchema)));
    });
  });

  describe('end to end through the preview harness against the mock API', () => {
    let mock: NavanMock;
    let dir: string;
    let stateFile: string;

    before(async () => {
      // 120 bookings served in pages of at most 25: five backfill pages.
      mock = await NavanMock.start({ bookings: 120, maxPageSize: 25 });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navan-spec-'));
      stateFile = path.join(dir, 'state.json');
    });
    after(async () => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- before() may have failed before assigning it
      await mock?.close();
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- before() may have failed before assigning it
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    });

    const config = (): object => ({
      credentials: { credentials_title: 'OAuth Credentials', client_id: 'navan-client', client_secret: 'navan-secret' },
      base_url: mock.url,
    });
    const bindings = (): any[] => discovered.map((b) => ({ resource: { ...b.resourceConfig, interval: 'PT1S' }, target: `acmeCo/${b.recommendedName}`, schema: b.documentSchema, key: b.key }));
    const readState = (): any => (fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {});

    /**
     * One session resuming from and saving to the state file: of one transaction (the first
     * checkpoint), or, with `until`, ended by the transaction whose committed state satisfies it.
     */
    async function session(until?: (state: any) => boolean, atStart?: () => void): Promise<{ records: Array<[string, any]>; log: LoggedRequest[] }> {
      let mark = 0;
      const result = await runPreview({
        command: connectorCommand(CONNECTOR),
        config: config(),
        bindings: bindings(),
        ...(until !== undefined ? { sessions: -1, until } : { sessions: 1 }),
        stateFile,
        onProgress: (e) => {
          if (e.type !== 'session-start') return;
          mark = mock.requests.length; // what spec/validate asked for is not the capture's
          atStart?.();
        },
      });
      return { records: result.records, log: mock.requests.slice(mark) };
    }

    it('backfills every page up to the cutoff; a restart mid-backfill resumes at the committed page', async () => {
      // The first session ends once a page past the second is committed (or the backfill is
      // done, when its pages arrive together); the second resumes exactly at the committed page
      // and ends once the backfill is complete.
      const records: Array<[string, any]> = [];
      const logs: LoggedRequest[] = [];
      // A completed backfill's state is null, which the merge patch removes.
      const bookings = (s: any): any => s?.bindingStateV1?.bookings;
      const backfillDone = (s: any): boolean => bookings(s) !== undefined && bookings(s).backfill == null;
      const untils = [(s: any) => backfillDone(s) || (bookings(s)?.backfill?.next_page ?? 1) >= 3, backfillDone];
      for (const [n, until] of untils.entries()) {
        if (n > 0 && backfillDone(readState())) break;
        const resumeAt = bookings(readState())?.backfill?.next_page ?? 1;
        const s = await session(until);
        records.push(...s.records);
        logs.push(...s.log);
        const pages = bookingsRequests(s.log)
          .filter((r) => r.query.updatedFrom === undefined)
          .map((r) => Number(r.query.page));
        expect(pages[0], `session ${n + 1} starts at the committed page`).to.equal(resumeAt);
      }
      expect(backfillDone(readState()), 'backfill complete').to.equal(true);

      const uuids = records.filter(([c]) => c === 'acmeCo/bookings').map(([, d]) => d.uuid);
      expect(new Set(uuids)).to.deep.equal(new Set(mock.bookings.map((b) => b.uuid)));
      expect(records[0]![1]).to.include.keys('bookingType', 'grandTotal', 'traveler', 'lastModified');

      const state = readState().bindingStateV1.bookings;
      const cutoff = formatApiTime(new Date(state.inc.cursor));
      const backfill = bookingsRequests(logs).filter((r) => r.query.updatedFrom === undefined);
      expect(new Set(backfill.filter((r) => r.status === 200).map((r) => Number(r.query.page)))).to.deep.equal(new Set([1, 2, 3, 4, 5]));
      // Bounded by the cutoff, which is where the incremental cursor starts.
      expect(new Set(backfill.map((r) => r.query.updatedTo))).to.deep.equal(new Set([cutoff]));
      const tokens = mock.requests.filter((r) => r.path === '/ta-auth/oauth/token');
      expect(tokens.length).to.be.greaterThan(0);
      expect(tokens.every((r) => r.status === 200)).to.equal(true);
    });

    it('restarts from the state file and reads only the changes since the cursor, every page, through a 503', async () => {
      const saved = readState().bindingStateV1.bookings.inc.cursor as string;
      // 30 bookings change and 5 are created just before the restart (and after the saved cursor):
      // 35 changes, two pages of 25.
      const changedAt = new Date(Math.max(Date.now() - 500, Date.parse(saved) + 1));
      const touched = mock.change(30, 5, changedAt);
      expect(changedAt.getTime()).to.be.greaterThan(Date.parse(saved));

      // No delay: the transaction is the first checkpoint, the incremental's first window.
      const { records, log } = await session(undefined, () => mock.failNext(1));

      const docs = records.filter(([c]) => c === 'acmeCo/bookings').map(([, d]) => d);
      expect(docs.map((d) => d.uuid).sort()).to.deep.equal([...touched].sort());
      expect(docs.every((d) => d.lastModified === changedAt.toISOString())).to.equal(true);
      expect(docs.filter((d) => d.bookingStatus === 'CHANGED')).to.have.length(30);

      const requests = bookingsRequests(log);
      expect(
        requests.filter((r) => r.query.updatedFrom === undefined),
        'no backfill page re-read',
      ).to.deep.equal([]);
      const from = formatApiTime(new Date(saved));
      // The first window, from the saved cursor, page by page (page 1 retried after the 503); later
      // polls (made before the harness stopped the connector) start at or after it.
      const window = requests.filter((r) => r.query.updatedFrom === from && r.query.updatedTo === requests[0]!.query.updatedTo);
      expect(window.map((r) => [r.query.page, r.status])).to.deep.equal([
        ['1', 503],
        ['1', 200],
        ['2', 200],
      ]);
      for (const r of requests) expect(Date.parse(r.query.updatedFrom!)).to.be.at.least(Date.parse(from));

      const state = readState().bindingStateV1.bookings;
      expect(new Date(state.inc.cursor).getTime()).to.equal(changedAt.getTime());
      expect(state.backfill ?? null).to.equal(null);
    });

    it('rejects wrong client credentials with a 401 from the token endpoint and a clear error', async () => {
      const before = mock.requests.length;
      let error: Error | undefined;
      try {
        await runPreview({
          command: connectorCommand(CONNECTOR),
          config: { ...config(), credentials: { client_id: 'navan-client', client_secret: 'wrong-secret' } },
          bindings: bindings(),
          sessions: 1,
        });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message).to.match(/Invalid credentials/);
      expect(error?.message).to.not.include('wrong-secret');
      const log = mock.requests.slice(before);
      expect(log.map((r) => [r.path, r.status])).to.deep.include(['/ta-auth/oauth/token', 401]);
      expect(log.filter((r) => r.path === '/v1/bookings')).to.deep.equal([]);
    });
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectorCommand, runPreview } from '../../src/testing';
import { cliJson, pythonSnapshot } from '../helpers/sample-helpers';
import { IterateMock, type LoggedRequest } from '../../sample-connectors/iterate/mock-api';

// Compiled connector (no on-the-fly TypeScript compile per process) and the source folder.
const CONNECTOR = path.resolve(__dirname, '../../sample-connectors/iterate');
const SOURCE = path.resolve(__dirname, '../../../sample-connectors/iterate');

function snapshot(name: string): any {
  return pythonSnapshot(name === 'spec.json' ? 'source-iterate--snapshots__spec__capture.stdout.json' : 'source-iterate--snapshots__discover__capture.stdout.json');
}

const cli = cliJson;

const byName = (list: any[]): any[] => [...list].sort((a, b) => String(a.recommendedName).localeCompare(String(b.recommendedName)));
const isResponses = (r: LoggedRequest): boolean => /^\/api\/v1\/surveys\/[^/]+\/responses$/.test(r.path);

describe('sample connector: iterate', function () {
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
      expect(ours.properties.credentials.discriminator).to.deep.equal({ mapping: { 'Private App Credentials': '#/$defs/AccessToken' }, propertyName: 'credentials_title' });
      expect(ours.$defs.AccessToken.properties.access_token.secret).to.equal(true);
      expect(Object.keys(ours.properties)).to.deep.equal([...Object.keys(py.configSchema.properties), 'base_url']);
      expect(ours.properties.base_url).to.include({ advanced: true, default: 'https://iteratehq.com/api/v1', type: 'string' });
      const { properties: _p, ...ourRest } = ours;
      const { properties: _q, ...pyRest } = py.configSchema;
      expect(ourRest).to.deep.equal(pyRest);
      expect(spec.resourceConfigSchema).to.deep.equal(py.resourceConfigSchema);
      expect(spec.resourcePathPointers).to.deep.equal(py.resourcePathPointers);
      expect(spec.documentationUrl).to.equal(py.documentationUrl);
      expect(spec.protocol).to.equal(py.protocol);
    });

    it('discovers the same snapshot bindings keyed on /_meta/row_id, with the same resource configs and schemas', () => {
      const py = byName(snapshot('discover.json'));
      const ours = byName(discovered);
      expect(ours.map((b) => b.recommendedName)).to.deep.equal(['survey_responses', 'surveys']);
      expect(ours.map((b) => b.recommendedName)).to.deep.equal(py.map((b) => b.recommendedName));
      expect(ours.map((b) => b.key)).to.deep.equal(py.map((b) => b.key));
      expect(ours.map((b) => b.resourceConfig)).to.deep.equal(py.map((b) => b.resourceConfig));
      expect(JSON.stringify(ours.map((b) => b.documentSchema))).to.equal(JSON.stringify(py.map((b) => b.documentSchema)));
    });
  });

  describe('end to end through the preview harness against the mock API', () => {
    let mock: IterateMock;
    let dir: string;
    let stateFile: string;

    before(async () => {
      // Three surveys with 7, 0 and 12 responses, five to a page: 2 + 1 + 3 response pages.
      mock = await IterateMock.start({ responsesPerSurvey: [7, 0, 12], pageSize: 5 });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterate-spec-'));
      stateFile = path.join(dir, 'state.json');
    });
    after(async () => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- before() may have failed before assigning it
      await mock?.close();
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- before() may have failed before assigning it
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    });

    const config = (apiKey = 'iterate-key'): object => ({
      credentials: { credentials_title: 'Private App Credentials', access_token: apiKey },
      base_url: mock.url,
    });
    const bindings = (intervals: Record<string, string>): any[] =>
      discovered.map((b) => ({
        resource: { ...b.resourceConfig, interval: intervals[b.recommendedName] },
        target: `acmeCo/${b.recommendedName}`,
        schema: b.documentSchema,
        key: b.key,
      }));
    const readState = (): any => (fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {});

    interface Capture {
      records: Array<[string, any]>;
      log: LoggedRequest[];
      /** Documents captured per transaction and collection, before combining. */
      transactions: Array<Record<string, number>>;
    }

    /**
     * One session, resuming from and saving to the state file: of `transactions` transactions when
     * given, else until `done` holds for the committed state (no delay: the session ends on the
     * transaction that satisfies it).
     */
    async function captureUntil(options: { intervals: Record<string, string>; transactions?: number; done: (state: any) => boolean; atStart?: () => void }): Promise<Capture> {
      const out: Capture = { records: [], log: [], transactions: [] };
      {
        let mark = 0;
        const result = await runPreview({
          command: connectorCommand(CONNECTOR),
          config: config(),
          bindings: bindings(options.intervals),
          ...(options.transactions !== undefined ? { sessions: options.transactions } : { sessions: -1, until: options.done }),
          stateFile,
          onProgress: (e) => {
            if (e.type === 'session-start') {
              mark = mock.requests.length; // what validate asked for is not the capture's
              options.atStart?.();
            } else if (e.type === 'transaction') {
              out.transactions.push(Object.fromEntries(e.bindings.map((b) => [b.collection.replace('acmeCo/', ''), b.captured])));
            }
          },
        });
        out.records.push(...result.records);
        out.log.push(...mock.requests.slice(mark));
        expect(options.done(readState()), 'state after the session').to.equal(true);
        return out;
      }
    }

    const snapshotOf = (state: any, name: string): any => state.bindingStateV1?.[name]?.snapshot;
    const docsOf = (records: Array<[string, any]>, name: string): any[] => records.filter(([c]) => c === `acmeCo/${name}`).map(([, d]) => d);

    it('captures both snapshots with row ids, following links.next page by page', async () => {
      const { records, log } = await captureUntil({
        intervals: { surveys: 'PT1H', survey_responses: 'PT1H' },
        done: (s) => ['surveys', 'survey_responses'].every((n) => snapshotOf(s, n) !== undefined),
      });

      const surveys = docsOf(records, 'surveys');
      expect(surveys.map((d) => [d._meta.row_id, d._meta.op, d.id])).to.deep.equal(mock.surveys.map((s, i) => [i, 'c', s.id]));
      expect(surveys[0]).to.include.keys('name', 'status', 'questions', 'created_at');
      const expected = mock.surveys.flatMap((s) => mock.responses.get(s.id)!.map((r) => r.id));
      expect(expected).to.have.length(19);
      const responses = docsOf(records, 'survey_responses').sort((a, b) => a._meta.row_id - b._meta.row_id);
      expect(responses.map((d) => d.id)).to.deep.equal(expected);
      expect(responses.map((d) => d._meta.row_id)).to.deep.equal([...expected.keys()]);
      expect(new Set(responses.map((d) => d._meta.op))).to.deep.equal(new Set(['c']));

      // Each survey's pages: the first without a cursor, then the page[cursor] of each links.next.
      const served = log.filter((r) => isResponses(r) && r.status === 200);
      expect(served.every((r) => r.query.v === '20250130')).to.equal(true);
      const cursorsOf = (id: string): string[] => [...new Set(served.filter((r) => r.path === `/api/v1/surveys/${id}/responses`).map((r) => r.query['page[cursor]'] ?? ''))];
      const linked = (id: string, after: number): string => Buffer.from(mock.responses.get(id)![after - 1]!.id).toString('base64url');
      const [a, b, c] = mock.surveys.map((s) => s.id);
      expect(cursorsOf(a!)).to.deep.equal(['', linked(a!, 5)]);
      expect(cursorsOf(b!)).to.deep.equal(['']);
      expect(cursorsOf(c!)).to.deep.equal(['', linked(c!, 5), linked(c!, 10)]);
      const state = readState();
      expect(snapshotOf(state, 'surveys').last_count).to.equal(3);
      expect(snapshotOf(state, 'survey_responses').last_count).to.equal(19);
    });

    it('restarts from the state file: a snapshot within its interval is not re-read, an unchanged one emits nothing', async () => {
      const before = readState();
      // surveys is due again (PT1S, after a 503 to ride out); survey_responses is not (PT1H).
      // Two transactions without delay: each is one poll of surveys.
      const { records, log, transactions } = await captureUntil({
        intervals: { surveys: 'PT1S', survey_responses: 'PT1H' },
        transactions: 2,
        done: () => true,
        atStart: () => mock.failNext(1),
      });

      expect(log.filter(isResponses), 'survey_responses not re-read').to.deep.equal([]);
      expect(
        log
          .filter((r) => r.path === '/api/v1/surveys')
          .map((r) => r.status)
          .slice(0, 3),
      ).to.deep.equal([503, 200, 200]);
      // As in the Python CDK, the first re-poll re-emits every row once, now as an update ('c' became
      // 'u', so the digest differs); the next identical poll emits nothing.
      expect(transactions).to.deep.equal([
        { surveys: 3, survey_responses: 0 },
        { surveys: 0, survey_responses: 0 },
      ]);
      expect(docsOf(records, 'surveys').map((d) => [d._meta.row_id, d._meta.op, d.id])).to.deep.equal(mock.surveys.map((x, i) => [i, 'u', x.id]));
      expect(docsOf(records, 'survey_responses')).to.deep.equal([]);
      const after = readState();
      expect(Date.parse(snapshotOf(after, 'surveys').updated_at)).to.be.greaterThan(Date.parse(snapshotOf(before, 'surveys').updated_at));
      expect(snapshotOf(after, 'surveys').last_count).to.equal(3);
      expect(snapshotOf(after, 'survey_responses'), 'survey_responses state untouched').to.deep.equal(snapshotOf(before, 'survey_responses'));
    });

    it('turns a survey deleted in the API into tombstones on the next snapshot', async () => {
      const [a, b, c] = mock.surveys.map((s) => s.id);
      mock.deleteSurvey(c!); // and its 12 responses
      const { records } = await captureUntil({
        intervals: { surveys: 'PT1S', survey_responses: 'PT1S' },
        done: (s) => snapshotOf(s, 'surveys').last_count === 2 && snapshotOf(s, 'survey_responses').last_count === 7,
      });

      const surveys = docsOf(records, 'surveys').sort((x, y) => x._meta.row_id - y._meta.row_id);
      expect(surveys.map((d) => [d._meta.row_id, d._meta.op, d.id])).to.deep.equal([
        [0, 'u', a],
        [1, 'u', b],
        [2, 'd', undefined],
      ]);
      const responses = docsOf(records, 'survey_responses').sort((x, y) => x._meta.row_id - y._meta.row_id);
      expect(responses.filter((d) => d._meta.op === 'u').map((d) => d.id)).to.deep.equal(mock.responses.get(a!)!.map((r) => r.id));
      expect(responses.filter((d) => d._meta.op === 'd').map((d) => d._meta.row_id)).to.deep.equal([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    });

    it('rejects a wrong API key with a 401 and a clear error', async () => {
      const before = mock.requests.length;
      let error: Error | undefined;
      try {
        await runPreview({ command: connectorCommand(CONNECTOR), config: config('wrong-key'), bindings: bindings({}), sessions: 1 });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message).to.match(/Invalid credentials/);
      expect(error?.message).to.not.include('wrong-key');
      expect(mock.requests.slice(before).map((r) => [r.path, r.status])).to.deep.equal([['/api/v1/surveys', 401]]);
    });
  });
});

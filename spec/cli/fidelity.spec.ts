import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, runCli } from '../helpers/cli-process';

/**
 * Byte-for-byte comparison with Estuary's Python CDK. spec/fixtures/python-reference holds a
 * Python connector on the CDK, the requests sent to it, and what it wrote (recorded by its
 * record.sh); spec/fixtures/connectors/fidelity.ts is the same connector on ours.
 */
const CONNECTOR = 'spec/fixtures/connectors/fidelity.ts';
const REFERENCE = path.join(REPO, 'spec/fixtures/python-reference');

function reference(name: string): string[] {
  return fs
    .readFileSync(path.join(REFERENCE, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

function request(scenario: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(REFERENCE, `${scenario}.request.json`), 'utf8'));
}

/** Times of "now" differ between runs; each must still be written as Pydantic writes a datetime. */
function withoutNow(line: string): string {
  return line.replace(/"(last_initialized|updated_at)":"([^"]*)"/g, (_m, field: string, value: string) => {
    expect(value, field).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    return `"${field}":"<now>"`;
  });
}

/** The data lines (documents and checkpoints) of a connector's stdout. */
function dataLines(stdout: string[]): string[] {
  return stdout.filter((l) => l.startsWith('{"captured"') || l.startsWith('{"checkpoint"')).map(withoutNow);
}

describe('fidelity with the Python CDK (through the CLI)', function () {
  this.timeout(60000);

  it('resumes a microsecond cursor, re-emits a state without last_initialized whole, writes documents as Pydantic does, and names the failed task as Python does', async () => {
    const expected = dataLines(reference('incremental.stdout.jsonl'));
    // Stdin stays open: the connector ends by itself, with the second invocation's error.
    const r = await runCli(['run', CONNECTOR], [request('incremental')], { keepOpen: () => true });
    expect(dataLines(r.stdout)).to.deep.equal(expected);
    // The state Python stored had no last_initialized: the whole binding state comes back with it.
    expect(expected[0]).to.equal('{"checkpoint":{"state":{"updated":{"bindingStateV1":{"items":{"inc":{"cursor":"2024-01-01T00:00:40.123400Z"},"last_initialized":"<now>"}}},"mergePatch":true}}}');
    // Declared fields first (base class first), floats as 10.0 and 1e-6, the big integer exact, then extras.
    expect(expected[1]).to.equal(
      '{"captured":{"binding":0,"doc":{"id":1,"price":10.0,"updated":"2024-01-01T00:00:40.123456Z","dims":{"width":3.0,"height":2,"depth":1.5},"zeta":12345678901234567890}}}',
    );
    expect(r.code).to.equal(1);
    const pythonError = JSON.parse(reference('incremental.last-log.json')[0]!) as { msg: string };
    expect(r.logs.at(-1)!.msg).to.equal(pythonError.msg).and.to.equal('Task capture.items.incremental: the source went away');
  });

  it('keeps a microsecond backfill cutoff unchanged on every page', async () => {
    const expected = dataLines(reference('backfill.stdout.jsonl'));
    const r = await runCli(['run', CONNECTOR], [request('backfill')], { keepOpen: (out) => dataLines(out).length < expected.length });
    expect(dataLines(r.stdout)).to.deep.equal(expected);
    expect(expected.join('\n')).to.include('"cutoff":"2024-01-01T00:00:40.123456Z","next_page":"p2"');
  });

  it('writes snapshot documents with the bytes, and so the digest, of the Python CDK', async () => {
    const expected = dataLines(reference('snapshot.stdout.jsonl'));
    const r = await runCli(['run', CONNECTOR], [request('snapshot')], { keepOpen: (out) => dataLines(out).length < expected.length });
    expect(dataLines(r.stdout)).to.deep.equal(expected);
    expect(expected.at(-1)).to.include('"last_digest":"fac19a5f0d1034c39d3ac4189d547dac"');
  });

  it('declares an optional nullable config field as Python does, and loads a config without it', async () => {
    const python = JSON.parse(reference('spec.stdout.jsonl')[0]!).spec;
    const r = await runCli(['run', CONNECTOR], [{ spec: { connectorType: 'IMAGE', config: {} } }]);
    const ours = JSON.parse(r.stdout[0]!).spec;
    expect(JSON.stringify(ours.configSchema)).to.equal(JSON.stringify(python.configSchema));
    expect(JSON.stringify(ours.resourceConfigSchema)).to.equal(JSON.stringify(python.resourceConfigSchema));
    // The scenarios above load a config without `note`; null is as good as absent, a number is not.
    const discover = (config: unknown): Promise<{ code: number | null; logs: Record<string, any>[] }> => runCli(['run', CONNECTOR], [{ discover: { connectorType: 'IMAGE', config } }]);
    expect((await discover({ name: 'x', note: null })).code).to.equal(0);
    const bad = await discover({ name: 'x', note: 5 });
    expect(bad.code).to.equal(1);
    expect(bad.logs.at(-1)!.msg).to.include('note');
  });
});

import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadCatalog, previewCommand, runPreview } from '../../src/harness';
import { fixture, tempDir } from './harness-helpers';

const USERS_SCHEMA_YAML = `type: object
properties:
  id: { type: integer }
  name: { type: string }
required: [id]
`;

/** Writes a connectors-repo style test.flow.yaml (import, schema files, config file) and returns its path. */
function writeCatalog(options: { withSchemas: boolean; script: unknown[] }): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'acmeCo'));
  writeFileSync(path.join(dir, 'config.yaml'), `token: secret\nscript: ${JSON.stringify(options.script)}\n`);
  writeFileSync(path.join(dir, 'acmeCo', 'users.schema.yaml'), USERS_SCHEMA_YAML);
  writeFileSync(path.join(dir, 'acmeCo', 'flow.yaml'), options.withSchemas ? 'collections:\n  acmeCo/people:\n    schema: users.schema.yaml\n    key: [/id]\n' : 'collections: {}\n');
  writeFileSync(
    path.join(dir, 'test.flow.yaml'),
    `import:
- acmeCo/flow.yaml
captures:
  acmeCo/source-fake:
    endpoint:
      local:
        command: ${JSON.stringify([process.execPath, fixture('fake-capture.js')])}
        config: config.yaml
    bindings:
    - resource:
        name: users
      target: acmeCo/people
    - resource:
        name: events
      target: acmeCo/events
      disable: true
`,
  );
  return path.join(dir, 'test.flow.yaml');
}

function fakeIo(isTTY: boolean) {
  const io = { stdout: '', stderr: '', isTTY };
  return {
    text: io,
    io: { stdout: { write: (s: string) => (io.stdout += s) }, stderr: { write: (s: string) => (io.stderr += s) }, isTTY },
  };
}

describe('test.flow.yaml catalogs', () => {
  it('loads captures, imported collections with schema files, and the config file', () => {
    const file = writeCatalog({ withSchemas: true, script: [] });
    const catalog = loadCatalog(file);
    expect(catalog.captureName).to.equal('acmeCo/source-fake');
    expect(catalog.config).to.deep.equal({ token: 'secret', script: [] });
    expect(catalog.bindings.map((b) => [b.target, b.disable])).to.deep.equal([
      ['acmeCo/people', false],
      ['acmeCo/events', true],
    ]);
    expect(catalog.collections.get('acmeCo/people')).to.deep.include({ key: ['/id'] });
    expect(catalog.collections.get('acmeCo/people')!.writeSchema).to.have.nested.property('properties.id.type', 'integer');
  });

  it('drives a preview with the catalog schemas (not the discovered ones)', async () => {
    // The catalog schema has no merge-delete block, so a deletion replaces the document.
    const file = writeCatalog({ withSchemas: true, script: [{ emit: [0, { id: 1, name: 'a' }] }, { emit: [0, { id: 1, _meta: { op: 'd' } }] }, { checkpoint: {} }] });
    const result = await runPreview({ source: file });
    expect(result.bindings.map((b) => b.collection)).to.deep.equal(['acmeCo/people']);
    expect(result.records).to.have.length(1);
    expect(result.records[0]![1]).to.not.have.property('name');
  });

  it('takes schemas from discovery when the catalog has none', async () => {
    const file = writeCatalog({ withSchemas: false, script: [{ emit: [0, { id: 1, name: 'a' }] }, { emit: [0, { id: 1, _meta: { op: 'd' } }] }, { checkpoint: {} }] });
    const result = await runPreview({ source: file });
    expect(result.records[0]).to.deep.equal(['acmeCo/people', { _meta: { op: 'd', uuid: 'DocUUIDPlaceholder-329Bb50aa48EAa9ef' }, id: 1, name: 'a' }]);
  });
});

describe('estuary preview command', () => {
  it('prints documents on stdout and JSON progress plus forwarded connector logs on stderr', async () => {
    const file = writeCatalog({ withSchemas: true, script: [{ emit: [0, { id: 2 }] }, { emit: [0, { id: 1 }] }, { checkpoint: { n: 1 } }] });
    const { io, text } = fakeIo(false);
    const code = await previewCommand(['preview', '--source', file, '--sessions', '1', '--delay', '0s', '--output-state'], io);
    expect(code).to.equal(0);
    const lines = text.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as [string, Record<string, unknown>]);
    expect(lines.map(([c, d]) => [c, d.id ?? null])).to.deep.equal([
      ['acmeCo/people', 1],
      ['acmeCo/people', 2],
      ['connectorState', null],
      ['connectorState', null],
      ['connectorState', null],
    ]);
    const logs = text.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; fields?: { transaction?: number } });
    expect(logs.map((l) => l.msg)).to.include('Capture started.');
    expect(logs.find((l) => l.msg === 'preview transaction')?.fields?.transaction).to.equal(1);
  });

  it('overrides the catalog config with --config', async () => {
    const file = writeCatalog({ withSchemas: true, script: [{ emit: [0, { id: 1 }] }, { checkpoint: {} }] });
    const override = path.join(path.dirname(file), 'other.json');
    writeFileSync(override, JSON.stringify({ token: 'x', script: [{ emit: [0, { id: 9 }] }, { checkpoint: {} }] }));
    const { io, text } = fakeIo(false);
    expect(await previewCommand(['--source', file, '--config', override], io)).to.equal(0);
    expect(JSON.parse(text.stdout.trim())[1].id).to.equal(9);
  });

  it('draws live per-binding progress on a TTY', async () => {
    const file = writeCatalog({ withSchemas: true, script: [{ emit: [0, { id: 1 }] }, { checkpoint: {} }] });
    const { io, text } = fakeIo(true);
    expect(await previewCommand(['--source', file], io)).to.equal(0);
    expect(text.stderr).to.match(/acmeCo\/people +1 docs +[\d.]+ docs\/s +1 checkpoints/);
    expect(text.stderr).to.contain('connector INFO Capture started.');
  });

  it('exits non-zero with one error line when the capture fails, and 2 on usage errors', async () => {
    const file = writeCatalog({ withSchemas: true, script: [{ emit: [0, { id: 'x' }] }, { checkpoint: {} }] });
    const failed = fakeIo(false);
    expect(await previewCommand(['--source', file], failed.io)).to.equal(1);
    const errorLines = failed.text.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errorLines).to.deep.equal(['error: collection acmeCo/people (binding 0): document is invalid: /id: must be integer (type)']);
    const usage = fakeIo(false);
    expect(await previewCommand(['--bogus'], usage.io)).to.equal(2);
    expect(usage.text.stderr).to.match(/^error: unknown option --bogus/);
  });
});

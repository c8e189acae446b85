import { expect } from 'chai';
import { ConfigError } from '../../src/common/errors';
import { CatalogError, ConnectorFailedError, ConnectorProtocolError, DocumentError, runPreview } from '../../src/harness';
import { FAKE, preview, rejection } from './harness-helpers';

const LOOSE_USERS = [{ resource: { name: 'users' }, target: 'acmeCo/users', schema: { type: 'object' }, key: ['/id'] }];

describe('runPreview errors', () => {
  it('rejects a config that does not match the spec config schema, naming field and rule', async () => {
    const missing = await rejection(runPreview({ command: FAKE(), config: { script: [] } }));
    expect(missing).to.be.instanceOf(ConfigError);
    expect(missing.message).to.equal('endpoint config is invalid: /token: required property is missing (required)');
    const wrongType = await rejection(runPreview({ command: FAKE(), config: { token: 5 } }));
    expect(wrongType.message).to.contain('/token: must be string (type)');
  });

  it("fails when validate rejects a binding, with the connector's last log message", async () => {
    const err = await rejection(runPreview({ command: FAKE(), config: { token: 't' }, bindings: [{ ...LOOSE_USERS[0]!, resource: { name: 'nope' } }] }));
    expect(err).to.be.instanceOf(ConnectorFailedError);
    expect(err.message).to.equal('validate failed: connector exited with exit code 1: unknown resource "nope"');
  });

  it('fails when a binding without a schema is not among the discovered bindings', async () => {
    const err = await rejection(runPreview({ command: FAKE(), config: { token: 't' }, bindings: [{ resource: { name: 'nope' } }] }));
    expect(err).to.be.instanceOf(CatalogError);
    expect(err.message).to.match(/binding 0 \(resource \{"name":"nope"\}\) .*not found among the connector's discovered bindings/);
  });

  it('fails on a document that violates its collection schema', async () => {
    const err = await rejection(preview([{ emit: [0, { id: 'abc' }] }, { checkpoint: {} }]));
    expect(err).to.be.instanceOf(DocumentError);
    expect(err.message).to.equal('collection acmeCo/users (binding 0): document is invalid: /id: must be integer (type)');
  });

  it('fails on a missing key and on a non-scalar key', async () => {
    const missing = await rejection(preview([{ emit: [0, { name: 'x' }] }, { checkpoint: {} }], { bindings: LOOSE_USERS }));
    expect(missing.message).to.equal('collection acmeCo/users (binding 0): document key /id is missing');
    const nested = await rejection(preview([{ emit: [0, { id: { a: 1 } }] }, { checkpoint: {} }], { bindings: LOOSE_USERS }));
    expect(nested.message).to.contain('document key /id must be a string, integer or boolean, not object');
  });

  it("reports a crash with the connector's last log message", async () => {
    const err = await rejection(preview([{ log: 'fetching users' }, { emit: [0, { id: 1 }] }, { log: 'boom: upstream returned 500', level: 'error' }, { exit: 3 }]));
    expect(err).to.be.instanceOf(ConnectorFailedError);
    expect(err.message).to.equal('capture failed: connector exited with exit code 3: boom: upstream returned 500');
  });

  it('fails when the connector exits inside a checkpoint, after committing what was checkpointed', async () => {
    const lines: string[] = [];
    const err = await rejection(preview([{ emit: [0, { id: 1 }] }, { checkpoint: {} }, { emit: [0, { id: 2 }] }, { exit: 0 }], { onOutput: (l) => lines.push(...l) }));
    expect(err).to.be.instanceOf(ConnectorProtocolError);
    expect(err.message).to.equal('unexpected capture connector EOF while within a checkpoint');
    expect(lines.map((l) => (JSON.parse(l) as [string, { id: number }])[1].id)).to.deep.equal([1]);
  });

  it('fails on a partial last line', async () => {
    const err = await rejection(preview([{ raw: '{"captured":{"binding":0,"doc":{"id":1}}}' }, { exit: 0 }]));
    expect(err.message).to.equal('connector wrote a partial message and then closed its output');
  });

  it('fails on a line that is not JSON', async () => {
    const err = await rejection(preview([{ raw: 'hello world\n' }, { hang: true }]));
    expect(err).to.be.instanceOf(ConnectorProtocolError);
    expect(err.message).to.match(/^parsing JSON message: .*"hello world"/);
  });

  it('fails on unknown response fields and on out-of-range bindings', async () => {
    const unknown = await rejection(preview([{ raw: '{"captured":{"binding":0,"doc":{"id":1},"extra":1}}\n' }, { hang: true }]));
    expect(unknown.message).to.equal('unknown field `extra` in captured response');
    const range = await rejection(preview([{ emit: [7, { id: 1 }] }, { hang: true }]));
    expect(range.message).to.equal('captured document for binding 7, but the capture has 2 bindings');
  });

  it('fails when opened is not the first response to open', async () => {
    const err = await rejection(preview([{ emit: [0, { id: 1 }] }, { checkpoint: {} }], { config: { skipOpened: true } }));
    expect(err.message).to.equal('expected opened as the first response to open, got captured');
  });

  it('fails when the connector reports another protocol version', async () => {
    const err = await rejection(preview([], { env: { FAKE_PROTOCOL: '1' } }));
    expect(err.message).to.equal('connector returned an unexpected protocol version: 1 (expected 3032023)');
  });

  it('fails with a clear message when the command cannot be started', async () => {
    const err = await rejection(runPreview({ command: ['/nonexistent/connector-binary'], config: {} }));
    expect(err.message).to.match(/^cannot start connector "\/nonexistent\/connector-binary": .*ENOENT/);
  });
});

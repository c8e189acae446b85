import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { HarnessError, runCapture } from '../../src/harness';
import { parsePreviewArgs } from '../../src/harness/preview-command';
import { FAKE, preview, tempDir } from './harness-helpers';

const fakeConfig = (script: unknown[]): Record<string, unknown> => ({ token: 't', script });

describe('stop conditions and timeouts', () => {
  it('runCapture stops once the document count is reached', async () => {
    const run = await runCapture({
      command: FAKE(),
      config: fakeConfig([{ counter: { n: 3 } }, { hang: true }]),
      until: 3,
    });
    expect(run.documents.get('acmeCo/users')).to.have.length(3);
  });

  it('runCapture stops once its predicate holds over documents and state', async () => {
    const run = await runCapture({
      command: FAKE(),
      config: fakeConfig([{ counter: { n: 2 } }, { hang: true }]),
      until: (p) => (p.documents.get('acmeCo/users')?.length ?? 0) >= 2 && (p.state as { cursor?: number }).cursor === 2,
    });
    expect(run.state).to.deep.include({ cursor: 2 });
  });

  it('a connector that exits non-zero after the harness stopped it fails the run', async () => {
    const err = await runCapture({
      command: FAKE(),
      config: fakeConfig([{ counter: { n: 1 } }, { log: 'the API went away', level: 'error' }, { exit: 3 }]),
      until: 1,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(HarnessError);
    expect((err as HarnessError).code).to.equal('CONNECTOR_FAILED');
    expect((err as Error).message).to.contain('the API went away');
  });

  it('a connector that logged an error fails the run even when it then exits cleanly on stop', async () => {
    const err = await preview([{ counter: { n: 1 } }, { log: 'page 2 failed', level: 'error' }, { hang: true }], { untilDocuments: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as HarnessError).code).to.equal('CONNECTOR_FAILED');
    expect((err as Error).message).to.contain('connector logged an error: page 2 failed');
  });

  it('runCapture fails when the connector finishes before the stop condition holds', async () => {
    const err = await runCapture({ command: FAKE(), config: fakeConfig([{ counter: { n: 1 } }]), until: 5 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as HarnessError).code).to.equal('STOP_CONDITION_UNMET');
    expect((err as Error).message).to.contain('before reaching 5 documents (1 documents');
  });

  it('runCapture fails at its idle timeout when the stop condition does not hold', async () => {
    const err = await runCapture({ command: FAKE(), config: fakeConfig([{ hang: true }]), until: 1, idleTimeoutMs: 200 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as HarnessError).code).to.equal('STOP_CONDITION_UNMET');
  });

  it('runCapture fails at its overall timeout', async () => {
    const err = await runCapture({ command: FAKE(), config: fakeConfig([{ hang: true }]), until: 2, timeoutMs: 500 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as HarnessError).code).to.equal('TIMEOUT');
    expect((err as Error).message).to.contain('before its stop condition held (0 documents in 0 transactions)');
  });

  it('runPreview stops gracefully at timeoutMs, keeping what was committed, as flowctl --timeout does', async () => {
    // Generous: the two documents are committed as soon as the connector starts; the rest is the hang.
    const result = await preview([{ counter: { n: 2 } }, { hang: true }], { timeoutMs: 6000 });
    expect(result.timedOut).to.equal(true);
    expect(result.records.map(([, d]) => d.id)).to.deep.equal([1, 2]);
  });

  it('parses --timeout and defaults a connector folder to its config.yaml, else its test.flow.yaml', () => {
    const dir = tempDir();
    const withConfig = path.join(dir, 'a');
    const withCatalog = path.join(dir, 'b');
    mkdirSync(withConfig);
    mkdirSync(withCatalog);
    writeFileSync(path.join(withConfig, 'config.yaml'), 'x: 1\n');
    writeFileSync(path.join(withConfig, 'test.flow.yaml'), 'captures: {}\n');
    writeFileSync(path.join(withCatalog, 'test.flow.yaml'), 'captures: {}\n');
    expect(parsePreviewArgs([withConfig, '--timeout', '2s'])).to.deep.include({ config: path.join(withConfig, 'config.yaml'), timeoutMs: 2000 });
    expect(parsePreviewArgs([withCatalog])).to.deep.include({ source: path.join(withCatalog, 'test.flow.yaml') });
    const explicit = parsePreviewArgs([withConfig, '--config', 'other.yaml']);
    expect(explicit).to.deep.include({ config: 'other.yaml' });
    expect(explicit).to.not.have.property('source');
  });
});

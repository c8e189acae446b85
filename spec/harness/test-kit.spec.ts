import { expect } from 'chai';
import { compareCaptureRecords, runCapture } from '../../src/harness';
import { FAKE, preview } from './harness-helpers';

describe('test kit', () => {
  it('runCapture returns documents per collection, checkpoints and the merged state, with env passed through', async () => {
    const run = await runCapture({
      command: FAKE(),
      config: {
        token: 't',
        script: [{ emitEnv: [0, 'MOCK_API_URL'] }, { checkpoint: { a: 1 } }, { emit: [1, { id: 'e', count: 2 }] }, { checkpoint: { b: 2 } }],
      },
      state: { old: 0 },
      env: { MOCK_API_URL: 'http://127.0.0.1:9999' },
    });
    expect(run.documents.get('acmeCo/users')).to.deep.equal([{ _meta: { uuid: 'DocUUIDPlaceholder-329Bb50aa48EAa9ef' }, id: 1, name: 'http://127.0.0.1:9999' }]);
    expect(run.documents.get('acmeCo/events')).to.have.length(1);
    expect(run.checkpoints).to.deep.equal([
      { updated: { a: 1 }, mergePatch: true },
      { updated: { b: 2 }, mergePatch: true },
    ]);
    expect(run.state).to.deep.equal({ old: 0, a: 1, b: 2 });
    const parsed = run.lines.map((l) => JSON.parse(l) as unknown);
    expect(
      compareCaptureRecords(
        [
          ['acmeCo/users', { id: 1 }],
          ['acmeCo/events', { count: 2 }],
        ],
        parsed,
      ),
    ).to.deep.equal([]);
    expect(
      compareCaptureRecords(
        [
          ['acmeCo/users', { id: 2 }],
          ['acmeCo/events', { count: 2 }],
        ],
        parsed,
      ),
    ).to.deep.equal(['acmeCo/users.id: expected 2, got 1']);
  });

  it('runCapture captures only the bindings it is given', async () => {
    const run = await runCapture({
      command: FAKE(),
      config: { token: 't', script: [{ emit: [0, { id: 'x', count: 1 }] }, { checkpoint: {} }] },
      bindings: [{ resource: { name: 'events' }, target: 'test/events' }],
    });
    expect([...run.documents.keys()]).to.deep.equal(['test/events']);
  });

  it('folds every checkpoint available at a delayed poll into one transaction', async () => {
    const result = await preview([{ emit: [0, { id: 1, name: 'a' }] }, { checkpoint: { n: 1 } }, { emit: [0, { id: 1, name: 'b' }] }, { checkpoint: { n: 2 } }, { waitAck: true }], {
      acks: true,
      delayMs: 1500,
    });
    expect(result.transactions).to.equal(1);
    expect(result.acknowledgements).to.deep.equal([2]);
    expect(result.records.map(([, d]) => d.name)).to.deep.equal(['b']);
  });
});

import { expect } from 'chai';
import { preview } from './harness-helpers';

describe('preview at scale', () => {
  // 160k documents in one transaction: spreading them into Array.prototype.push overflowed the stack.
  const N = 160_000;

  it('keeps a transaction of any size when collecting', async () => {
    const result = await preview([{ counter: { n: N } }]);
    expect(result.transactions).to.equal(1);
    expect(result.lines).to.have.length(N);
    expect(result.documents).to.equal(N);
  });

  it('streams each transaction to onOutput and keeps nothing with collect: false', async () => {
    let printed = 0;
    let calls = 0;
    const result = await preview([{ counter: { n: N } }, { emit: [0, { id: -1, name: 'last' }] }, { checkpoint: { last: true } }], {
      collect: false,
      onOutput: (lines) => {
        calls++;
        printed += lines.length;
      },
    });
    expect(printed).to.equal(N + 1);
    expect(calls).to.equal(result.transactions);
    expect(result.documents).to.equal(N + 1);
    expect(result.lines).to.deep.equal([]);
    expect(result.records).to.deep.equal([]);
    expect(result.checkpoints).to.deep.equal([]);
  });
});

import { expect } from 'chai';
import * as path from 'node:path';
import { applyMergePatch, compareCaptureRecords, compareValues, connectorCommand, encodeStateKey, parsePreviewArgs, splitKeyRange } from '../../src/harness';

describe('harness building blocks', () => {
  it('encodes state keys as Flow does', () => {
    expect(encodeStateKey(['users'], 0)).to.equal('users');
    expect(encodeStateKey(['public', 'table'], 1)).to.equal('public%2Ftable.v1');
    expect(encodeStateKey(['a b', 'Ünïcode-_+.=9'], 0)).to.equal('a%20b%2FÜnïcode-_+.=9');
    expect(encodeStateKey(['x:y?'], 3)).to.equal('x%3Ay%3F.v3');
  });

  it('splits the key range into contiguous shards, omitting zero fields', () => {
    expect(splitKeyRange(1)).to.deep.equal([{ keyEnd: 4294967295, rClockEnd: 4294967295 }]);
    const four = splitKeyRange(4);
    expect(four.map((r) => [r.keyBegin ?? 0, r.keyEnd])).to.deep.equal([
      [0, 0x3fffffff],
      [0x40000000, 0x7fffffff],
      [0x80000000, 0xbfffffff],
      [0xc0000000, 0xffffffff],
    ]);
  });

  it('applies RFC 7396 merge patches', () => {
    expect(applyMergePatch({ a: 1, b: { c: 1, d: 2 }, e: [1] }, { b: { c: null, x: 3 }, e: [2], f: null })).to.deep.equal({
      a: 1,
      b: { d: 2, x: 3 },
      e: [2],
    });
    expect(applyMergePatch({ a: 1 }, 'scalar')).to.equal('scalar');
  });

  it('computes the estuary run command relative to the compiled module', () => {
    const cmd = connectorCommand('sample-connectors/hello-world');
    expect(cmd[0]).to.equal(process.execPath);
    expect(path.basename(cmd[1]!)).to.equal('estuary.js');
    expect(path.basename(path.dirname(cmd[1]!))).to.equal('bin');
    expect(cmd.slice(2)).to.deep.equal(['run', 'sample-connectors/hello-world']);
  });

  it('parses estuary preview arguments', () => {
    expect(
      parsePreviewArgs(['preview', './conn', '--config', 'c.yaml', '--sessions', '1,3', '--delay=10s', '--state', 's.json', '--output-state', '--shards', '2', '--initial-state', '{"a":1}']),
    ).to.deep.equal({
      connector: './conn',
      config: 'c.yaml',
      sessions: [1, 3],
      delayMs: 10_000,
      stateFile: 's.json',
      outputState: true,
      shards: 2,
      initialState: { a: 1 },
    });
    expect(() => parsePreviewArgs(['--sessions', '0', 'x'])).to.throw(/--sessions/);
    expect(() => parsePreviewArgs([])).to.throw(/name a connector/);
  });
});

describe('compareCaptureRecords', () => {
  it('allows extra actual keys and reports missing or changed ones with their path', () => {
    expect(compareValues({ a: 1 }, { a: 1, b: 2 }, 'p')).to.deep.equal([]);
    expect(compareValues({ a: 1, b: 2 }, { a: 1 }, 'p')).to.deep.equal(["p: key 'b' missing from actual document"]);
    expect(compareValues({ a: { b: { c: 1 } } }, { a: { b: { c: 999 } } }, 'p')).to.deep.equal(['p.a.b.c: expected 1, got 999']);
    expect(compareValues({ toString: 1 }, {}, 'p')).to.deep.equal(["p: key 'toString' missing from actual document"]);
  });

  it('compares arrays by length, then element-wise for containers and as a whole for scalars', () => {
    expect(compareValues([1, 2, 3], [1, 2], 'p')).to.deep.equal(['p: array length 2, expected 3']);
    expect(compareValues([1, 2, 3], [1, 2, 999], 'p')).to.deep.equal(['p: expected [1,2,3], got [1,2,999]']);
    expect(compareValues([{ a: 1 }, { b: 2 }], [{ a: 1, extra: 'x' }, {}], 'p')).to.deep.equal(["p[1]: key 'b' missing from actual document"]);
    expect(compareValues({ a: 1 }, [1], 'p')).to.deep.equal(['p: expected object, got array']);
  });

  it('compares exact big integers by value, with each other and with numbers, and prints their digits', () => {
    expect(compareValues({ id: 12345678901234567890n }, { id: 12345678901234567890n }, 'p')).to.deep.equal([]);
    expect(compareValues({ n: 5 }, { n: 5n }, 'p')).to.deep.equal([]);
    // A snapshot read with JSON.parse holds the rounded number, which is not the exact value.
    expect(compareValues({ id: 9007199254740992 }, { id: 9007199254740993n }, 'p')).to.deep.equal(['p.id: expected 9007199254740992, got 9007199254740993']);
    expect(compareValues([1n, 2], [1, 2n], 'p')).to.deep.equal([]);
    expect(compareValues({ n: 1.5 }, { n: 1n }, 'p')).to.deep.equal(['p.n: expected 1.5, got 1']);
  });

  it('checks record counts and names paths after the collection', () => {
    expect(
      compareCaptureRecords(
        [['users', { id: 1 }]],
        [
          ['users', { id: 1 }],
          ['orders', { id: 2 }],
        ],
      ),
    ).to.deep.equal(['Record count: got 2, expected 1']);
    const expected = [
      ['users', { id: 1 }],
      ['orders', { id: 2, status: 'pending' }],
    ];
    const actual = [
      ['users', { id: 1, extra: true }],
      ['orders', { id: 2, status: 'wrong' }],
    ];
    expect(compareCaptureRecords(expected, actual)).to.deep.equal(['orders.status: expected "pending", got "wrong"']);
    expect(compareCaptureRecords([{ id: 1, name: 'foo' }], [{ id: 1 }])).to.deep.equal(["record[0]: key 'name' missing from actual document"]);
  });
});

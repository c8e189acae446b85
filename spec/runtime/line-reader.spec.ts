import { expect } from 'chai';
import { readLines } from '../../src/runtime/io/line-reader';

async function collect(chunks: (Buffer | string)[], max?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(
    (async function* () {
      yield* chunks;
    })(),
    max,
  ))
    out.push(line);
  return out;
}

describe('readLines (request framing)', () => {
  it('splits lines across chunks, including a multi-byte character cut between chunks', async () => {
    const bytes = Buffer.from('{"a":"é€😀"}\n{"b":1}\nlast', 'utf8');
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(await collect(chunks)).to.deep.equal(['{"a":"é€😀"}', '{"b":1}', 'last']);
  });

  it('refuses invalid UTF-8 naming the line, rather than replacing it', async () => {
    const err = await collect([Buffer.from('{}\n'), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).to.equal('request line 2 is not valid UTF-8; requests must be UTF-8 encoded JSON');
  });

  it('refuses a line over the limit with a clear error, whether or not its newline arrived', async () => {
    const over = await collect(['{}\n', 'x'.repeat(40), 'y'.repeat(40), '\n'], 64).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(over?.message).to.equal('request line 2 is longer than the maximum of 64 bytes (0 MiB)');
    const unterminated = await collect(['z'.repeat(65)], 64).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(unterminated?.message).to.include('request line 1 is longer than the maximum of 64 bytes');
    expect(await collect(['a'.repeat(64) + '\n'], 64)).to.deep.equal(['a'.repeat(64)]);
  });
});

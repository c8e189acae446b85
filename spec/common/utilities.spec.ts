import { expect } from 'chai';
import { compareDateTimes, epochMicros, formatDateTime, formatDuration, nextFire, parseCron, parseDateTime, parseIsoDuration, PreciseDate } from '../../src';
import { applyMergePatch } from '../../src/testing';
import { shardHash } from '../../src/common/shard-hash';
import { pythonFloatText, toJsonText } from '../../src/common/json-text';
import { pydanticTitle } from '../../src/schema/pydantic-title';

describe('common utilities', () => {
  it('parses and formats ISO 8601 durations as Pydantic does', () => {
    expect(parseIsoDuration('PT5M')).to.equal(300_000);
    expect(parseIsoDuration('P1DT2H')).to.equal(93_600_000);
    expect(parseIsoDuration('PT0.5S')).to.equal(500);
    expect(formatDuration(300_000)).to.equal('PT5M');
    expect(formatDuration(0)).to.equal('PT0S');
    expect(() => parseIsoDuration('5m')).to.throw(RangeError, '"5m" is not an ISO 8601 duration');
  });

  it('reads datetimes as Python writes them, to the microsecond, and writes them as Pydantic does', () => {
    const d = parseDateTime('2024-05-01T00:00:00.123456+00:00');
    expect(d).to.be.instanceOf(Date);
    expect(d.toISOString()).to.equal('2024-05-01T00:00:00.123Z');
    expect(d.micros).to.equal(456);
    expect(epochMicros(d)).to.equal(Date.UTC(2024, 4, 1) * 1000 + 123456);
    expect(parseDateTime('2024-05-01T02:00:00+02:00').toISOString()).to.equal('2024-05-01T00:00:00.000Z');
    expect(formatDateTime(new Date('2024-05-01T00:00:00Z'))).to.equal('2024-05-01T00:00:00Z');
    expect(formatDateTime(new Date('2024-05-01T00:00:00.5Z'))).to.equal('2024-05-01T00:00:00.500000Z');
    expect(() => parseDateTime('yesterday')).to.throw(RangeError);
    expect(() => parseDateTime('2024-02-30T00:00:00Z')).to.throw(RangeError);
  });

  it('formats every datetime Pydantic writes back unchanged, and normalizes the rest as Pydantic does', () => {
    // Left: what is read; right: what Pydantic 2 (model_dump_json of an AwareDatetime) writes for it.
    const cases: [string, string][] = [
      ['2024-01-01T00:00:40.123456Z', '2024-01-01T00:00:40.123456Z'],
      ['2024-01-01T00:00:40.123400Z', '2024-01-01T00:00:40.123400Z'],
      ['2024-01-01T00:00:40Z', '2024-01-01T00:00:40Z'],
      ['2024-01-01T00:00:40.000001Z', '2024-01-01T00:00:40.000001Z'],
      ['1969-12-31T23:59:59.999999Z', '1969-12-31T23:59:59.999999Z'],
      ['2024-01-01T00:00:40.123400+02:00', '2024-01-01T00:00:40.123400+02:00'],
      ['2024-01-01T00:00:40.123+05:30', '2024-01-01T00:00:40.123000+05:30'],
      ['2024-01-01T00:00:40+00:00', '2024-01-01T00:00:40Z'],
      ['2024-01-01T00:00:40.5-00:00', '2024-01-01T00:00:40.500000Z'],
      ['2024-01-01T00:00:40+0200', '2024-01-01T00:00:40+02:00'],
      ['2024-01-01t00:00:40z', '2024-01-01T00:00:40Z'],
      ['2024-01-01 00:00:40Z', '2024-01-01T00:00:40Z'],
      ['2024-01-01T00:00Z', '2024-01-01T00:00:00Z'],
      ['2024-01-01T00:00:40.1234567891Z', '2024-01-01T00:00:40.123456Z'],
    ];
    for (const [read, written] of cases) expect(formatDateTime(parseDateTime(read)), read).to.equal(written);
    expect(JSON.stringify({ at: parseDateTime('2024-01-01T00:00:40.123456Z') })).to.equal('{"at":"2024-01-01T00:00:40.123456Z"}');
  });

  it('compares datetimes to the microsecond', () => {
    const a = parseDateTime('2024-01-01T00:00:40.123400Z');
    const b = parseDateTime('2024-01-01T00:00:40.123456Z');
    expect(a.getTime()).to.equal(b.getTime());
    expect(compareDateTimes(a, b)).to.be.lessThan(0);
    expect(compareDateTimes(b, new Date('2024-01-01T00:00:40.123Z'))).to.equal(456);
    expect(compareDateTimes(parseDateTime('2024-01-01T02:00:40.123456+02:00'), b)).to.equal(0);
    expect(formatDateTime(PreciseDate.fromEpochMicros(epochMicros(b) + 1))).to.equal('2024-01-01T00:00:40.123457Z');
    // A Date changed through a setter no longer claims the microseconds it was read with.
    const changed = parseDateTime('2024-01-01T00:00:40.123456Z');
    changed.setUTCMilliseconds(0);
    expect(formatDateTime(changed)).to.equal('2024-01-01T00:00:40Z');
  });

  it('writes big integers as exact JSON numbers and floats as Python does', () => {
    expect(toJsonText({ n: 12345678901234567890n, a: [1n, { b: -2n }], s: 'x', u: undefined })).to.equal('{"n":12345678901234567890,"a":[1,{"b":-2}],"s":"x"}');
    expect(toJsonText({ d: new Date('2024-01-01T00:00:00Z'), big: 1n })).to.equal('{"d":"2024-01-01T00:00:00.000Z","big":1}');
    const cyclic: Record<string, unknown> = { big: 1n };
    cyclic.self = cyclic;
    expect(() => toJsonText(cyclic)).to.throw(TypeError);
    // Right: Pydantic 2's model_dump_json of a float field.
    const floats: [number, string][] = [
      [10, '10.0'],
      [-0, '-0.0'],
      [0.1, '0.1'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [1e-5, '0.00001'],
      [1e-6, '1e-6'],
      [1e-7, '1e-7'],
      [1.5e300, '1.5e+300'],
      [123456789012345680000, '1.2345678901234568e+20'],
      [5e-324, '5e-324'],
      [NaN, 'null'],
    ];
    for (const [n, text] of floats) expect(pythonFloatText(n), String(n)).to.equal(text);
  });

  it('applies RFC 7396 merge patches', () => {
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 }, f: [1] })).to.deep.equal({ a: 1, b: { d: 3, e: 4 }, f: [1] });
    expect(applyMergePatch({ a: 1 }, [1, 2])).to.deep.equal([1, 2]);
  });

  it('finds the next cron fire time in UTC', () => {
    const start = new Date('2026-01-01T10:30:00Z');
    expect(nextFire('0 0 * * *', start)!.toISOString()).to.equal('2026-01-02T00:00:00.000Z');
    expect(nextFire('*/15 * * * *', start)!.toISOString()).to.equal('2026-01-01T10:45:00.000Z');
    expect(nextFire('0 12 1 * *', start)!.toISOString()).to.equal('2026-01-01T12:00:00.000Z');
    expect(nextFire('0 12 1 * *', new Date('2026-01-02T00:00:00Z'))!.toISOString()).to.equal('2026-02-01T12:00:00.000Z');
    expect(nextFire('0 0 * * *', start, new Date('2026-01-01T23:00:00Z'))).to.equal(undefined);
    expect(nextFire('', start)).to.equal(undefined);
    expect(() => parseCron('61 * * * *')).to.throw(RangeError, 'cron minute value 61 is outside 0-59');
  });

  it('hashes state keys stably and spreads similar keys across the range', () => {
    expect(shardHash('users')).to.equal(shardHash('users'));
    expect(shardHash('users', 'a')).to.not.equal(shardHash('users', 'b'));
    const hashes = Array.from({ length: 64 }, (_, i) => shardHash(`t${i}`));
    const upper = hashes.filter((h) => h > 0x7fffffff).length;
    expect(upper).to.be.within(16, 48);
  });

  it('derives titles exactly as Pydantic does', () => {
    expect(pydanticTitle('client_id')).to.equal('Client Id');
    expect(pydanticTitle('lastModified')).to.equal('Lastmodified');
    expect(pydanticTitle('row_id')).to.equal('Row Id');
    expect(pydanticTitle('api2_key')).to.equal('Api2 Key');
  });
});

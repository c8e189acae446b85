import { expect } from 'chai';
import { formatDateTime, formatDuration, nextFire, parseCron, parseDateTime, parseIsoDuration } from '../../src';
import { applyMergePatch } from '../../src/testing';
import { shardHash } from '../../src/common/shard-hash';
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

  it('reads datetimes as Python writes them and writes them back in UTC', () => {
    expect(parseDateTime('2024-05-01T00:00:00.123456+00:00').toISOString()).to.equal('2024-05-01T00:00:00.123Z');
    expect(parseDateTime('2024-05-01T02:00:00+02:00').toISOString()).to.equal('2024-05-01T00:00:00.000Z');
    expect(formatDateTime(new Date('2024-05-01T00:00:00Z'))).to.equal('2024-05-01T00:00:00Z');
    expect(formatDateTime(new Date('2024-05-01T00:00:00.5Z'))).to.equal('2024-05-01T00:00:00.500Z');
    expect(() => parseDateTime('yesterday')).to.throw(RangeError);
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

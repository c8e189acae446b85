import { expect } from 'chai';
import { IsOptional, IsString } from 'class-validator';
import { IncrementalCsvProcessor, IncrementalCsvRowProcessor, StreamParseError, StreamValidationError, type CsvProcessorOptions } from '../../../src/common/streams';
import { chunked, chunkSizes, collect, rejection } from './stream-spec.helpers';

async function rows(text: string | Buffer, options: CsvProcessorOptions<Record<string, string | null>> = {}, size = 5): Promise<Record<string, string | null>[]> {
  return collect(new IncrementalCsvProcessor(chunked(text, size), options));
}

describe('IncrementalCsvProcessor', () => {
  it('reads a header row and yields objects, in every chunk size', async () => {
    const text = 'name,age,city\nJohn,25,New York\nJane,30,Los Angeles\n';
    for (const size of chunkSizes(text.length)) {
      expect(await rows(text, {}, size), `chunk size ${size}`).to.deep.equal([
        { name: 'John', age: '25', city: 'New York' },
        { name: 'Jane', age: '30', city: 'Los Angeles' },
      ]);
    }
  });

  it('handles quoting, doubled quotes and embedded newlines and delimiters', async () => {
    const text = 'name,notes\n"Doe, John","A ""great""\nproduct"\nJane,plain\n';
    for (const size of chunkSizes(text.length)) {
      expect(await rows(text, {}, size)).to.deep.equal([
        { name: 'Doe, John', notes: 'A "great"\nproduct' },
        { name: 'Jane', notes: 'plain' },
      ]);
    }
  });

  it('accepts \\n, \\r\\n and \\r line terminators', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['name,age', 'John,25', 'Jane,30'].join(eol);
      expect(await rows(text, {}, 3), JSON.stringify(eol)).to.deep.equal([
        { name: 'John', age: '25' },
        { name: 'Jane', age: '30' },
      ]);
      expect(await rows(text, { lineTerminator: eol as '\n' }, 3)).to.have.length(2);
    }
  });

  it('uses a custom delimiter, quote and escape character', async () => {
    const text = "a|b\n'x|y'|'it\\'s'\n";
    expect(await rows(text, { delimiter: '|', quote: "'", escape: '\\' }, 2)).to.deep.equal([{ a: 'x|y', b: "it's" }]);
    expect(await rows('a\tb\n1\t2\n', { delimiter: '\t' })).to.deep.equal([{ a: '1', b: '2' }]);
  });

  it('uses the given field names for input without a header', async () => {
    expect(await rows('John,25\nJane,30', { fieldNames: ['name', 'age'] })).to.deep.equal([
      { name: 'John', age: '25' },
      { name: 'Jane', age: '30' },
    ]);
  });

  it('rejects rows of the wrong width, naming the row and line', async () => {
    const short = await rejection(() => rows('name,age,city\nJohn,25,NY\nJane,30\n'));
    expect(short).to.be.instanceOf(StreamParseError);
    expect(short.message).to.match(/CSV row 2 \(line 3\) has 2 columns but 3 were expected/);
    expect((short as StreamParseError).row).to.equal(2);
    const long = await rejection(() => rows('name,age\nJohn,25,extra\n'));
    expect(long.message).to.match(/CSV row 1 \(line 2\) has 3 columns but 2 were expected/);
    const named = await rejection(() => rows('John,25\nJane', { fieldNames: ['name', 'age'] }));
    expect(named.message).to.match(/row 2 .* has 1 columns but 2 were expected/);
  });

  it('treats empty fields as empty strings, or as null on request', async () => {
    const text = 'name,age\nJohn,\n,\n';
    expect(await rows(text)).to.deep.equal([
      { name: 'John', age: '' },
      { name: '', age: '' },
    ]);
    expect(await rows(text, { emptyAsNull: true })).to.deep.equal([
      { name: 'John', age: null },
      { name: null, age: null },
    ]);
    expect(await rows('a,b\nNULL,x\n', { nullValues: ['NULL'] })).to.deep.equal([{ a: null, b: 'x' }]);
  });

  it('skips blank lines and strips a BOM', async () => {
    expect(await rows('\uFEFFname,age\n\nJohn,25\n\n\n', {}, 1)).to.deep.equal([{ name: 'John', age: '25' }]);
    expect(await rows('')).to.deep.equal([]);
    expect(await rows('name,age')).to.deep.equal([]);
  });

  it('reads a 10 kB field split across many chunks', async () => {
    const long = 'A'.repeat(10_000);
    const [row] = await rows(`id,text\n1,"${long}"\n2,short`, {}, 100);
    expect(row!.text).to.have.length(10_000);
  });

  it('decodes utf-8, utf-16le and latin1 with characters split across chunks', async () => {
    const text = 'name,city\nJosé,São Paulo\n张三,北京\n😀,x\n';
    const want = [
      { name: 'José', city: 'São Paulo' },
      { name: '张三', city: '北京' },
      { name: '😀', city: 'x' },
    ];
    for (const size of [1, 3]) {
      expect(await rows(Buffer.from(text, 'utf8'), {}, size)).to.deep.equal(want);
      expect(await rows(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), { encoding: 'utf-16le' }, size)).to.deep.equal(want);
    }
    const latin = 'name,city\nFrançois,Zürich\n';
    expect(await rows(Buffer.from(latin, 'latin1'), { encoding: 'latin1' }, 1)).to.deep.equal([{ name: 'François', city: 'Zürich' }]);
  });

  it('rejects invalid UTF-8 and an unclosed quote', async () => {
    const bad = await rejection(() => rows(Buffer.concat([Buffer.from('name,age\ntest,'), Buffer.from([0xff, 0xfe])])));
    expect(bad).to.be.instanceOf(StreamParseError);
    expect(bad.message).to.match(/invalid utf-8/);
    const quote = await rejection(() => rows('name,city\nJohn,"New York\nJane,LA'));
    expect(quote).to.be.instanceOf(StreamParseError);
    expect(quote.message).to.match(/malformed CSV/);
  });

  it('builds and validates models', async () => {
    class Person {
      @IsString() name!: string;
      @IsOptional() @IsString() age!: string | null;
    }
    const people = await collect(new IncrementalCsvProcessor(chunked('name,age\nJohn,\nJane,30', 4), { model: Person, emptyAsNull: true }));
    expect(people[0]).to.be.instanceOf(Person);
    expect(people.map((p) => [p.name, p.age])).to.deep.equal([
      ['John', null],
      ['Jane', '30'],
    ]);
    const err = await rejection(() => collect(new IncrementalCsvProcessor(chunked('name,age\n,1', 4), { model: Person, emptyAsNull: true })));
    expect(err).to.be.instanceOf(StreamValidationError);
    expect(err.message).to.match(/CSV row 1 \(line 2\) is invalid: name:/);
  });
});

describe('IncrementalCsvRowProcessor', () => {
  it('yields ragged rows unchanged and skips blank lines', async () => {
    const cells = await collect(new IncrementalCsvRowProcessor(chunked('a,b,c\n1\n\n2,3\n"",""\n', 2)));
    expect(cells).to.deep.equal([['a', 'b', 'c'], ['1'], ['2', '3'], ['', '']]);
  });
});

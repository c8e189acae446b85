import { expect } from 'chai';
import { IsInt, IsNumber, IsOptional, IsString } from 'class-validator';
import { BaseDocument } from '../../src';
import { clearMetadata } from '../../src/testing';
import { ModelJsonWriter } from '../../src/schema/model-json';

describe('ModelJsonWriter (documents as Pydantic writes them)', () => {
  beforeEach(() => clearMetadata());

  it('writes each document of a run by its own key order, float values and nested models, as the shape changes', () => {
    class Order extends BaseDocument {
      @IsString() id!: string;
      @IsOptional() @IsNumber() total?: number;
      @IsOptional() @IsInt() count?: number;
    }
    const w = ModelJsonWriter.of(Order);
    const docs: [object, string][] = [
      [{ id: 'a', total: 1.5, extra: true }, '{"id":"a","total":1.5,"extra":true}'],
      // Same keys as the previous document, but an integral float: Python writes 2.0.
      [{ id: 'b', total: 2, extra: true }, '{"id":"b","total":2.0,"extra":true}'],
      [{ id: 'c', total: 2.5, extra: false }, '{"id":"c","total":2.5,"extra":false}'],
      // Declared fields out of order, then the same shape again.
      [{ count: 1, id: 'd' }, '{"id":"d","count":1}'],
      [{ count: 2, id: 'e' }, '{"id":"e","count":2}'],
      // An extra field before a declared one.
      [{ extra: 1, id: 'f' }, '{"id":"f","extra":1}'],
      [{ id: 'g' }, '{"id":"g"}'],
      [{}, '{}'],
      [{ id: 'h', _meta: { row_id: 3, op: 'c' } }, '{"_meta":{"op":"c","row_id":3},"id":"h"}'],
      [{ id: 'i', _meta: { op: 'u', row_id: 4 } }, '{"_meta":{"op":"u","row_id":4},"id":"i"}'],
    ];
    for (const [doc, text] of docs) expect(w.write(doc)).to.equal(text);
  });

  it('orders only own properties, also when an inherited enumerable key shares the key sequence of a later document', () => {
    class Pair extends BaseDocument {
      @IsInt() x!: number;
      @IsInt() a!: number;
    }
    const w = ModelJsonWriter.of(Pair);
    const proto = { x: 0 };
    const inherited = Object.assign(Object.create(proto) as Record<string, unknown>, { a: 1 });
    // `for…in` enumerates a then x for both; only the second has x as its own property.
    expect(w.write(inherited)).to.equal('{"a":1}');
    expect(w.write({ a: 2, x: 3 })).to.equal('{"x":3,"a":2}');
    expect(w.write(inherited)).to.equal('{"a":1}');
    expect(w.write({ a: 4, x: 5 })).to.equal('{"x":5,"a":4}');
    expect(w.isNative({ x: 1, a: 2 })).to.equal(true);
    expect(w.isNative({ a: 2, x: 1 })).to.equal(false);
  });
});

import { expect } from 'chai';
import { compileDocumentCheck } from '../../../src/runtime/capture/document-check';

describe('document check (per captured document)', () => {
  const schema = {
    required: ['id'],
    properties: {
      id: { type: 'integer' },
      amount: { type: 'number' },
      at: { type: 'string' },
      tags: { type: ['array', 'null'] },
      meta: { type: 'object' },
      flag: { type: 'boolean' },
    },
  };
  const check = compileDocumentCheck('orders', schema, ['/id']);

  it('accepts each JSON type its field declares, integers as numbers, dates as strings and bigints as integers', () => {
    expect(() => check({ id: 1, amount: 2, at: 'x', tags: ['a'], meta: {}, flag: true })).not.to.throw();
    expect(() => check({ id: 10n ** 20n, amount: 2.5, at: new Date(0), tags: null, meta: { a: 1 }, flag: false })).not.to.throw();
    expect(() => check({ id: 1, amount: 5n })).not.to.throw();
  });

  it('rejects a value of another type, naming the field and the declared types in order', () => {
    expect(() => check({ id: 1.5 })).to.throw(/document with key \[1.5\] has field \/id = 1.5, but its model declares integer/);
    expect(() => check({ id: 1, tags: 'a' })).to.throw(/has field \/tags = "a", but its model declares array or null/);
    expect(() => check({ id: 1, meta: [] })).to.throw(/has field \/meta = \[\], but its model declares object/);
    expect(() => check({ id: 1, flag: 0 })).to.throw(/has field \/flag = 0, but its model declares boolean/);
    expect(() => check({ id: 1, at: null })).to.throw(/has field \/at = null, but its model declares string/);
  });

  it('rejects a document without its key or a required field', () => {
    expect(() => check({ amount: 1 })).to.throw(/lacks its collection key field \/id/);
    const keyed = compileDocumentCheck('orders', schema, ['/k']);
    expect(() => keyed({ k: 1 })).to.throw(/lacks field \/id, which its model requires/);
  });
});

import { expect } from 'chai';
import { registerQuerySecrets } from '../../../src/common/http/http-errors';
import { buildUrl, formEncode, type QueryValue } from '../../../src/common/http/http-helpers';
import { redactSecrets } from '../../../src/common/secrets';

/** What `buildUrl` wrote before it set the query in one go: one `searchParams.append` per value. */
function appendedOneByOne(url: string, query: Record<string, QueryValue>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? (value as unknown[]) : [value]) target.searchParams.append(name, String(v));
  }
  return target.href;
}

describe('HTTP request URLs', () => {
  it('form-encodes every character as URLSearchParams does', () => {
    const odd = ['a b', "!'()~*-._", 'ü€😀', 'a+b&c=d%e#f?g/h:i@j', '\uD800x', 'x\uDC00', '', ' \t\n', '[]{}|\\^`"<>'];
    const chars = Array.from({ length: 0x3000 }, (_, i) => String.fromCharCode(i));
    for (const value of [...odd, ...chars]) expect(formEncode(value), JSON.stringify(value)).to.equal(new URLSearchParams([['', value]]).toString().slice(1));
  });

  it('appends a query as searchParams.append does, keeping the path and fragment', () => {
    const cases: [string, Record<string, QueryValue>][] = [
      ['http://h/p', { page: 1, since: '2024-01-01T00:00:00.5+02:00', q: 'a b', list: [1, 'x y'], none: null, unset: undefined }],
      ['http://h/p?x=a%20b', { page: 2 }],
      ['http://h/p?', { a: 1 }],
      ['http://h/p#frag', { a: '!' }],
      ['http://h/p', {}],
      ['http://h/p', { none: null }],
    ];
    for (const [url, query] of cases) expect(buildUrl(url, query).href, url).to.equal(appendedOneByOne(url, query));
    // Relative to a base URL, and given as a URL object.
    expect(buildUrl('items', { page: 2 }, 'http://h/api/').href).to.equal('http://h/api/items?page=2');
    expect(buildUrl('/items', { q: 'a b' }, 'http://h/api/').href).to.equal('http://h/items?q=a+b');
    expect(buildUrl('', { page: 2 }, 'http://h/api/x?old=1').href).to.equal('http://h/api/x?old=1&page=2');
    expect(buildUrl('items', { page: 2 }, 'http://h/api/?old=1').href).to.equal('http://h/api/items?page=2');
    expect(buildUrl(new URL('http://h/p#f'), { a: 1 }).href).to.equal('http://h/p?a=1#f');
  });

  it('registers the values of credential query parameters, named plainly or percent-encoded', () => {
    registerQuerySecrets(new URL('http://h/p?page=2&api_key=plain-zz1&q=a+b'));
    registerQuerySecrets(new URL('http://h/p?%74oken=escaped-zz2'));
    registerQuerySecrets(new URL('http://h/p?Access_Token=cased-zz3'));
    registerQuerySecrets(new URL('http://h/p?page=public-zz4&cursor=abc'));
    expect(redactSecrets('plain-zz1 escaped-zz2 cased-zz3 public-zz4')).to.equal('[redacted] [redacted] [redacted] public-zz4');
  });
});

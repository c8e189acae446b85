import { expect } from 'chai';
import { linkTarget } from '../../../../src/common/http/pagination';

describe('linkTarget (RFC 8288 Link header)', () => {
  it('finds rel="next" among several links, quoted or not, in one or several headers', () => {
    expect(linkTarget('<https://a/x?page=1>; rel="first", <https://a/x?page=3>; rel="next"', 'next')).to.equal('https://a/x?page=3');
    expect(linkTarget('</x?page=2>;rel=next', 'next')).to.equal('/x?page=2');
    expect(linkTarget(['<https://a/1>; rel="prev"', '<https://a/3>; title="Next, please"; rel="next"'], 'next')).to.equal('https://a/3');
  });

  it('matches one relation of a space-separated list, case-insensitively, and keeps commas inside the target', () => {
    expect(linkTarget('<https://a/x?ids=1,2>; REL="prev NEXT"', 'next')).to.equal('https://a/x?ids=1,2');
  });

  it('returns undefined without the relation or the header', () => {
    expect(linkTarget('<https://a/x?page=1>; rel="first"', 'next')).to.equal(undefined);
    expect(linkTarget('<https://a/x>; rel="nextish"', 'next')).to.equal(undefined);
    expect(linkTarget(undefined, 'next')).to.equal(undefined);
  });
});

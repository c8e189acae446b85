import { expect } from 'chai';
import { Type } from 'class-transformer';
import { declaredType } from '../../src/schema/class-transformer-types';

describe('class-transformer adapter', () => {
  it("reads @Type(() => X) from class-transformer's storage, and undefined where there is none", () => {
    class Inner {}
    class Outer {
      @Type(() => Inner)
      inner?: Inner;
      plain?: string;
    }
    expect(declaredType(Outer, 'inner')).to.equal(Inner);
    expect(declaredType(Outer, 'plain')).to.equal(undefined);
    expect(declaredType(Inner, 'inner')).to.equal(undefined);
  });
});

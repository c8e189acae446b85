import { expect } from 'chai';
import 'reflect-metadata';
import { container } from 'tsyringe';
import { CdkError } from '../../src/common/errors';
import { resolveClass } from '../../src/container/run-container';

describe('constructor injection without decorator metadata', () => {
  it('names the missing metadata and how to fix it instead of "not injectable"', () => {
    class Client {}
    class Orders {
      constructor(readonly client: Client) {}
    }
    // What tsx or esbuild leave behind: no design:paramtypes on the class.
    Reflect.deleteMetadata('design:paramtypes', Orders);
    const child = container.createChildContainer();
    let caught: unknown;
    try {
      resolveClass(child, Orders);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(CdkError);
    expect((caught as CdkError).code).to.equal('DECORATOR_METADATA_MISSING');
    expect((caught as Error).message)
      .to.contain('Cannot construct Orders')
      .and.contain('node --require estuary-cdk/register');
    expect((caught as Error).message).to.not.contain('not injectable');
  });
});

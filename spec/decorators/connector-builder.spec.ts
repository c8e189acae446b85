import { expect } from 'chai';
import { IsString } from 'class-validator';
import { Backfill, BaseDocument, Connector, DefinitionError, Incremental, Resource, Snapshot } from '../../src';
import { buildConnector, clearMetadata } from '../../src/testing';
import { metadata } from '../../src/common/metadata';

describe('buildConnector', () => {
  beforeEach(() => clearMetadata());

  it('builds a frozen definition of a well-formed connector', () => {
    class Config {
      @IsString() token!: string;
    }
    class Doc extends BaseDocument {
      @IsString() id!: string;
    }
    @Resource({ name: 'orders', key: ['/id'], document: Doc, interval: 'PT5M' })
    class Orders {
      @Incremental({ cursor: 'datetime', initial: () => new Date() })
      async *changes(): AsyncIterable<Doc | Date> {}
      @Backfill()
      async *pages(): AsyncIterable<Doc | string> {}
    }
    @Connector({ config: Config, resources: [Orders] })
    class Shop {}

    const def = buildConnector(Shop);
    expect(Object.isFrozen(def)).to.equal(true);
    expect(def.resources).to.have.length(1);
    expect(def.resources[0]!.incremental!.method).to.equal('changes');
    expect(def.resources[0]!.backfill!.method).to.equal('pages');
    expect(def.resources[0]!.interval).to.equal('PT5M');
  });

  it('reports every problem at once, naming class, member and fix', () => {
    class Config {}
    @Resource({ name: 'a' })
    class NoKey {
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *one(): AsyncIterable<object | number> {}
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *two(): AsyncIterable<object | number> {}
    }
    @Resource({ name: 'snap', key: ['/id'] })
    class BadSnapshot {
      @Snapshot()
      async *all(): AsyncIterable<object> {}
    }
    @Resource({ name: 'sync', key: ['/id'] })
    class NotAsyncGenerator {
      // @ts-expect-error the compiler rejects it; the builder's check is for JavaScript and casts
      @Backfill()
      async pages(): Promise<void> {}
    }
    @Resource({ name: 'bad', key: ['id'], interval: '5 minutes' })
    class BadOptions {
      @Backfill()
      async *pages(): AsyncIterable<object> {}
    }
    class Undecorated {}
    @Connector({ config: Config, resources: [NoKey, BadSnapshot, NotAsyncGenerator, BadOptions, Undecorated] })
    class Broken {}

    let err: unknown;
    try {
      buildConnector(Broken);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(DefinitionError);
    const problems = (err as DefinitionError).problems;
    const text = problems.join('\n');
    expect(text).to.include('NoKey: one and two are both @Incremental');
    expect(text).to.include('NoKey @Resource: key is missing');
    expect(text).to.include('BadSnapshot @Resource: key ["/id"] does not include \'/_meta/row_id\'');
    expect(text).to.include("NotAsyncGenerator.pages @Backfill: the method must be an async generator; declare it as 'async *pages(...)'");
    expect(text).to.include('BadOptions @Resource: key entry "id" is not a JSON pointer; write it as \'/id\'');
    expect(text).to.include('BadOptions @Resource: interval "5 minutes" is not an ISO 8601 duration');
    expect(text).to.include('Undecorated is listed as a resource but is not decorated with @Resource');
    expect(problems).to.have.length(7);
    expect((err as DefinitionError).message).to.match(/^Broken has 7 problems: \(1\)/);
  });

  it('decorators only record: resource and strategy checks happen in the build step', () => {
    @Resource({ name: 'r', key: ['id'], interval: 'soon' })
    class Loose {
      // @ts-expect-error: a strategy must be an async generator; the build says so
      @Incremental({ cursor: 'clock', initial: () => 0 })
      changes(): void {}
    }
    expect(metadata.getProblems(Loose)).to.deep.equal([]);
    @Connector({ config: class Config {}, resources: [Loose] })
    class Conn {}
    const err = (() => {
      try {
        buildConnector(Conn);
      } catch (e) {
        return e as DefinitionError;
      }
      throw new Error('expected a DefinitionError');
    })();
    expect(err.problems).to.deep.equal([
      `Loose.changes @Incremental: cursor must be 'integer', 'datetime' or 'string-tuple', got "clock"`,
      "Loose.changes @Incremental: the method must be an async generator; declare it as 'async *changes(...)' and yield documents and cursors",
      `Loose @Resource: key entry "id" is not a JSON pointer; write it as '/id'`,
      `Loose @Resource: interval "soon" is not an ISO 8601 duration such as 'PT5M'`,
    ]);
  });

  it('rejects a connector without a config class', () => {
    @Resource({ name: 'x', key: ['/id'] })
    class X {
      @Backfill() async *p(): AsyncIterable<object> {}
    }
    @Connector({ config: undefined as unknown as new () => object, resources: [X] })
    class NoConfig {}
    expect(() => buildConnector(NoConfig)).to.throw(DefinitionError, 'NoConfig @Connector: config is missing');
  });

  it('rejects a class that is not a connector', () => {
    class Plain {}
    expect(() => buildConnector(Plain)).to.throw(DefinitionError, 'Plain is not decorated with @Connector');
  });

  it('defaults snapshot resources to the /_meta/row_id key and rejects duplicate names', () => {
    class Config {}
    @Resource({ name: 'same' })
    class A {
      @Snapshot() async *all(): AsyncIterable<object> {}
    }
    @Resource({ name: 'same' })
    class B {
      @Snapshot() async *all(): AsyncIterable<object> {}
    }
    @Connector({ config: Config, resources: [A] })
    class Ok {}
    expect(buildConnector(Ok).resources[0]!.key).to.deep.equal(['/_meta/row_id']);
    @Connector({ config: Config, resources: [A, B] })
    class Dup {}
    expect(() => buildConnector(Dup)).to.throw(DefinitionError, "name 'same' is also used by A");
  });

  it('resolves inherited strategies, own members winning', () => {
    class Config {}
    @Resource({ name: 'base', key: ['/id'] })
    class Base {
      @Backfill() async *pages(): AsyncIterable<object> {}
    }
    @Resource({ name: 'child', key: ['/id'] })
    class Child extends Base {
      @Backfill() override async *pages(): AsyncIterable<object> {}
    }
    @Connector({ config: Config, resources: [Child] })
    class C {}
    const def = buildConnector(C);
    expect(def.resources[0]!.backfill!.where).to.equal('Child.pages @Backfill');
  });
});

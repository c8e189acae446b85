import 'reflect-metadata';
import { expect } from 'chai';
import { inject, injectable } from 'tsyringe';
import { HttpClient } from '../../src/common/http/http-client';
import type { Logger } from '../../src/common/logger';
import { BindingContext } from '../../src/container/binding-context';
import { CONFIG, HTTP_CLIENT, LOGGER, TOKEN_SOURCE } from '../../src/container/tokens';
import type { ConnectorDefinition } from '../../src/build/definition';
import { mayUseHttp } from '../../src/runtime/http-use';

class Config {
  url = '';
}

@injectable()
class Connector {}

function definition(extra: Partial<ConnectorDefinition> = {}): ConnectorDefinition {
  return { cls: Connector, configClass: Config, hooks: {}, ...extra } as unknown as ConnectorDefinition;
}

describe('mayUseHttp: whether open loads the HTTP stack before the capture starts', () => {
  it('is false when nothing the container builds asks for HTTP', () => {
    @injectable()
    class Clock {}
    @injectable()
    class Files {
      constructor(
        readonly config: Config,
        readonly binding: BindingContext,
        readonly clock: Clock,
        @inject(LOGGER) readonly log: Logger,
        @inject(CONFIG) readonly same: Config,
      ) {}
    }
    expect(mayUseHttp(definition(), [Files])).to.equal(false);
  });

  it('is true when a resource, or a class it asks for, takes the HTTP client or the token source', () => {
    @injectable()
    class Direct {
      constructor(readonly http: HttpClient) {}
    }
    @injectable()
    class Api {
      constructor(@inject(HTTP_CLIENT) readonly http: unknown) {}
    }
    @injectable()
    class ThroughApi {
      constructor(
        readonly config: Config,
        readonly api: Api,
      ) {}
    }
    @injectable()
    class Tokens {
      constructor(@inject(TOKEN_SOURCE) readonly tokens: unknown) {}
    }
    class OwnClient extends HttpClient {}
    @injectable()
    class Subclass {
      constructor(readonly http: OwnClient) {}
    }
    for (const cls of [Direct, ThroughApi, Tokens, Subclass]) expect(mayUseHttp(definition(), [cls]), cls.name).to.equal(true);
    @injectable()
    class Quiet {}
    expect(mayUseHttp(definition(), [Quiet, ThroughApi])).to.equal(true);
  });

  it('is true when it cannot tell: a string token, or parameters without type metadata', () => {
    @injectable()
    class Named {
      constructor(@inject('someService') readonly service: unknown) {}
    }
    class Undecorated {
      constructor(readonly anything: unknown) {}
    }
    expect(mayUseHttp(definition(), [Named])).to.equal(true);
    expect(mayUseHttp(definition(), [Undecorated])).to.equal(true);
  });

  it('is true for a connector that authenticates', () => {
    expect(mayUseHttp(definition({ hooks: { auth: 'auth' } }), [])).to.equal(true);
    expect(mayUseHttp(definition({ oauth2: { provider: 'x' } }), [])).to.equal(true);
  });

  it('follows cycles without looping', () => {
    @injectable()
    class A {
      constructor(readonly config: Config) {}
    }
    Reflect.defineMetadata('design:paramtypes', [A], A);
    expect(mayUseHttp(definition(), [A])).to.equal(false);
  });
});

import { expect } from 'chai';
import { Type } from 'class-transformer';
import { Equals, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { ConfigError, Default, OneOf, redactSecrets, Secret } from '../../src';
import { clearMetadata } from '../../src/testing';
import { loadModel } from '../../src/container/config-loader';

describe('loadModel (endpoint config)', () => {
  beforeEach(() => clearMetadata());

  function configClass() {
    class Nested {
      @IsString() region!: string;
      @IsOptional() @Secret() @IsString() password?: string;
    }
    class ApiKey {
      @Default('key') @IsOptional() @Equals('key') kind!: string;
      @Secret() @IsString() api_key!: string;
    }
    class OAuth {
      @Default('oauth') @IsOptional() @Equals('oauth') kind!: string;
      @Secret() @IsString() refresh_token!: string;
    }
    class Config {
      @Secret() @IsString() token!: string;
      @Default(10) @IsOptional() @IsInt() @Min(1) pageSize!: number;
      @ValidateNested() @Type(() => Nested) location!: Nested;
      @OneOf([ApiKey, OAuth], { discriminator: 'kind' }) credentials!: ApiKey | OAuth;
    }
    return Object.assign(Config, { Nested, OAuth });
  }

  it('applies defaults, instantiates nested models and the discriminated choice', () => {
    const Config = configClass();
    const c = loadModel(Config, { token: 'tok-123456', location: { region: 'eu' }, credentials: { kind: 'oauth', refresh_token: 'r-abcdef' } });
    expect(c).to.be.instanceOf(Config);
    expect(c.pageSize).to.equal(10);
    expect(c.location).to.be.instanceOf(Config.Nested);
    expect(c.credentials).to.be.instanceOf(Config.OAuth);
  });

  it('lists every failing field path and never echoes a secret value', () => {
    const Config = configClass();
    let err: unknown;
    try {
      loadModel(Config, { token: 12345678, pageSize: 0, location: { region: 5 }, credentials: { kind: 'key', api_key: 987654321 } });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).to.include('token: must be a string');
    expect(msg).to.include('pageSize: must not be less than 1');
    expect(msg).to.include('location.region: must be a string');
    expect(msg).to.include('credentials.api_key: must be a string');
    expect(msg).not.to.include('12345678');
    expect(msg).not.to.include('987654321');
    expect(msg.split('\n')).to.have.length(1);
  });

  it('registers secret values so logs redact them', () => {
    const Config = configClass();
    loadModel(Config, { token: 'super-secret-token', location: { region: 'eu', password: 'nested-pw-1' }, credentials: { kind: 'key', api_key: 'key-abcdef' } });
    expect(redactSecrets('Bearer super-secret-token / key-abcdef / nested-pw-1')).to.equal('Bearer [redacted] / [redacted] / [redacted]');
  });

  it('names an unknown discriminator and a non-object config', () => {
    const Config = configClass();
    expect(() => loadModel(Config, { token: 'x', location: { region: 'eu' }, credentials: { kind: 'nope' } })).to.throw(ConfigError, 'credentials.kind: must be one of "key", "oauth"');
    expect(() => loadModel(Config, 'text')).to.throw(ConfigError, 'endpoint config is invalid: expected an object, got string');
  });
});

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

  it('rejects a nested model missing a required property, naming its path, as Pydantic does', () => {
    class Credentials {
      @Secret() @IsString() client_id!: string;
      @Secret() client_secret!: string;
      @Default('https://x') @IsOptional() @IsString() url!: string;
      @IsOptional() @IsString() scope?: string;
    }
    class Item {
      @IsString() name!: string;
    }
    class Config {
      @ValidateNested() @Type(() => Credentials) credentials!: Credentials;
      @IsOptional() @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
    }
    const problems = (raw: unknown): string => {
      try {
        loadModel(Config, raw);
      } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).message;
      }
      return '';
    };
    const missingId = problems({ credentials: { client_secret: 's3cr3t-value' } });
    expect(missingId).to.include('credentials.client_id: is required');
    // The type rule an absent value breaks is noise next to "is required".
    expect(missingId).not.to.include('must be a string');
    expect(missingId).not.to.include('s3cr3t-value');
    expect(problems({ credentials: { client_id: 'abc' } })).to.include('credentials.client_secret: is required');
    expect(problems({})).to.include('credentials: is required');
    expect(problems({ credentials: { client_id: 'a', client_secret: 'b' }, items: [{ name: 'x' }, {}] })).to.include('items.1.name: is required');
    expect(problems({ credentials: { client_id: 'a', client_secret: 'b' } })).to.equal('');
  });

  it('rejects a @OneOf choice missing a required property', () => {
    const Config = configClass();
    expect(() => loadModel(Config, { token: 'x', location: { region: 'eu' }, credentials: { kind: 'oauth' } })).to.throw(ConfigError, 'credentials.refresh_token: is required');
  });

  it("evaluates a field initializer on each load, as Pydantic's default_factory, and @Default values are never shared", () => {
    let calls = 0;
    const since = (): string => `2024-01-0${++calls}T00:00:00Z`;
    class Config {
      @IsOptional() @IsString() start_date: string = since();
      @Default([]) @IsOptional() @IsString({ each: true }) tags!: string[];
    }
    const a = loadModel(Config, {});
    const b = loadModel(Config, {});
    expect([a.start_date, b.start_date]).to.deep.equal(['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z']);
    expect(loadModel(Config, { start_date: '2020-01-01T00:00:00Z' }).start_date).to.equal('2020-01-01T00:00:00Z');
    a.tags.push('x');
    expect(b.tags).to.deep.equal([]);
  });
});

/**
 * Compile-time spec: each usage below is wrong and must stay a type error. The build compiles this
 * file (tsconfig includes spec/); an unused `@ts-expect-error` — a misuse that started compiling —
 * fails the build. Never loaded at run time.
 */
import { IsOptional } from 'class-validator';
import { Auth, Backfill, Default, DiscoverResources, forConfig, HttpClient, Incremental, MigrateConfig, Next, paginate, Snapshot, TokenSource, type StrategyOptionContext } from '../../src';

class Doc {
  id!: string;
}

export class Misuses {
  // @ts-expect-error a datetime cursor is a Date, not a number
  @Incremental({ cursor: 'datetime', initial: () => new Date() })
  async *sinceNumber(since: number): AsyncIterable<Doc | number> {
    yield since;
  }

  // @ts-expect-error the method must yield the cursor (a Date) after its documents
  @Incremental({ cursor: 'datetime', initial: () => new Date() })
  async *yieldsNoCursor(since: Date): AsyncIterable<Doc> {
    yield { id: since.toISOString() };
  }

  // @ts-expect-error an integer cursor starts from a number
  @Incremental({ cursor: 'integer', initial: () => new Date() })
  async *initialOfWrongKind(since: number): AsyncIterable<Doc | number> {
    yield since;
  }

  // @ts-expect-error a string-tuple cursor is an array
  @Incremental({ cursor: 'string-tuple', initial: () => 'a' })
  async *tupleFromString(since: readonly (string | number)[]): AsyncIterable<Doc | readonly (string | number)[]> {
    yield since;
  }

  // @ts-expect-error a strategy is an async generator, not a promise
  @Incremental({ cursor: 'integer', initial: () => 0 })
  async changesAsPromise(since: number): Promise<Doc[]> {
    return [{ id: String(since) }];
  }

  // @ts-expect-error a backfill's first call gets no page: the page parameter must accept undefined
  @Backfill()
  async *pageNeverUndefined(page: number): AsyncIterable<Doc | number> {
    yield page;
  }

  // @ts-expect-error a snapshot yields documents from an async generator
  @Snapshot()
  all(): Doc[] {
    return [];
  }
}

class EndpointConfig {
  api_key!: string;
  start_date!: string;
  regions!: string[];
}

class OtherConfig {
  tenant!: string;
}

const typed = forConfig(EndpointConfig);

export class ConfigMisuses {
  // @ts-expect-error the plain decorator's config is unknown: name it with forConfig or annotate the parameter
  @Incremental({ cursor: 'datetime', initial: ({ config }) => new Date(config.start_date) })
  async *untypedConfig(since: Date): AsyncIterable<Doc | Date> {
    yield since;
  }

  // @ts-expect-error the config has no such field
  @typed.Incremental({ cursor: 'datetime', initial: ({ config }) => new Date(config.startDate) })
  async *misspelledField(since: Date): AsyncIterable<Doc | Date> {
    yield since;
  }

  // @ts-expect-error start_date is a string, not the cursor's Date
  @typed.Incremental({ cursor: 'datetime', initial: ({ config }) => config.start_date })
  async *initialFromString(since: Date): AsyncIterable<Doc | Date> {
    yield since;
  }

  // @ts-expect-error subtask ids are strings, not numbers
  @typed.Backfill({ subtasks: ({ config }) => config.regions.map((r) => r.length) })
  async *subtasksOfNumbers(page: number | undefined): AsyncIterable<Doc | number> {
    yield page ?? 0;
  }

  // @ts-expect-error the hook receives the connector's config, which is not an OtherConfig
  @typed.Auth()
  authOfOtherConfig(config: OtherConfig): TokenSource {
    return TokenSource.accessToken(config.tenant);
  }

  // @ts-expect-error @Auth returns a token source, not the key itself
  @typed.Auth()
  authReturningString(config: EndpointConfig): string {
    return config.api_key;
  }

  // @ts-expect-error the config named on the decorator is not what the method accepts
  @Auth<EndpointConfig>()
  explicitOfOtherConfig(config: OtherConfig): TokenSource {
    return TokenSource.accessToken(config.tenant);
  }

  // @ts-expect-error @DiscoverResources returns the resources found, not one
  @DiscoverResources()
  discoverOne(): { name: string } {
    return { name: 'x' };
  }

  // @ts-expect-error @MigrateConfig returns { message, config } or undefined
  @typed.MigrateConfig()
  migrateWithoutMessage(config: EndpointConfig): { config: EndpointConfig } {
    return { config };
  }
}

export class DefaultMisuses {
  // @ts-expect-error the default must fit the field's type
  @Default('100') @IsOptional() page_size!: number;

  // @ts-expect-error a literal outside the field's union
  @Default('base32') @IsOptional() encoding!: 'hex' | 'base64';

  // @ts-expect-error an array default of the wrong element type
  @Default([1, 2]) @IsOptional() tags!: string[];
}

/** The right usages beside them compile, so the errors above are about the misuse alone. */
export class Usages {
  @Default(100) @IsOptional() page_size!: number;
  @Default('hex') @IsOptional() encoding!: 'hex' | 'base64';
  @Default([]) @IsOptional() tags!: string[];
  @Default(null) @IsOptional() note!: string | null;

  @Incremental({ cursor: 'datetime', initial: () => new Date() })
  async *changes(since: Date, _ctx?: unknown): AsyncIterable<Doc | Date> {
    yield since;
  }

  @Incremental({ cursor: 'string-tuple', initial: () => ['a', 1] })
  async *tuples(since: readonly (string | number)[]): AsyncIterable<Doc | readonly (string | number)[]> {
    yield since;
  }

  @Backfill()
  async *pages(page: number | undefined, _cutoff: Date): AsyncIterable<Doc | number> {
    yield page ?? 0;
  }

  @Snapshot()
  async *snapshot(): AsyncIterable<Doc> {
    yield { id: 'x' };
  }

  @typed.Incremental({ cursor: 'datetime', initial: ({ config }) => new Date(config.start_date), subtasks: ({ config }) => config.regions })
  async *typedChanges(since: Date): AsyncIterable<Doc | Date> {
    yield since;
  }

  @Incremental({ cursor: 'datetime', initial: ({ config }: StrategyOptionContext<EndpointConfig>) => new Date(config.start_date) })
  async *annotatedChanges(since: Date): AsyncIterable<Doc | Date> {
    yield since;
  }

  @typed.Backfill({ cutoff: ({ config }) => new Date(config.start_date) })
  async *typedPages(page: number | undefined): AsyncIterable<Doc | number> {
    yield page ?? 0;
  }

  @typed.Snapshot({ subtasks: ({ config }) => config.regions })
  async *typedSnapshot(): AsyncIterable<Doc> {
    yield { id: 'x' };
  }

  @typed.Auth()
  auth(config: EndpointConfig): TokenSource {
    return TokenSource.accessToken(config.api_key);
  }

  @Auth<EndpointConfig>()
  async explicitAuth(config: EndpointConfig): Promise<TokenSource | undefined> {
    return Promise.resolve(config.api_key === '' ? undefined : TokenSource.accessToken(config.api_key));
  }

  // A hook may ignore the config it is given.
  @typed.DiscoverResources()
  async discover(): Promise<{ name: string }[]> {
    return Promise.resolve([{ name: 'x' }]);
  }

  @typed.MigrateConfig()
  migrate(config: EndpointConfig): { message: string; config: EndpointConfig } | undefined {
    return config.start_date === '' ? { message: 'set a start date', config: Object.assign(new EndpointConfig(), config, { start_date: '2024-01-01T00:00:00Z' }) } : undefined;
  }

  @typed.ValidateConnection()
  async validate(config: EndpointConfig): Promise<void> {
    if (config.api_key === '') throw new Error('no key');
    return Promise.resolve();
  }

  // The plain hooks still accept any config parameter, as before.
  @MigrateConfig()
  plainMigrate(_config: OtherConfig): undefined {
    return undefined;
  }
}

/** paginate() without a stop rule does not compile: a missing `stop` and an empty list are both errors. */
export function paginateMisuses(http: HttpClient): void {
  // @ts-expect-error `stop` is required
  paginate(http, { name: 'x', url: '/x', items: '/data', next: Next.linkHeader() });
  // @ts-expect-error an empty stop list is not a non-empty tuple
  paginate(http, { name: 'x', url: '/x', items: '/data', next: Next.linkHeader(), stop: [] });
}

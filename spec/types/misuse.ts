/**
 * Compile-time spec: each usage below is wrong and must stay a type error. The build compiles this
 * file (tsconfig includes spec/); an unused `@ts-expect-error` — a misuse that started compiling —
 * fails the build. Never loaded at run time.
 */
import { IsOptional } from 'class-validator';
import { Backfill, Default, HttpClient, Incremental, Next, paginate, Snapshot } from '../../src';

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
}

/** paginate() without a stop rule does not compile: a missing `stop` and an empty list are both errors. */
export function paginateMisuses(http: HttpClient): void {
  // @ts-expect-error `stop` is required
  paginate(http, { name: 'x', url: '/x', items: '/data', next: Next.linkHeader() });
  // @ts-expect-error an empty stop list is not a non-empty tuple
  paginate(http, { name: 'x', url: '/x', items: '/data', next: Next.linkHeader(), stop: [] });
}

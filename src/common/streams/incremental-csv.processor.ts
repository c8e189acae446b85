import { Readable, pipeline } from 'node:stream';
import type { Options as CsvParseOptions } from 'csv-parse';

/** csv-parse, loaded when a CSV is first parsed (not at `import 'estuary-cdk'`). */
let csvParse: typeof import('csv-parse') | undefined;
function loadCsvParse(): typeof import('csv-parse') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use to keep start-up light
  return (csvParse ??= require('csv-parse') as typeof import('csv-parse'));
}
import type { ClassConstructor, ClassTransformOptions } from 'class-transformer';
import type { ValidatorOptions } from 'class-validator';
import { modelOptionsOf, toModel } from './model.converter';
import { StreamParseError, StreamStateError } from './stream.errors';
import { IncrementalTextDecoder, type TextEncodingName } from './text.decoder';

/** The CSV dialect and decoding shared by {@link IncrementalCsvProcessor} and {@link IncrementalCsvRowProcessor}. */
export interface CsvDialectOptions {
  /** Field separator; `,` by default. */
  delimiter?: string;
  /** Quote character, `"` by default; `false` turns quoting off. */
  quote?: string | false;
  /** Escape character inside quoted fields; the quote itself by default (so `""` is a quote). */
  escape?: string;
  /** Record terminator; by default `\n`, `\r\n` and `\r` are detected from the input. */
  lineTerminator?: '\n' | '\r\n' | '\r';
  /** Byte encoding of the input; `utf-8` by default. A leading BOM is dropped. */
  encoding?: TextEncodingName;
}

/** Options for {@link IncrementalCsvProcessor}. */
export interface CsvProcessorOptions<T> extends CsvDialectOptions {
  /** Column names for input without a header row; by default the first row names the columns. */
  fieldNames?: readonly string[];
  /** Turn empty fields into `null` (what an empty CSV cell usually means). */
  emptyAsNull?: boolean;
  /** Further field values that mean `null`, such as `NULL` or `\N`. */
  nullValues?: readonly string[];
  /** Build each row as this class (class-transformer) and validate it (class-validator). */
  model?: ClassConstructor<T>;
  /** Handed to each row's {@link ContextAware.withContext} before validation. */
  context?: unknown;
  /** Options for `plainToInstance`. */
  transformOptions?: ClassTransformOptions;
  /** Options for `validate`, or `false` to skip validation. */
  validatorOptions?: ValidatorOptions | false;
}

/** One parsed CSV record with the line it ended on. */
interface CsvRecord {
  cells: string[];
  line: number;
}

/** Parses bytes into records with csv-parse, decoding first so that invalid text is an error. */
async function* parseRecords(input: AsyncIterable<Uint8Array>, dialect: CsvDialectOptions): AsyncGenerator<CsvRecord> {
  const decoder = new IncrementalTextDecoder(dialect.encoding ?? 'utf-8');
  async function* decoded(): AsyncGenerator<string> {
    for await (const chunk of input) {
      const text = decoder.decode(chunk);
      if (text.length > 0) yield text;
    }
    const tail = decoder.decode();
    if (tail.length > 0) yield tail;
  }

  const options: CsvParseOptions = {
    delimiter: dialect.delimiter ?? ',',
    quote: dialect.quote === false ? null : (dialect.quote ?? '"'),
    // Widths are checked by the caller, which knows the header and words the error.
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    info: true,
  };
  if (dialect.escape !== undefined) options.escape = dialect.escape;
  if (dialect.lineTerminator !== undefined) options.record_delimiter = dialect.lineTerminator;

  const parser = new (loadCsvParse().Parser)(options);
  let pipelineError: unknown;
  const finished = new Promise<void>((resolve) => {
    pipeline(Readable.from(decoded()), parser, (err) => {
      pipelineError = err;
      resolve();
    });
  });
  try {
    for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { cells: entry.record, line: entry.info.lines };
    }
  } catch (err) {
    throw toParseError(err);
  } finally {
    parser.destroy();
  }
  await finished;
  if (pipelineError !== undefined) throw toParseError(pipelineError);
}

function toParseError(err: unknown): unknown {
  if (err instanceof StreamParseError) return err;
  if (csvParse !== undefined && err instanceof csvParse.CsvError) {
    const line = typeof err['lines'] === 'number' ? err['lines'] : undefined;
    return new StreamParseError(`malformed CSV${line === undefined ? '' : ` at line ${line}`}: ${err.message}`, { line }, { cause: err });
  }
  return err;
}

/**
 * Streams the rows of CSV bytes as objects keyed by the header row (or by `fieldNames`), or as model
 * instances, without holding the file in memory. Every row must be as wide as the header: a ragged row
 * is a {@link StreamParseError} naming the row, never silently padded or cut. Blank lines are skipped.
 * Built on csv-parse. An instance can be iterated once.
 *
 * @example
 * for await (const row of new IncrementalCsvProcessor(body, { model: Contact, emptyAsNull: true })) yield row;
 */
export class IncrementalCsvProcessor<T = Record<string, string | null>> implements AsyncIterable<T> {
  private started = false;

  constructor(
    private readonly input: AsyncIterable<Uint8Array>,
    private readonly options: CsvProcessorOptions<T> = {},
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.started) throw new StreamStateError('an IncrementalCsvProcessor can be iterated only once');
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<T, void, undefined> {
    const modelOptions = modelOptionsOf<T>(this.options);
    const nulls = new Set(this.options.nullValues ?? []);
    if (this.options.emptyAsNull) nulls.add('');
    let names = this.options.fieldNames;
    let row = 0;
    for await (const { cells, line } of parseRecords(this.input, this.options)) {
      if (names === undefined) {
        names = cells;
        continue;
      }
      row++;
      if (cells.length !== names.length) {
        throw new StreamParseError(`CSV row ${row} (line ${line}) has ${cells.length} columns but ${names.length} were expected`, { row, line });
      }
      const plain: Record<string, string | null> = {};
      for (let i = 0; i < names.length; i++) {
        const value = nulls.has(cells[i]!) ? null : cells[i]!;
        const name = names[i]!;
        if (name === '__proto__') Object.defineProperty(plain, name, { value, writable: true, enumerable: true, configurable: true });
        else plain[name] = value;
      }
      yield modelOptions === undefined ? (plain as T) : await toModel(plain, modelOptions, `CSV row ${row} (line ${line})`);
    }
  }
}

/**
 * Streams the cells of each CSV record as a string array, with no header and no width check: for
 * sources whose rows legitimately differ in width, where the connector decides how to bind cells.
 * Prefer {@link IncrementalCsvProcessor} when every row should match a header.
 */
export class IncrementalCsvRowProcessor implements AsyncIterable<string[]> {
  constructor(
    private readonly input: AsyncIterable<Uint8Array>,
    private readonly options: CsvDialectOptions = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<string[]> {
    for await (const { cells } of parseRecords(this.input, this.options)) yield cells;
  }
}

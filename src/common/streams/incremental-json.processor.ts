import { TextDecoder } from 'node:util';
import type { ClassConstructor, ClassTransformOptions } from 'class-transformer';
import type { ValidatorOptions } from 'class-validator';
import { feedTokens, invalidUtf8, parseItems, parseItemSlowly, truncatedJson } from './json-item.parser';
import { JsonPathAssembler, type LargeIntegerMode } from './json-path.assembler';
import { JsonPrefixScanner, PLACEHOLDER, type ScanOutput } from './json-prefix.scanner';
import { modelOptionsOf, toModel, type StreamModelOptions } from './model.converter';
import { StreamParseError, StreamStateError } from './stream.errors';
import { createJsonTokenizer, END_OF_INPUT, tokensOf } from './stream-json.adapter';

/** Options for {@link IncrementalJsonProcessor}. */
export interface JsonProcessorOptions<T, R> {
  /**
   * Where the items are, ijson style: keys joined by `.`, `item` for an array element, `''` for each
   * top-level value (so NDJSON and concatenated JSON stream one item per value). `data.items.item`
   * streams the elements of `{"data": {"items": [...]}}`.
   */
  prefix: string;
  /** Build each item as this class (class-transformer) and validate it (class-validator). */
  model?: ClassConstructor<T>;
  /** Build the remainder as this class and validate it. */
  remainderModel?: ClassConstructor<R>;
  /** Handed to each item's {@link ContextAware.withContext} before validation (not to the remainder). */
  context?: unknown;
  /** Options for `plainToInstance`. */
  transformOptions?: ClassTransformOptions;
  /** Options for `validate`, or `false` to skip validation. */
  validatorOptions?: ValidatorOptions | false;
  /** How integers beyond ±2^53 are represented; `'bigint'` by default, so they are never rounded. */
  largeIntegers?: LargeIntegerMode;
}

/**
 * Streams the values under a prefix out of JSON, NDJSON or concatenated JSON bytes without holding the
 * document in memory, and keeps everything else (the "remainder": page cursors, counts) for
 * {@link IncrementalJsonProcessor.remainder} once the items are exhausted. A byte scanner finds each
 * item's bytes and `JSON.parse` builds it (several items per call when they are array siblings);
 * items with long integer literals, anything `JSON.parse` refuses, and everything outside the items go
 * through stream-json's tokenizer, which keeps big integers exact and reports errors by chunk. An
 * instance can be iterated once.
 *
 * @example
 * const page = new IncrementalJsonProcessor(body, { prefix: 'data.items.item', model: Order, remainderModel: Paging });
 * for await (const order of page) yield order;
 * const { nextCursor } = (await page.remainder())!;
 */
export class IncrementalJsonProcessor<T = unknown, R = unknown> implements AsyncIterable<T> {
  private readonly assembler: JsonPathAssembler;
  private started = false;
  private exhausted = false;

  constructor(
    private readonly input: AsyncIterable<Uint8Array>,
    private readonly options: JsonProcessorOptions<T, R>,
  ) {
    this.assembler = new JsonPathAssembler(options.prefix, options.largeIntegers ?? 'bigint');
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return itemsOf(this.claim());
  }

  /**
   * The items in batches, one array per chunk of input that completed any (in order, never empty): the
   * cheaper way to hand a large response to a `@Backfill` or `@Incremental`, which may yield the
   * arrays as they come. An instance is iterated either by item or by batch, once.
   *
   * @example
   * for await (const orders of page.batches()) yield orders;
   */
  batches(): AsyncIterable<T[]> {
    return { [Symbol.asyncIterator]: () => this.claim() };
  }

  private claim(): AsyncGenerator<T[], void, undefined> {
    if (this.started) throw new StreamStateError('an IncrementalJsonProcessor can be iterated only once');
    this.started = true;
    return this.run();
  }

  /**
   * Everything outside the prefix, from the last top-level value (validated as `remainderModel` when
   * given), or `undefined` when the input held nothing outside the prefix.
   * Throws {@link StreamStateError} until the items have been iterated to the end.
   */
  async remainder(): Promise<R | undefined> {
    if (!this.exhausted) {
      throw new StreamStateError('the JSON remainder is available only after every item has been read; iterate the processor to the end first');
    }
    if (!this.assembler.hasRemainder) return undefined;
    const value = this.assembler.remainder;
    if (this.options.remainderModel === undefined) return value as R;
    return toModel(
      value,
      { model: this.options.remainderModel, transformOptions: this.options.transformOptions, validatorOptions: this.options.validatorOptions },
      `JSON remainder (outside "${this.options.prefix}")`,
    );
  }

  private async *run(): AsyncGenerator<T[], void, undefined> {
    const modelOptions = modelOptionsOf<T>(this.options);
    const mode = this.options.largeIntegers ?? 'bigint';
    const scanner = new JsonPrefixScanner(this.options.prefix);
    // fatal: JSON must be UTF-8 (RFC 8259), and silently substituting U+FFFD would corrupt documents.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const tokenizer = createJsonTokenizer();
    const scanned: ScanOutput = { outer: [], items: [] };
    // The outer tokenizer sees a placeholder where each item was; the assembler hands those back here.
    const placeholders: unknown[] = [];
    let placeholdersSent = 0;
    let placeholdersSeen = 0;
    let items: unknown[] = [];
    let offset = 0;
    let count = 0;

    const feedOuter = (chunkStart: number, chunkEnd: number): void => {
      let text = '';
      for (const piece of scanned.outer) {
        if (piece === PLACEHOLDER) placeholdersSent++;
        try {
          text += decoder.decode(piece, { stream: true });
        } catch (err) {
          throw invalidUtf8(err, chunkStart, chunkEnd);
        }
      }
      scanned.outer.length = 0;
      if (text.length > 0) feedTokens(tokenizer, this.assembler, text, chunkStart, chunkEnd, placeholders);
      placeholdersSeen += placeholders.length;
      placeholders.length = 0;
    };

    for await (const chunk of this.input) {
      const chunkStart = offset;
      offset += chunk.length;
      scanner.scan(chunk, chunkStart, scanned);
      feedOuter(chunkStart, offset);
      parseItems(scanned.items, mode, items);
      scanned.items.length = 0;
      if (items.length === 0) continue;
      yield modelOptions === undefined ? (items as T[]) : await this.toModels(items, modelOptions, count);
      count += items.length;
      items = [];
    }

    if (scanner.inOpenItem) parseItemSlowly(scanner.openItemPieces, mode, offset); // throws: truncated or malformed
    scanner.finish(scanned);
    parseItems(scanned.items, mode, items);
    let tail: string;
    try {
      tail = decoder.decode();
    } catch (err) {
      throw new StreamParseError(`invalid UTF-8 at the end of the JSON input (byte ${offset})`, { offset }, { cause: err });
    }
    if (tail.length > 0) feedTokens(tokenizer, this.assembler, tail, offset, offset, placeholders);
    try {
      this.assembler.consume(tokensOf(tokenizer(END_OF_INPUT)), placeholders);
    } catch (err) {
      throw truncatedJson(offset, err);
    }
    if (this.assembler.inValue) throw truncatedJson(offset);
    placeholdersSeen += placeholders.length;
    if (placeholdersSeen !== placeholdersSent) {
      throw new StreamParseError(`malformed JSON: ${placeholdersSent} values were found at "${this.options.prefix}" but the document structure holds ${placeholdersSeen}`, { offset });
    }
    if (items.length > 0) yield modelOptions === undefined ? (items as T[]) : await this.toModels(items, modelOptions, count);
    this.exhausted = true;
  }

  private async toModels(items: readonly unknown[], modelOptions: StreamModelOptions<T>, first: number): Promise<T[]> {
    const models: T[] = [];
    for (let i = 0; i < items.length; i++) models.push(await toModel(items[i], modelOptions, this.itemName(first + i)));
    return models;
  }

  private itemName(index: number): string {
    return `JSON item ${index} at "${this.options.prefix}"`;
  }
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * One item at a time out of batches. A hand-written iterator: an async generator's `yield` costs
 * several promise turns per item, which at a million small items is a tenth of the parse.
 */
function itemsOf<T>(batches: AsyncGenerator<T[], void, undefined>): AsyncIterator<T> {
  let batch: T[] = [];
  let index = 0;
  return {
    async next(): Promise<IteratorResult<T>> {
      while (index >= batch.length) {
        const result = await batches.next();
        if (result.done === true) return DONE;
        batch = result.value;
        index = 0;
      }
      return { done: false, value: batch[index++]! };
    },
    async return(): Promise<IteratorResult<T>> {
      batch = [];
      index = 0;
      await batches.return();
      return DONE;
    },
  };
}

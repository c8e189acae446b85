import { TextDecoder } from 'node:util';
import type { ClassConstructor, ClassTransformOptions } from 'class-transformer';
import type { ValidatorOptions } from 'class-validator';
import { JsonPathAssembler, type LargeIntegerMode } from './json-path.assembler';
import { modelOptionsOf, toModel } from './model.converter';
import { StreamParseError, StreamStateError } from './stream.errors';
import { createJsonTokenizer, END_OF_INPUT, tokensOf, type JsonToken } from './stream-json.adapter';

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
 * {@link IncrementalJsonProcessor.remainder} once the items are exhausted. Built on stream-json's
 * tokenizer. An instance can be iterated once.
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
    return toModel(value, { model: this.options.remainderModel, transformOptions: this.options.transformOptions, validatorOptions: this.options.validatorOptions }, `JSON remainder (outside "${this.options.prefix}")`);
  }

  private async *run(): AsyncGenerator<T, void, undefined> {
    const modelOptions = modelOptionsOf<T>(this.options);
    // fatal: JSON must be UTF-8 (RFC 8259), and silently substituting U+FFFD would corrupt documents.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const tokenizer = createJsonTokenizer();
    const items: unknown[] = [];
    let offset = 0;
    let count = 0;

    const feed = (text: string | symbol, chunkStart: number): void => {
      let tokens: JsonToken[];
      try {
        tokens = tokensOf(tokenizer(text));
      } catch (err) {
        throw this.parseError(err, chunkStart, offset, text === END_OF_INPUT);
      }
      this.assembler.consume(tokens, items);
    };

    for await (const chunk of this.input) {
      const chunkStart = offset;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch (err) {
        throw new StreamParseError(`invalid UTF-8 in JSON input between bytes ${chunkStart} and ${chunkStart + chunk.length}`, { offset: chunkStart }, { cause: err });
      }
      offset += chunk.length;
      if (text.length === 0) continue;
      feed(text, chunkStart);
      if (items.length === 0) continue;
      if (modelOptions === undefined) {
        for (let i = 0; i < items.length; i++) yield items[i] as T;
        count += items.length;
      } else {
        for (let i = 0; i < items.length; i++) yield await toModel(items[i], modelOptions, this.itemName(count++));
      }
      items.length = 0;
    }

    let tail: string;
    try {
      tail = decoder.decode();
    } catch (err) {
      throw new StreamParseError(`invalid UTF-8 at the end of the JSON input (byte ${offset})`, { offset }, { cause: err });
    }
    if (tail.length > 0) feed(tail, offset);
    feed(END_OF_INPUT, offset);
    if (this.assembler.inValue) throw new StreamParseError(`truncated JSON: the input ended at byte ${offset} inside a value`, { offset });
    for (const item of items) {
      yield modelOptions === undefined ? (item as T) : await toModel(item, modelOptions, this.itemName(count));
      count++;
    }
    this.exhausted = true;
  }

  private itemName(index: number): string {
    return `JSON item ${index} at "${this.options.prefix}"`;
  }

  private parseError(err: unknown, chunkStart: number, chunkEnd: number, atEnd: boolean): StreamParseError {
    const reason = err instanceof Error ? err.message : String(err);
    if (atEnd) {
      return new StreamParseError(`truncated JSON: the input ended at byte ${chunkEnd} (${reason})`, { offset: chunkEnd }, { cause: err });
    }
    // stream-json does not report positions, so the error is placed by the chunk it was found in.
    const where = chunkEnd - chunkStart <= 1 ? `at byte ${chunkStart}` : `between bytes ${chunkStart} and ${chunkEnd}`;
    return new StreamParseError(`malformed JSON ${where}: ${reason}`, { offset: chunkStart }, { cause: err });
  }
}

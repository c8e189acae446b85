/**
 * The narrow slice of stream-json 3 this module uses, typed here because stream-json is an ES module
 * whose subpath exports TypeScript's `node10` resolution cannot see. Node ≥ 20.19 loads it through
 * `require(esm)`.
 */

/** A packed token from stream-json's tokenizer (with `streamValues: false` no chunk tokens appear). */
export interface JsonToken {
  readonly name: string;
  readonly value?: unknown;
}

/** stream-json's `many()` wrapper, which its stages return instead of an array. */
interface Many {
  values: JsonToken[];
}

/** A tokenizer stage: text in, tokens out; called with the `none` symbol to flush at the end of input. */
export type JsonTokenizer = (text: string | symbol) => Many | symbol;

interface StreamJsonParserModule {
  jsonParser(options: Record<string, unknown>): JsonTokenizer;
}

/** Loaded on first use: `import 'estuary-cdk'` must not pay for a tokenizer a connector may never use. */
let parserModule: StreamJsonParserModule | undefined;
/**
 * The end-of-input marker stream-json's stages expect. stream-chain registers it with `Symbol.for`, so
 * we need not import stream-chain (a transitive dependency we do not declare).
 */
export const END_OF_INPUT: symbol = Symbol.for('object-stream.none');

/**
 * Creates stream-json's bare tokenizer (no UTF-8 front: we decode ourselves so we can count bytes)
 * emitting only packed tokens, which halves the token count compared with the default.
 */
export function createJsonTokenizer(): JsonTokenizer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use to keep start-up light
  parserModule ??= require('stream-json/parser.js') as StreamJsonParserModule;
  return parserModule.jsonParser({ packValues: true, streamValues: false, jsonStreaming: true });
}

/** Unwraps a tokenizer result into an array (empty when the stage returned `none`). */
export function tokensOf(result: Many | symbol): JsonToken[] {
  return typeof result === 'symbol' ? [] : result.values;
}

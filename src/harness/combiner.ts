import { DocumentError } from './harness-errors';
import { compareJson, jsonText, JsonObject, setPointer } from './json-utils';
import { checkKey, extractKey, Reducer } from './reducer';
import { CompiledSchema, formatViolation } from './schema-validator';
import { DOC_UUID_PLACEHOLDER } from './constants';

export { DOC_UUID_PLACEHOLDER };

/** What the combiner needs to know about a binding's collection. */
export interface CombinerBinding {
  index: number;
  collection: string;
  key: readonly string[];
  writeSchema: unknown;
  uuidPtr?: string;
}

/** Validates and combines the documents of one binding within a transaction. */
export class BindingCombiner {
  private readonly schema: CompiledSchema;
  private readonly reducer: Reducer;
  private readonly docs = new Map<string, { key: unknown[]; doc: unknown }>();

  constructor(readonly binding: CombinerBinding) {
    this.schema = new CompiledSchema(binding.writeSchema, `flow://collection/${binding.collection}`);
    this.reducer = new Reducer(this.schema);
  }

  /** Validates a captured document against the schema and key; throws a {@link DocumentError} on failure. */
  check(doc: unknown): void {
    const violation = this.schema.validate(doc);
    if (violation) this.fail(`document is invalid: ${formatViolation(violation)}`);
    const keyProblem = checkKey(doc, this.binding.key);
    if (keyProblem) this.fail(keyProblem);
  }

  /** Adds an already-checked document, reducing it into an earlier one with the same key. */
  add(doc: unknown): void {
    const key = extractKey(doc, this.binding.key);
    const id = jsonText(key);
    const prior = this.docs.get(id);
    if (!prior) {
      this.docs.set(id, { key, doc });
      return;
    }
    const reduced = this.reducer.reduce(prior.doc, doc);
    const violation = this.schema.validate(reduced);
    if (violation) this.fail(`combined document is invalid: ${formatViolation(violation)}`);
    prior.doc = reduced;
  }

  /** Number of distinct keys held. */
  get size(): number {
    return this.docs.size;
  }

  /** Returns the combined documents in key order with the UUID placeholder set, and empties the combiner. */
  drain(): JsonObject[] {
    const entries = [...this.docs.values()].sort((a, b) => compareJson(a.key, b.key));
    this.docs.clear();
    return entries.map(({ doc }) => {
      const out = structuredClone(doc) as JsonObject;
      setPointer(out, this.binding.uuidPtr ?? '/_meta/uuid', DOC_UUID_PLACEHOLDER);
      return out;
    });
  }

  private fail(message: string): never {
    throw new DocumentError(this.binding.collection, this.binding.index, message);
  }
}

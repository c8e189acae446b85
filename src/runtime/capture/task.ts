import type { IHasher } from 'hash-wasm/dist/lib/WASMInterface';
import type { Logger } from '../../common/logger';
import { CaptureError } from '../../common/errors';
import { toJsonText } from '../../common/json-text';
import { TaskBuffer } from './task-buffer';
import type { Transactor } from './transactor';
import type { StopSignal } from './stop-signal';
import { withSourcedSchemaDefaults } from './sourced-schema';

/** Writes a document's JSON text (a document model's field order and number formats). */
export interface DocumentWriter {
  write(doc: object): string | undefined;
}

/** Shared by every task of a capture session. */
export interface TaskShared {
  transactor: Transactor;
  stop: StopSignal;
  spillBytes?: number;
}

/**
 * A single-writer capture task: it buffers captured documents and writes them together with a
 * checkpoint, as one unit, when {@link checkpoint} is called.
 */
export class Task {
  private readonly buffer: TaskBuffer;
  private hasher: IHasher | undefined;
  /** Set once a document without a model held a bigint. */
  private readonly bigints = { bigint: false };

  constructor(
    readonly name: string,
    readonly log: Logger,
    private readonly shared: TaskShared,
    /** Checkpoints wait for Flow's acknowledgement. */
    private readonly requiresAck: boolean,
  ) {
    this.buffer = new TaskBuffer(shared.spillBytes);
  }

  get stop(): StopSignal {
    return this.shared.stop;
  }

  /** Enables the xxh3-128 digest of captured lines (snapshots). */
  async enableDigest(): Promise<void> {
    // hash-wasm only for snapshots: loaded here, not when every capture starts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use to keep start-up light
    this.hasher ??= await (require('hash-wasm') as typeof import('hash-wasm')).createXXHash128();
    this.hasher.init();
  }

  /**
   * Queues a document for `binding`; nothing is written until {@link checkpoint}. `writer` (a
   * document model's) decides the bytes; otherwise they are `JSON.stringify`'s, with big integers
   * written as exact numbers.
   */
  captured(binding: number, doc: object, writer?: DocumentWriter): void {
    let json: string | undefined;
    try {
      json = writer === undefined ? toJsonText(doc, this.bigints) : writer.write(doc);
    } catch (err) {
      throw new CaptureError(`${this.name}: a document could not be serialized: ${(err as Error).message}`, { cause: err });
    }
    if (json === undefined || json.charCodeAt(0) !== 0x7b) throw new CaptureError(`${this.name}: captured documents must be JSON objects, got ${json ?? 'undefined'}`);
    // The line's fixed parts are copied as bytes and the document encoded once, in place: no
    // concatenated line string to build and flatten per document.
    this.buffer.pushCaptured(this.capturedPrefix(binding), json);
    this.hasher?.update(`{"captured":{"binding":${binding},"doc":${json}}}`);
  }

  /** `{"captured":{"binding":N,"doc":` as UTF-8, per binding index. */
  private readonly prefixes: Buffer[] = [];

  private capturedPrefix(binding: number): Buffer {
    return (this.prefixes[binding] ??= Buffer.from(`{"captured":{"binding":${binding},"doc":`));
  }

  /** Queues a sourced schema for `binding`, made maximally restrictive; sent with the next checkpoint. */
  sourcedSchema(binding: number, schema: Record<string, unknown>): void {
    this.buffer.push(JSON.stringify({ sourcedSchema: { binding, schema_json: withSourcedSchemaDefaults(schema) } }) + '\n');
  }

  /** Hex xxh3-128 digest of the documents captured since the last checkpoint or reset. */
  pendingDigest(): string {
    if (this.hasher === undefined) throw new CaptureError(`${this.name}: digest was not enabled`);
    const digest = this.hasher.digest('hex');
    // A finished hasher cannot take more input; later lines (tombstones) start a new digest.
    this.hasher.init();
    return digest;
  }

  /** Discards pending documents. */
  reset(): void {
    this.buffer.reset();
    this.hasher?.init();
  }

  /**
   * Writes pending documents and then a checkpoint of `state` (a merge patch of connector
   * state). If the resource requires acknowledgements, resolves once Flow acknowledged it.
   */
  async checkpoint(state: Record<string, unknown>): Promise<void> {
    const line = `{"checkpoint":{"state":{"updated":${toJsonText(state)},"mergePatch":true}}}\n`;
    let ack: Promise<void> | undefined;
    try {
      ({ ack } = await this.shared.transactor.commit(this.buffer, line, this.requiresAck));
    } finally {
      this.reset();
    }
    if (ack !== undefined) await ack;
  }
}

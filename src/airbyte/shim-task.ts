import { CaptureError } from '../common/errors';
import { TaskBuffer } from '../runtime/capture/task-buffer';
import type { Transactor } from '../runtime/capture/transactor';

/**
 * The shim's single capture task: records are buffered as protocol lines and written with a
 * checkpoint through the runtime's {@link Transactor}. Unlike the runtime's `Task`, a checkpoint
 * may replace the whole state (the Python shim writes full, non-merge-patch checkpoints).
 */
export class ShimTask {
  private readonly buffer: TaskBuffer;

  constructor(
    private readonly transactor: Transactor,
    spillBytes?: number,
  ) {
    this.buffer = new TaskBuffer(spillBytes);
  }

  /** Records buffered since the last checkpoint. */
  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Queues a record as a document with `_meta: {op: "u", row_id}` first, as the Python shim's
   * `Document` serializes it. A `_meta` the record carried is replaced.
   */
  record(binding: number, data: Record<string, unknown>, rowId: number): void {
    let json: string;
    if (Object.prototype.hasOwnProperty.call(data, '_meta')) {
      const { _meta: _replaced, ...rest } = data;
      json = stringify(rest);
    } else json = stringify(data);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition, @typescript-eslint/no-unnecessary-type-conversion -- JSON.stringify returns undefined for some values despite its type
    if (json === undefined || json[0] !== '{') throw new CaptureError(`record data must be a JSON object, got ${String(json).slice(0, 60)}`, { code: 'AIRBYTE_RECORD' });
    const meta = `{"captured":{"binding":${binding},"doc":{"_meta":{"op":"u","row_id":${rowId}}`;
    this.buffer.push(json.length === 2 ? `${meta}}}}\n` : `${meta},${json.slice(1)}}}\n`);
  }

  /** Queues a sourced schema for `binding`. */
  sourcedSchema(binding: number, schema: Record<string, unknown>): void {
    this.buffer.push(JSON.stringify({ sourcedSchema: { binding, schema_json: schema } }) + '\n');
  }

  /** Drops buffered records (they were not checkpointed by the source). */
  discard(): number {
    const n = this.buffer.length;
    this.buffer.reset();
    return n;
  }

  /** Writes buffered lines and then a checkpoint of `state`. */
  async checkpoint(state: unknown, mergePatch: boolean): Promise<void> {
    const line = `{"checkpoint":{"state":{"updated":${JSON.stringify(state)},"mergePatch":${mergePatch}}}}\n`;
    try {
      await this.transactor.commit(this.buffer, line, false);
    } finally {
      this.buffer.reset();
    }
  }
}

function stringify(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
}

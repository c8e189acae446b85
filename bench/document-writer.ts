/**
 * Cost of writing documents as Pydantic does (src/schema/model-json.ts) against plain
 * JSON.stringify, per document shape. Prints ratios measured in one run.
 *
 * Run: `npm run build && node dist/bench/document-writer.js` (BENCH_DOCS, default 200000).
 */
import 'reflect-metadata';
import { IsInt, IsNumber, IsString } from 'class-validator';
import { BaseDocument } from '../src';
import { toJsonText } from '../src/common/json-text';
import { ModelJsonWriter } from '../src/schema/model-json';

class Order extends BaseDocument {
  @IsInt() id!: number;
  @IsString() status!: string;
  @IsNumber() total!: number;
  @IsString() updated_at!: string;
}

const N = Number(process.env.BENCH_DOCS ?? 200_000);

function docs(shape: 'ordered' | 'reordered' | 'bigint'): Record<string, unknown>[] {
  return Array.from({ length: N }, (_, i) => {
    const base = { id: i, status: 'open', total: i + 0.5, updated_at: '2024-01-01T00:00:00Z', note: 'x'.repeat(40), tags: ['a', 'b'] };
    if (shape === 'reordered') return { note: base.note, total: base.total, id: i, updated_at: base.updated_at, status: base.status, tags: base.tags };
    if (shape === 'bigint') return { ...base, big: BigInt(i) * 10n ** 18n };
    return base;
  });
}

function time(body: () => void): number {
  body(); // warm-up
  const t = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const writer = ModelJsonWriter.of(Order);
for (const shape of ['ordered', 'reordered', 'bigint'] as const) {
  const ds = docs(shape);
  const plain = time(() => {
    for (const d of ds) shape === 'bigint' ? JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : JSON.stringify(d);
  });
  const model = time(() => {
    for (const d of ds) writer.write(d);
  });
  const exact = time(() => {
    const hint = { bigint: false };
    for (const d of ds) toJsonText(d, hint);
  });
  console.log(
    `${shape}: ${N} docs, JSON.stringify ${plain.toFixed(0)} ms, toJsonText ${exact.toFixed(0)} ms, model writer ${model.toFixed(0)} ms; ratio model/stringify ${(model / plain).toFixed(2)}`,
  );
}

/**
 * The stable 32-bit hash that assigns a binding (or a binding's subtask) to a shard: FNV-1a over
 * the UTF-8 bytes of the state key, followed by a NUL byte and the subtask id when there is one,
 * then MurmurHash3's `fmix32` finalizer — FNV alone leaves the high bits nearly equal for short,
 * similar keys (`users`, `users2`), and shard ranges split on the high bits.
 * A shard captures a task when `keyBegin <= hash <= keyEnd` of its `open.range`, so shards that
 * split the full range between them capture every task exactly once.
 */
export function shardHash(stateKey: string, subtask?: string): number {
  const text = subtask === undefined ? stateKey : `${stateKey}\u0000${subtask}`;
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whether `hash` falls in the inclusive shard range (missing bounds are 0 and 0xffffffff). */
export function inShardRange(hash: number, range: { keyBegin?: number; keyEnd?: number } | undefined): boolean {
  const begin = range?.keyBegin ?? 0;
  const end = range?.keyEnd ?? 0xffffffff;
  return hash >= begin && hash <= end;
}

/**
 * Derives a binding's state key as the Flow control plane does (`encode_state_key`): the resource
 * path joined with `/`, every character but Unicode letters, digits and `-_+.=` percent-encoded as
 * UTF-8, plus `.v{backfill}` when the backfill counter is non-zero.
 *
 * @example
 * encodeStateKey(['public', 'table'], 1); // 'public%2Ftable.v1'
 */
export function encodeStateKey(resourcePath: readonly string[], backfill = 0): string {
  let out = '';
  for (const ch of resourcePath.join('/')) {
    if (/^[\p{Alphabetic}\p{N}\-_+.=]$/u.test(ch)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return backfill !== 0 ? `${out}.v${backfill}` : out;
}

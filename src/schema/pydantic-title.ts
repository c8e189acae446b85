/**
 * The title Pydantic derives from a field name: Python's `str.title()` (first letter of each
 * alphabetic run upper-cased, the rest lower-cased) with underscores turned into spaces, so
 * `client_id` → `Client Id` and `lastModified` → `Lastmodified`, exactly as Python connectors show.
 */
export function pydanticTitle(name: string): string {
  let out = '';
  let prevLetter = false;
  for (const ch of name) {
    const isLetter = ch.toLowerCase() !== ch.toUpperCase();
    out += isLetter ? (prevLetter ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevLetter = isLetter;
  }
  return out.replace(/_/g, ' ');
}

/** Orders schema keys as Pydantic emits them: sorted, except property maps which keep declaration order. */
export function sortSchemaKeys(node: unknown, keepOrder = false): unknown {
  if (Array.isArray(node)) return node.map((n) => sortSchemaKeys(n));
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (!keepOrder) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    out[k] = k === 'properties' && !keepOrder ? sortSchemaKeys(v, true) : keepOrder ? sortSchemaKeys(v) : k === 'default' || k === 'const' || k === 'enum' ? v : sortSchemaKeys(v);
  }
  return out;
}

/**
 * Markdown text helpers for generated reference pages: everything taken from a schema is escaped,
 * so a description holding `|`, `<base_url>` or `*` renders as written and cannot break a table.
 */

/** Escapes Markdown and HTML syntax in plain text and keeps it on one line (a table cell). */
export function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|#]/g, '\\$&')
    .replace(/\r?\n\s*\r?\n/g, '<br><br>')
    .replace(/\s*\r?\n\s*/g, ' ');
}

/** A value as an inline code span that is safe inside a table cell. */
export function code(value: unknown): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\s*\r?\n\s*/g, ' ').replace(/\|/g, '\\|');
  const fence = text.includes('`') ? '``' : '`';
  const pad = fence === '``' || text.startsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** One Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;

/** An ISO 8601 duration in words (`PT1H30M` → `1 hour 30 minutes`), or undefined if it is not one. */
export function durationInWords(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DURATION.exec(value);
  if (m === null || value === 'P' || value.endsWith('T')) return undefined;
  const parts = UNITS.flatMap((unit, i) => {
    const n = m[i + 1] === undefined ? 0 : Number(m[i + 1]);
    return n === 0 ? [] : [`${n} ${unit}${n === 1 ? '' : 's'}`];
  });
  return parts.length === 0 ? '0 seconds' : parts.join(' ');
}

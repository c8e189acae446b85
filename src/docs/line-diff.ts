/**
 * A unified-style line diff (longest common subsequence), for `estuary docs --check`. Pages are a
 * few hundred lines, so the quadratic table is cheap and keeps the code obvious.
 */
export function lineDiff(before: string, after: string, labels: [string, string], context = 2): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const ops: Array<{ op: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i++]! });
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ op: '-', text: a[i++]! });
    else ops.push({ op: '+', text: b[j++]! });
  }
  const keep = ops.map((o, k) => o.op !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((n) => n.op !== ' '));
  const out = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  ops.forEach((o, k) => {
    if (keep[k]) out.push(`${o.op}${o.text}`);
    else if (keep[k - 1] === true) out.push('@@');
  });
  return out.join('\n') + '\n';
}

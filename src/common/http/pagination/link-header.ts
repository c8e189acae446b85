/**
 * The target of the first link with relation `rel` in an RFC 8288 `Link` header, e.g.
 * `<https://api.example.com/items?page=2>; rel="next"`. Several headers, several links in one
 * header, commas inside `<…>`, unquoted and space-separated relation lists are all handled.
 */
export function linkTarget(header: string | readonly string[] | undefined, rel: string): string | undefined {
  if (header === undefined) return undefined;
  const text = typeof header === 'string' ? header : header.join(', ');
  const wanted = rel.toLowerCase();
  // Each link is `<target>` followed by its `;`-separated parameters, up to the next `<`.
  const link = /<([^>]*)>([^<]*)/g;
  for (const match of text.matchAll(link)) {
    const params = match[2] ?? '';
    for (const param of params.matchAll(/;\s*([^=;,\s]+)\s*=\s*(?:"([^"]*)"|([^;,]*))/g)) {
      if (param[1]!.toLowerCase() !== 'rel') continue;
      const rels = (param[2] ?? param[3] ?? '').trim().toLowerCase().split(/\s+/);
      if (rels.includes(wanted)) return match[1];
    }
  }
  return undefined;
}

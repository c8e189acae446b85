/**
 * A process-wide registry of secret values (config fields marked `@Secret()`, access tokens,
 * refresh tokens). Every log line and user-facing error passes through {@link redactSecrets}, so a
 * secret that reaches a message by accident is still never printed.
 */
const KEY = Symbol.for('estuary-cdk.secrets');
type Registry = { values: Set<string>; pattern: RegExp | undefined };
const registry: Registry =
  ((globalThis as Record<symbol, unknown>)[KEY] as Registry | undefined) ?? ((globalThis as Record<symbol, unknown>)[KEY] = { values: new Set<string>(), pattern: undefined } as Registry);

/** Marks `value` as secret. Values shorter than 4 characters are ignored (they would redact noise). */
export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < 4 || registry.values.has(value)) return;
  registry.values.add(value);
  registry.pattern = undefined;
}

/** Forgets every registered secret (for tests). */
export function clearSecrets(): void {
  registry.values.clear();
  registry.pattern = undefined;
}

/**
 * Every form in which the HTTP client (or a server echoing what it sent) can spell `value`: raw,
 * JSON-escaped, `encodeURIComponent`, `URLSearchParams` / form encoding (space as `+`, `*` kept),
 * `encodeURI` (paths), and percent-encoding with lower-case hex digits, which some servers echo.
 * Base64 forms (Basic credentials) are registered by whoever builds them, as the whole header value.
 */
export function secretForms(value: string): string[] {
  const component = encodeURIComponent(value);
  const form = new URLSearchParams([['', value]]).toString().slice(1);
  const forms = [value, JSON.stringify(value).slice(1, -1), component, form, encodeURI(value)];
  for (const f of [component, form]) forms.push(f.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  return forms;
}

/** Replaces each registered secret in `text` (in any of its {@link secretForms}) by `[redacted]`. */
export function redactSecrets(text: string): string {
  if (registry.values.size === 0) return text;
  if (registry.pattern === undefined) {
    const forms = new Set<string>();
    for (const v of registry.values) for (const f of secretForms(v)) forms.add(f);
    const escaped = [...forms].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    registry.pattern = new RegExp(escaped.join('|'), 'g');
  }
  return text.replace(registry.pattern, '[redacted]');
}

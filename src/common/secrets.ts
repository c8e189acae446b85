/**
 * A process-wide registry of secret values (config fields marked `@Secret()`, access tokens,
 * refresh tokens). Every log line and user-facing error passes through {@link redactSecrets}, so a
 * secret that reaches a message by accident is still never printed.
 */
const KEY = Symbol.for('estuary-cdk.secrets');
type Registry = { values: Set<string>; pattern: RegExp | undefined };
const registry: Registry = ((globalThis as Record<symbol, unknown>)[KEY] as Registry | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = { values: new Set<string>(), pattern: undefined } as Registry);

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

/** Replaces each registered secret in `text` (raw or JSON-escaped) by `[redacted]`. */
export function redactSecrets(text: string): string {
  if (registry.values.size === 0) return text;
  if (registry.pattern === undefined) {
    const forms = new Set<string>();
    for (const v of registry.values) {
      forms.add(v);
      forms.add(JSON.stringify(v).slice(1, -1));
      forms.add(encodeURIComponent(v));
    }
    const escaped = [...forms].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    registry.pattern = new RegExp(escaped.join('|'), 'g');
  }
  return text.replace(registry.pattern, '[redacted]');
}

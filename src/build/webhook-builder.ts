import { metadata, type Class } from '../common/metadata';
import { compareRules, discriminatorRules, isDiscriminator, normalizeRule, ruleConflict, type NormalRule } from '../common/webhook-match';
import type { ResourceDefinition } from './definition';

/**
 * The definitions of a `@Webhook` class: one, or one per value of its discriminator (named
 * `<name>_<value>`, as the Python CDK's `WebhookCaptureSpec.create_resources`). Problems are appended.
 */
export function buildWebhookResources(rc: Class, problems: string[]): ResourceDefinition[] {
  const r = metadata.getResource(rc)!;
  const where = `${rc.name} @Webhook`;
  const before = problems.length;
  problems.push(...metadata.getProblems(rc));
  if (typeof r.name !== 'string' || r.name.length === 0) problems.push(`${where}: name is missing; give the resource a name, e.g. @Webhook({ name: 'events' })`);
  if (!Array.isArray(r.key) || r.key.length === 0) problems.push(`${where}: key must be a non-empty array of JSON pointers such as ['/id']`);
  else {
    for (const k of r.key as readonly unknown[]) {
      if (typeof k !== 'string' || !k.startsWith('/')) problems.push(`${where}: key entry ${JSON.stringify(k)} is not a JSON pointer; write it as '/${String(k).replace(/^\/*/, '')}'`);
    }
  }
  if (r.document !== undefined && typeof r.document !== 'function') problems.push(`${where}: document is not a class; check the import`);
  const strategies = metadata.getStrategies(rc);
  if (strategies.length > 0)
    problems.push(`${where}: ${strategies.map((s) => s.method).join(', ')} is a capture strategy, but webhook resources receive their documents by HTTP; move it to a @Resource class`);
  const match = r.webhook!.match;
  const rules: { name: string; rule: NormalRule }[] = [];
  const named = (suffix: string | undefined): string => (suffix === undefined ? r.name! : `${r.name}_${suffix}`);
  const entries = isDiscriminator(match) ? discriminatorRules(match) : [{ suffix: undefined, rule: match }];
  if (isDiscriminator(match) && entries.length === 0) problems.push(`${where}: the discriminator lists no values; list at least one`);
  for (const e of entries) {
    const rule = normalizeRule(e.rule);
    if (typeof rule === 'string') problems.push(`${where}: ${rule}`);
    else rules.push({ name: named(e.suffix), rule });
  }
  if (problems.length > before) return [];
  return rules.map(({ name, rule }) => ({
    cls: rc,
    name,
    key: r.key!,
    ...(r.document !== undefined ? { document: r.document } : {}),
    interval: 'PT0S',
    schemaInference: r.schemaInference,
    disable: r.disable,
    explicitAcks: true,
    resourceConfigDefaults: {},
    webhook: { rule },
  }));
}

/** Reports every pair of webhook resources whose rules conflict, naming both. */
export function checkWebhookConflicts(resources: readonly ResourceDefinition[], problems: string[]): void {
  const hooks = resources.filter((d) => d.webhook !== undefined);
  for (const p of webhookConflicts(hooks.map((d) => ({ name: d.name ?? d.cls.name, rule: d.webhook!.rule })))) problems.push(p);
}

/** One line per conflicting pair of named rules (also used at validate, over the bound bindings). */
export function webhookConflicts(rules: readonly { name: string; rule: NormalRule }[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const why = ruleConflict(rules[i]!.rule, rules[j]!.rule);
      if (why !== undefined) out.push(`webhook resources '${rules[i]!.name}' and '${rules[j]!.name}' conflict: ${why}; change one's match`);
    }
  }
  return out;
}

/** Bindings ordered as requests try them: most specific rule first. */
export function routingOrder<T extends { rule: NormalRule }>(rules: readonly T[]): T[] {
  return [...rules].sort((a, b) => compareRules(a.rule, b.rule));
}

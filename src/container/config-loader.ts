import 'reflect-metadata';
import type { ValidationError } from 'class-validator';
import { plainToInstance, validateSync } from '../common/validation';
import { ConfigError } from '../common/errors';
import type { Class } from '../common/metadata';
import { redactSecrets, registerSecret } from '../common/secrets';
import { discriminatorValue, modelProperties, nestedType } from '../schema/model-schema';

/**
 * Turns a plain config object into a validated instance of `cls`: defaults applied, nested
 * models and discriminated unions (`@OneOf`) instantiated, class-validator run. Secret values are
 * registered for redaction before anything can print them. Throws one {@link ConfigError} naming
 * every failing field path.
 */
export function loadModel<T extends object>(cls: Class<T>, raw: unknown, what = 'endpoint config'): T {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(what, [`expected an object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`]);
  }
  const problems: string[] = [];
  const instance = materialize(cls, raw as Record<string, unknown>, '', problems);
  problems.unshift(...collect(validateSync(instance, { forbidUnknownValues: false }), ''));
  if (problems.length > 0) throw new ConfigError(what, withoutRulesOfMissing(problems).map(redactSecrets));
  return instance;
}

const REQUIRED = ': is required';

/**
 * Pydantic rejects a model missing a required field at any depth; class-validator passes an absent
 * nested model and an absent property without validators. Reports `path: is required` for each
 * required property (no default, not optional, not nullable) that is absent, walking `@Type` models.
 */
function checkRequired(cls: Class, value: unknown, path: string, problems: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkRequired(cls, v, `${path}${i}.`, problems));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const p of modelProperties(cls)) {
    const x = (value as Record<string, unknown>)[p.name];
    const at = `${path}${p.name}`;
    if (x === undefined) {
      if (!p.optional) problems.push(`${at}${REQUIRED}`);
      continue;
    }
    // Chosen @OneOf models are checked when materialized.
    if (p.annotations.oneOf !== undefined) continue;
    const nested = p.annotations.itemType?.() ?? nestedType(p);
    if (typeof nested === 'function' && (nested as unknown) !== Date) checkRequired(nested, x, `${at}.`, problems);
  }
}

/** An absent field reads best as "is required" alone, not also as the type rules it would break. */
function withoutRulesOfMissing(problems: string[]): string[] {
  const missing = new Set(problems.filter((m) => m.endsWith(REQUIRED)).map((m) => m.slice(0, -REQUIRED.length)));
  return problems.filter((m) => m.endsWith(REQUIRED) || !missing.has(m.slice(0, m.indexOf(': '))));
}

function materialize<T extends object>(cls: Class<T>, plain: Record<string, unknown>, path: string, problems: string[]): T {
  const props = modelProperties(cls);
  const withDefaults: Record<string, unknown> = { ...plain };
  for (const p of props) {
    if (withDefaults[p.name] === undefined && p.annotations.hasDefault) withDefaults[p.name] = structuredClone(p.annotations.default);
    else if (withDefaults[p.name] === undefined && p.annotations.nullable) withDefaults[p.name] = null;
    if (p.annotations.secret) registerSecret(withDefaults[p.name]);
    const nested = p.annotations.oneOf === undefined ? (p.annotations.itemType?.() ?? nestedType(p)) : undefined;
    if (typeof nested === 'function' && (nested as unknown) !== Date) registerNestedSecrets(nested, withDefaults[p.name]);
  }
  const instance = plainToInstance<T>(cls as new () => T, withDefaults, { exposeDefaultValues: true });
  checkRequired(cls, instance, path, problems);
  for (const p of props) {
    const choice = p.annotations.oneOf;
    const value = withDefaults[p.name];
    if (choice === undefined || value === undefined || value === null) continue;
    const at = `${path}${p.name}`;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${at}: must be an object`);
      continue;
    }
    const v = value as Record<string, unknown>;
    let chosen: Class | undefined;
    if (choice.discriminator !== undefined) {
      const tag = v[choice.discriminator];
      chosen = choice.classes.find((c) => discriminatorValue(c, choice.discriminator!) === tag);
      if (chosen === undefined) {
        const allowed = choice.classes.map((c) => JSON.stringify(discriminatorValue(c, choice.discriminator!))).join(', ');
        problems.push(`${at}.${choice.discriminator}: must be one of ${allowed}`);
        continue;
      }
    } else {
      // Without a discriminator the first class the value validates against wins.
      chosen = choice.classes.find((c) => {
        const trial: string[] = [];
        const inst = materialize<object>(c, v, '', trial);
        return trial.length === 0 && validateSync(inst, { forbidUnknownValues: false }).length === 0;
      });
      if (chosen === undefined) {
        problems.push(`${at}: matches none of ${choice.classes.map((c) => c.name).join(', ')}`);
        continue;
      }
    }
    const nested = materialize<object>(chosen, v, `${at}.`, problems);
    problems.push(...collect(validateSync(nested, { forbidUnknownValues: false }), `${at}.`));
    (instance as Record<string, unknown>)[p.name] = nested;
  }
  return instance;
}

function registerNestedSecrets(cls: Class, value: unknown): void {
  for (const v of Array.isArray(value) ? value : [value]) {
    if (v === null || typeof v !== 'object') continue;
    for (const p of modelProperties(cls)) {
      const x = (v as Record<string, unknown>)[p.name];
      if (p.annotations.secret) registerSecret(x);
      const nested = p.annotations.itemType?.() ?? nestedType(p);
      if (typeof nested === 'function' && (nested as unknown) !== Date) registerNestedSecrets(nested, x);
    }
  }
}

function collect(errors: ValidationError[], prefix: string): string[] {
  const out: string[] = [];
  for (const e of errors) {
    // A @Nullable() property holding null is valid whatever its validators say about the value.
    if (e.value === null && isNullable(e.target, e.property)) continue;
    const at = `${prefix}${e.property}`;
    if (e.constraints !== undefined) {
      // class-validator's messages start with the property name; keep the rule, drop any value.
      const rules = Object.values(e.constraints).map((m) => m.replace(new RegExp(`^${escape(e.property)}\\s+`), ''));
      out.push(`${at}: ${rules.join(', ')}`);
    }
    if (e.children !== undefined && e.children.length > 0) out.push(...collect(e.children, `${at}.`));
  }
  return out;
}

function isNullable(target: object | undefined, property: string): boolean {
  const cls = target?.constructor as Class | undefined;
  return cls !== undefined && modelProperties(cls).some((p) => p.name === property && p.annotations.nullable === true);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

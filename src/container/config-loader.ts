import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
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
  if (problems.length > 0) throw new ConfigError(what, problems.map(redactSecrets));
  return instance;
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
  const instance = plainToInstance<T, Record<string, unknown>>(cls as new () => T, withDefaults, { exposeDefaultValues: true });
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

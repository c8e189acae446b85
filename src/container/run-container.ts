import 'reflect-metadata';
import { container as rootContainer, injectable, type DependencyContainer } from 'tsyringe';
import type { Logger } from '../common/logger';
import type { Class } from '../common/metadata';
import { CdkError } from '../common/errors';
import { BindingContext } from './binding-context';
import { CONFIG, HTTP_CLIENT, LOGGER, TOKEN_SOURCE } from './tokens';

/** What a run (one connector process handling one request) provides to the container. */
export interface RunServices {
  configClass?: Class;
  config?: object;
  logger: Logger;
  /** The shared HTTP client, created lazily on first injection. */
  httpClient?: () => object;
  httpClientClass?: Class;
  tokenSource?: object;
  tokenSourceClass?: Class;
}

/** A child container per run holding the config, logger, HTTP client and token source. */
export function createRunContainer(services: RunServices): DependencyContainer {
  const c = rootContainer.createChildContainer();
  c.register(LOGGER, { useValue: services.logger });
  if (services.config !== undefined) {
    c.register(CONFIG, { useValue: services.config });
    if (services.configClass !== undefined) c.register(services.configClass as unknown as symbol, { useValue: services.config });
  }
  if (services.httpClient !== undefined) {
    let client: object | undefined;
    const get = (): object => (client ??= services.httpClient!());
    c.register(HTTP_CLIENT, { useFactory: get });
    if (services.httpClientClass !== undefined) c.register(services.httpClientClass as unknown as symbol, { useFactory: get });
  }
  if (services.tokenSource !== undefined) {
    c.register(TOKEN_SOURCE, { useValue: services.tokenSource });
    if (services.tokenSourceClass !== undefined) c.register(services.tokenSourceClass as unknown as symbol, { useValue: services.tokenSource });
  }
  return c;
}

/** A child container per binding, adding the {@link BindingContext}. */
export function createBindingContainer(run: DependencyContainer, binding: BindingContext): DependencyContainer {
  const c = run.createChildContainer();
  c.register(BindingContext, { useValue: binding });
  return c;
}

/** Classes {@link resolveClass} already made injectable (once per class, not per binding constructed). */
const madeInjectable = new WeakSet();

/**
 * Makes `classes` injectable ahead of their construction, as {@link resolveClass} would at each
 * one's first: the capture calls it before `opened`, so that the first binding's start does not also
 * load tsyringe's decorator code. A class without emitted parameter types is left to resolveClass,
 * which reports it when the binding is constructed.
 */
export function prepareInjection(classes: readonly Class[]): void {
  for (const cls of classes) {
    const ctor = cls as unknown as new (...args: unknown[]) => unknown;
    if (ctor.length === 0 || madeInjectable.has(ctor) || Reflect.getMetadata('design:paramtypes', ctor) === undefined) continue;
    injectable()(ctor);
    madeInjectable.add(ctor);
  }
}

/**
 * Resolves `cls` from `c`. Resource and connector classes need no `@injectable()` of their own:
 * their decorators already make TypeScript emit constructor types, which are registered here.
 */
export function resolveClass<T>(c: DependencyContainer, cls: Class<T>): T {
  const ctor = cls as unknown as new (...args: unknown[]) => T;
  if (ctor.length > 0 && !madeInjectable.has(ctor) && !c.isRegistered(ctor, true)) {
    if (Reflect.getMetadata('design:paramtypes', ctor) === undefined) throw missingMetadata(cls, ctor.length);
    injectable()(ctor);
    madeInjectable.add(ctor);
  }
  try {
    return c.resolve(ctor);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const missing = /TypeInfo not known for "?(\w+)"?/.exec(msg);
    const hint = missing !== null ? `${missing[1]} is not injectable; decorate it with @injectable() (imported from estuary-cdk)` : msg.split('\n')[0];
    throw new CdkError('INJECTION', `Cannot construct ${cls.name}: ${hint}`, { cause: err, userError: true });
  }
}

/** The constructor's parameter types were never emitted, so nothing can be injected: say why and how to fix it. */
function missingMetadata(cls: Class, params: number): CdkError {
  return new CdkError(
    'DECORATOR_METADATA_MISSING',
    `Cannot construct ${cls.name}: its constructor takes ${params} parameter(s) but the class has no decorator metadata ` +
      '(design:paramtypes), so their types are unknown. It was compiled without emitDecoratorMetadata, as tsx and esbuild ' +
      'always do; run TypeScript through estuary-cdk instead: `node --require estuary-cdk/register` (ESM projects: ' +
      '--import; mocha: --require estuary-cdk/register), or tsc with "experimentalDecorators" and "emitDecoratorMetadata" set.',
    { userError: true },
  );
}

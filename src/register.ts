/**
 * estuary-cdk/register: loads TypeScript with the transform `estuary run` uses, which emits the
 * decorator metadata constructor injection needs (tsx and esbuild emit none).
 *
 *   node --require estuary-cdk/register --test my.spec.ts   # CommonJS projects (and mocha's --require)
 *   node --import estuary-cdk/register --test my.spec.ts    # ESM projects ("type": "module") too
 */
import 'reflect-metadata';
import { registerTypeScript, registerTypeScriptForEsm } from './cli/ts-register';

registerTypeScript();
registerTypeScriptForEsm();

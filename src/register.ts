/**
 * estuary-cdk/register: `node --require estuary-cdk/register my.spec.ts` (or mocha's `--require`)
 * loads TypeScript with the transform `estuary run` uses, which emits the decorator metadata
 * constructor injection needs (tsx and esbuild emit none).
 */
import 'reflect-metadata';
import { registerTypeScript } from './cli/ts-register';

registerTypeScript();

/**
 * Node built-ins that `spec`, `discover` and most captures never use, loaded on first use: each costs
 * 3–5 ms of compiling at start-up (child_process brings net and dgram with it), and Flow starts a
 * process per request.
 */

let zlibModule: typeof import('node:zlib') | undefined;
let childProcessModule: typeof import('node:child_process') | undefined;

/** `node:zlib`. */
export function zlib(): typeof import('node:zlib') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use to keep start-up light
  return (zlibModule ??= require('node:zlib') as typeof import('node:zlib'));
}

/** `node:child_process`. */
export function childProcess(): typeof import('node:child_process') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use to keep start-up light
  return (childProcessModule ??= require('node:child_process') as typeof import('node:child_process'));
}

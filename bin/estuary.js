#!/usr/bin/env node
'use strict';
// Before anything loads: V8's old-space growth is read at each full collection (see heap-tuning.ts).
const heapTuning = require('../dist/src/runtime/capture/heap-tuning.js');
heapTuning.tuneHeapAtStart();
// Next: every module loaded after this is compiled from V8's code cache when it can be, read and
// written under the flags of the start (V8 stamps code with its flags; a capture changes heap flags).
require('../dist/src/cli/compile-cache.js').enableCompileCache(process.env, heapTuning.withStartFlags);
// Barrels that load hundreds of modules (class-validator ~320) where a spec uses a handful, and
// estuary-cdk's own, which a connector imports whole.
const lazy = require('../dist/src/cli/lazy-exports.js');
lazy.lazyExports(['class-validator', 'class-transformer', 'tsyringe']);
lazy.lazyOwnExports(require.resolve('../dist/src/index.js'));
require('reflect-metadata');
const { main } = require('../dist/src/cli/main.js');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Keep-alive sockets and timers must not hold a finished connector open.
    setImmediate(() => process.exit(code));
  },
  (err) => {
    process.stderr.write(JSON.stringify({ level: 'error', msg: String(err && err.message ? err.message : err) }) + '\n');
    process.exit(1);
  },
);

import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CdkError, describeError } from '../common/errors';
import { mayHoldLongIntegers, parseJsonExact } from '../common/json-exact';
import { parseShortDuration } from '../common/time';
import { PreviewOptions, runPreview } from './preview';
import { ProgressReporter, TextSink } from './progress-reporter';

/** The terminal the command writes to. */
export interface PreviewIo {
  stdout: TextSink;
  stderr: TextSink;
  isTTY: boolean;
}

/** The usage text of `estuary preview`. */
export const PREVIEW_USAGE = `usage: estuary preview [<connector>] [options]

Runs a connector as the Flow runtime would and prints what it captures, one
["<collection>", <document>] line per combined document, as each transaction commits.
Without --config and --source, a connector folder's config.yaml (else its
test.flow.yaml) is used.

options:
  --source <file>        Flow catalog (test.flow.yaml) with the capture, bindings and collections
  --name <capture>       which capture of the catalog, if it has several
  --config <file>        endpoint config (YAML or JSON); overrides the catalog's
  --sessions <n[,n…]>    transactions per session; several values run several sessions (-1: until exit)
  --delay <duration>     wait before each poll for a transaction, from opened (e.g. 10s; default 0s)
  --idle-timeout <dur>   end a session when nothing is checkpointed this long after a poll
  --timeout <duration>   stop the preview gracefully after this long (e.g. 30s)
  --state <file>         resume from and save the connector state to this file
  --initial-state <json> state of the first session when there is no state file
  --output-state         also print ["connectorState", …] lines
  --shards <n>           run n connector processes over a split key range
  -h, --help             show this help
`;

class UsageError extends CdkError {
  constructor(message: string) {
    super('USAGE', message, { userError: true });
  }
}

const VALUE_FLAGS = ['--source', '--name', '--config', '--sessions', '--delay', '--idle-timeout', '--timeout', '--state', '--initial-state', '--shards'];

function duration(flag: string, value: string): number {
  try {
    return parseShortDuration(value);
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}

/** `<dir>/config.yaml`, else `<dir>/test.flow.yaml`, for a connector given as a folder without --config or --source. */
function folderDefaults(connector: string, options: PreviewOptions): void {
  let isDir: boolean;
  try {
    isDir = statSync(connector).isDirectory();
  } catch {
    return; // a missing connector is reported when it is run
  }
  if (!isDir) return;
  const dir = connector;
  const config = path.join(dir, 'config.yaml');
  const catalog = path.join(dir, 'test.flow.yaml');
  if (existsSync(config)) options.config = config;
  else if (existsSync(catalog)) options.source = catalog;
}

/** Parses `estuary preview` arguments into {@link PreviewOptions} (without callbacks). */
export function parsePreviewArgs(argv: readonly string[]): PreviewOptions | 'help' {
  const args = argv[0] === 'preview' ? argv.slice(1) : [...argv];
  const options: PreviewOptions = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    let value: string | undefined;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg.startsWith('--') && arg.includes('=')) {
      value = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    if (VALUE_FLAGS.includes(arg) && value === undefined) {
      value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
    }
    switch (arg) {
      case '--source':
        options.source = value;
        break;
      case '--name':
        options.captureName = value;
        break;
      case '--config':
        options.config = value;
        break;
      case '--sessions':
        options.sessions = value!.split(',').map((v) => {
          const n = Number(v.trim());
          if (!Number.isInteger(n) || (n < 1 && n !== -1)) throw new UsageError(`--sessions takes positive integers (or -1); got ${v}`);
          return n;
        });
        break;
      case '--delay':
        try {
          options.delayMs = parseShortDuration(value!);
        } catch (err) {
          throw new UsageError(`--delay: ${(err as Error).message}`);
        }
        break;
      case '--idle-timeout':
        options.idleTimeoutMs = duration(arg, value!);
        break;
      case '--timeout':
        options.timeoutMs = duration(arg, value!);
        break;
      case '--state':
        options.stateFile = value;
        break;
      case '--initial-state':
        try {
          const parsed: unknown = JSON.parse(value!);
          options.initialState = mayHoldLongIntegers(value!) ? parseJsonExact(value!) : parsed;
        } catch {
          throw new UsageError(`--initial-state must be JSON; got ${value}`);
        }
        break;
      case '--output-state':
        options.outputState = true;
        break;
      case '--shards': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--shards takes a positive integer; got ${value}`);
        options.shards = n;
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length > 1) throw new UsageError(`expected one connector, got ${positional.join(' ')}`);
  if (positional.length === 1) options.connector = positional[0];
  if (options.connector !== undefined && options.config === undefined && options.source === undefined) {
    folderDefaults(options.connector, options);
  }
  if (options.connector === undefined && options.source === undefined) {
    throw new UsageError('name a connector or pass --source <test.flow.yaml>');
  }
  return options;
}

/** Resolves once everything written to `out` so far has been handed to the OS. */
function drained(out: TextSink): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with `out` as this
  const write = out.write as (text: string, callback: () => void) => unknown;
  // A sink whose write takes no callback (a test's collector) has nothing queued.
  if (write.length < 2) return Promise.resolve();
  return new Promise((resolve) => void write.call(out, '', () => resolve()));
}

/** Lines per stdout write: one huge transaction must not become one string beyond V8's length limit. */
const OUTPUT_CHUNK = 10_000;

/**
 * `estuary preview`: runs the connector under the local stand-in for the Flow runtime, printing
 * captured documents on stdout and progress and connector logs on stderr.
 *
 * @returns the exit code: 0 on success, 1 when the capture failed, 2 on a usage error.
 */
export async function previewCommand(argv: string[], io: PreviewIo): Promise<number> {
  let options: PreviewOptions | 'help';
  try {
    options = parsePreviewArgs(argv);
  } catch (err) {
    io.stderr.write(`error: ${describeError(err)}\n\n${PREVIEW_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(PREVIEW_USAGE);
    return 0;
  }
  const reporter = new ProgressReporter(io.stderr, io.isTTY);
  try {
    await runPreview({
      ...options,
      // Printed per transaction and not kept: memory stays bounded by one transaction.
      collect: false,
      onOutput: (lines) => {
        let flushed = true;
        for (let i = 0; i < lines.length; i += OUTPUT_CHUNK) {
          flushed = io.stdout.write(`${lines.slice(i, i + OUTPUT_CHUNK).join('\n')}\n`) !== false && flushed;
        }
        return flushed ? undefined : drained(io.stdout);
      },
      onLog: reporter.log,
      onProgress: reporter.event,
    });
    reporter.finish();
    // The CLI exits as soon as this returns: output still queued for a pipe would be lost.
    await drained(io.stdout);
    return 0;
  } catch (err) {
    reporter.finish();
    const userError = err instanceof CdkError && err.userError;
    io.stderr.write(`error: ${describeError(err)}\n`);
    if (!userError && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

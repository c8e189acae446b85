import { CdkError, describeError } from '../common/errors';
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
["<collection>", <document>] line per combined document.

options:
  --source <file>        Flow catalog (test.flow.yaml) with the capture, bindings and collections
  --name <capture>       which capture of the catalog, if it has several
  --config <file>        endpoint config (YAML or JSON); overrides the catalog's
  --sessions <n[,n…]>    transactions per session; several values run several sessions (-1: until exit)
  --delay <duration>     wait before each poll for a transaction, from opened (e.g. 10s; default 0s)
  --idle-timeout <dur>   end a session when nothing is checkpointed this long after a poll
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

const VALUE_FLAGS = ['--source', '--name', '--config', '--sessions', '--delay', '--idle-timeout', '--state', '--initial-state', '--shards'];

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
        try {
          options.idleTimeoutMs = parseShortDuration(value!);
        } catch (err) {
          throw new UsageError(`--idle-timeout: ${(err as Error).message}`);
        }
        break;
      case '--state':
        options.stateFile = value;
        break;
      case '--initial-state':
        try {
          options.initialState = JSON.parse(value!);
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
  if (options.connector === undefined && options.source === undefined) {
    throw new UsageError('name a connector or pass --source <test.flow.yaml>');
  }
  return options;
}

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
      onOutput: (lines) => io.stdout.write(`${lines.join('\n')}\n`),
      onLog: reporter.log,
      onProgress: reporter.event,
    });
    reporter.finish();
    return 0;
  } catch (err) {
    reporter.finish();
    const userError = err instanceof CdkError && err.userError;
    io.stderr.write(`error: ${describeError(err)}\n`);
    if (!userError && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

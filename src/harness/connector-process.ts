import { ChildProcess, spawn } from 'node:child_process';
import { ConnectorLog, decodeLogLine } from './connector-log';
import { ConnectorFailedError, ConnectorProtocolError, HarnessError } from './harness-errors';
import { jsonText, JsonObject } from './json-utils';
import { ConnectorResponse, decodeResponseLine } from '../protocol';

/** How to launch a connector. */
export interface ConnectorLaunch {
  /** The command and its arguments, e.g. `[process.execPath, 'bin/estuary.js', 'run', './my-connector']`. */
  command: readonly string[];
  /** Working directory of the connector process. */
  cwd?: string;
  /** Extra environment variables, on top of this process's environment and `LOG_LEVEL=info`. */
  env?: Record<string, string>;
  /** Receives every log line the connector writes on stderr. */
  onLog?: (log: ConnectorLog) => void;
}

/** How a connector process ended. */
export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  /** True when the harness stopped the process itself (end of session). */
  stoppedByHarness: boolean;
  /** True when the harness killed the process because it lingered after being stopped. */
  killedByHarness?: boolean;
}

/**
 * One connector process speaking newline-delimited JSON. Responses are parsed synchronously as each
 * stdout chunk arrives and handed to `onResponse`; `onChunk` runs after a chunk's lines are handled,
 * so everything that arrived together is visible at once.
 */
export class ConnectorProcess {
  onResponse: (response: ConnectorResponse) => void = () => undefined;
  onChunk: () => void = () => undefined;
  /** The last message logged on stderr; Flow reports it when the connector fails. */
  lastLogMessage: string | undefined;
  /** The first error-level line the connector logged, if any. */
  firstErrorLog: ConnectorLog | undefined;
  /** Resolves once stdout, stderr and the process have all closed. */
  readonly closed: Promise<ProcessOutcome>;

  private readonly child: ChildProcess;
  private failure: Error | undefined;
  private partial = false;
  private stopped = false;
  private stdoutRest: Buffer = Buffer.alloc(0);
  private stderrRest = '';
  private killTimer: NodeJS.Timeout | undefined;
  private killedByHarness = false;

  constructor(
    private readonly rpc: string,
    launch: ConnectorLaunch,
  ) {
    const [file, ...args] = launch.command;
    if (file === undefined) throw new HarnessError('CONNECTOR_COMMAND', 'the connector command is empty');
    this.child = spawn(file, args, {
      cwd: launch.cwd,
      env: { ...process.env, LOG_LEVEL: 'info', ...launch.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdin?.on('error', () => undefined); // EPIPE after the connector exits is not our error
    this.child.stdout?.on('data', (chunk: Buffer) => this.readStdout(chunk));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => this.readStderr(chunk, launch.onLog));
    this.closed = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.fail(new HarnessError('CONNECTOR_START', `cannot start connector ${JSON.stringify(file)}: ${err.message}`));
        resolve({ exitCode: null, signal: null, stoppedByHarness: false });
      });
      this.child.on('close', (code, signal) => {
        if (this.killTimer) clearTimeout(this.killTimer);
        if (this.stderrRest.length > 0) this.log(this.stderrRest, launch.onLog);
        if (this.stdoutRest.length > 0 && !this.stopped) this.partial = true;
        resolve({ exitCode: code, signal, stoppedByHarness: this.stopped, killedByHarness: this.killedByHarness });
      });
    });
  }

  /** Writes one request line to the connector's stdin. */
  send(request: JsonObject): void {
    if (this.child.stdin?.writable) this.child.stdin.write(`${jsonText(request)}\n`);
  }

  /** Closes stdin: the connector should finish and exit. */
  closeInput(): void {
    this.child.stdin?.end();
  }

  /** Ends the session: closes stdin, ignores further output, and kills the process if it lingers. */
  stop(graceMs = 1000): void {
    if (this.stopped) return;
    this.stopped = true;
    this.closeInput();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.killTimer = setTimeout(() => {
        this.killedByHarness = true;
        this.child.kill('SIGKILL');
      }, graceMs);
    }
  }

  /** Records the first failure and kills the process; later output is ignored. */
  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.stopped = true;
    this.child.kill('SIGKILL');
  }

  /**
   * The error that ended this process, if any, in the order the Flow runtime would see it: an error the
   * harness raised, then a non-zero exit (reported with the last log message), then a partial line.
   * A session the harness ended still fails when the connector then exits non-zero or logged an
   * error: a connector that broke just before the stop condition held must not pass.
   */
  errorFor(outcome: ProcessOutcome): Error | undefined {
    if (this.failure) return this.failure;
    if (outcome.stoppedByHarness) {
      const exitedBadly = !outcome.killedByHarness && (outcome.exitCode !== 0 || outcome.signal !== null);
      if (exitedBadly) return new ConnectorFailedError(this.rpc, outcome.exitCode, outcome.signal, this.lastLogMessage);
      if (this.firstErrorLog) return new ConnectorFailedError(this.rpc, outcome.exitCode, outcome.signal, this.firstErrorLog.message, true);
      return undefined;
    }
    if (outcome.exitCode !== 0) return new ConnectorFailedError(this.rpc, outcome.exitCode, outcome.signal, this.lastLogMessage);
    if (this.partial) return new ConnectorProtocolError('connector wrote a partial message and then closed its output');
    return undefined;
  }

  private readStdout(chunk: Buffer): void {
    if (this.stopped) return;
    let data = this.stdoutRest.length > 0 ? Buffer.concat([this.stdoutRest, chunk]) : chunk;
    let nl = data.indexOf(10);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- handleLine may stop the process
    while (nl !== -1 && !this.stopped) {
      const line = data.subarray(0, nl).toString('utf8');
      data = data.subarray(nl + 1);
      this.handleLine(line);
      nl = data.indexOf(10);
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- handleLine may stop the process
    this.stdoutRest = this.stopped ? Buffer.alloc(0) : Buffer.from(data);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- handleLine may stop the process
    if (!this.stopped) {
      try {
        this.onChunk();
      } catch (err) {
        this.fail(err as Error);
      }
    }
  }

  private handleLine(line: string): void {
    try {
      this.onResponse(decodeResponseLine(line).response);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private readStderr(chunk: string, onLog: ConnectorLaunch['onLog']): void {
    const lines = (this.stderrRest + chunk).split('\n');
    this.stderrRest = lines.pop() ?? '';
    for (const line of lines) this.log(line, onLog);
  }

  private log(line: string, onLog: ConnectorLaunch['onLog']): void {
    if (line.trim() === '') return;
    const log = decodeLogLine(line);
    this.lastLogMessage = log.message;
    if (log.level === 'error' && this.firstErrorLog === undefined) this.firstErrorLog = log;
    onLog?.(log);
  }
}

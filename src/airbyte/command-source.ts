import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureError } from '../common/errors';
import { childProcess } from '../common/lazy-builtins';
import type { Logger } from '../common/logger';
import { readLines } from '../runtime/io/line-reader';
import { flowLevel, parseSourceLine, type AirbyteMessage, type AirbyteSpec, type AirbyteStream, type SourceOutput } from './airbyte-protocol';
import type { ReadArgs, SourceDriver, SourceExit, SourceRun } from './source-driver';

const STDERR_TAIL = 20;

/** Options of a child-process source. */
export interface CommandSourceOptions {
  /** The command and its arguments, before the Airbyte verb: `['docker', 'run', '--rm', '-i', 'airbyte/source-x:1.2']`. */
  command: readonly string[];
  /** Extra environment for the child. */
  env?: Record<string, string>;
  /** How long a stopped child may take to exit after SIGTERM before it is killed (default 10 s). */
  stopGraceMs?: number;
}

/** Runs an Airbyte-protocol executable or container once per verb. */
export class CommandSource implements SourceDriver {
  readonly description: string;

  constructor(
    private readonly options: CommandSourceOptions,
    private readonly log: Logger,
  ) {
    if (options.command.length === 0) throw new CaptureError('airbyteShim({ command }) needs a non-empty command', { code: 'CONFIG_INVALID' });
    this.description = `command '${options.command.join(' ')}'`;
  }

  async spec(): Promise<AirbyteSpec> {
    return (await this.unary('spec', {}, 'SPEC')).spec!;
  }

  async check(config: Record<string, unknown>): Promise<{ status: string; message?: string }> {
    return (await this.unary('check', { config }, 'CONNECTION_STATUS')).connectionStatus!;
  }

  async discover(config: Record<string, unknown>): Promise<AirbyteStream[]> {
    return (await this.unary('discover', { config }, 'CATALOG')).catalog!.streams;
  }

  read(args: ReadArgs): SourceRun {
    return this.start('read', { config: args.config, catalog: args.catalog, ...(args.state !== undefined ? { state: args.state } : {}) });
  }

  /** Runs a verb that answers with one message of `wanted` type; logs everything else. */
  private async unary(verb: string, files: Record<string, unknown>, wanted: string): Promise<AirbyteMessage> {
    const run = this.start(verb, files);
    let answer: AirbyteMessage | undefined;
    let lastError: string | undefined;
    for await (const out of run.output) {
      if ('rogue' in out) {
        this.log.info({ source: 'stdout' }, out.rogue);
        continue;
      }
      const m = out.message;
      if (m.type === wanted) answer ??= m;
      else if (m.type === 'LOG' && m.log !== undefined) {
        const level = flowLevel(m.log.level);
        this.log[level](m.log.message);
        if (level === 'error') lastError = m.log.message;
      } else if (m.type === 'TRACE' && m.trace?.error !== undefined) {
        lastError = m.trace.error.message;
        this.log.error({ internal_message: m.trace.error.internal_message }, m.trace.error.message);
      }
    }
    const exit = await run.exit();
    if (exit.code !== 0 || answer === undefined) {
      const why = lastError ?? exit.stderrTail[exit.stderrTail.length - 1];
      const how = exit.code !== 0 ? `exited with ${describeExit(exit)}` : `answered no ${wanted} message`;
      throw new CaptureError(`Airbyte source ${verb} failed: ${this.description} ${how}${why !== undefined ? `: ${why}` : ''}`, { code: 'AIRBYTE_SOURCE' });
    }
    return answer;
  }

  private start(verb: string, files: Record<string, unknown>): SourceRun {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'estuary-airbyte-'));
    const args: string[] = [verb];
    for (const [name, value] of Object.entries(files)) {
      const file = path.join(dir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
      args.push(`--${name}`, file);
    }
    const [cmd, ...pre] = this.options.command;
    const child = childProcess().spawn(cmd!, [...pre, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.options.env } });
    return new ChildRun(child, this.log, this.options.stopGraceMs ?? 10_000, () => fs.rmSync(dir, { recursive: true, force: true }), this.description);
  }
}

/** One running child: its stdout as {@link SourceOutput}s, stderr as logs, and the stop protocol. */
class ChildRun implements SourceRun {
  private readonly stderrTail: string[] = [];
  private readonly exited: Promise<SourceExit>;
  private killed = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly child: ChildProcess,
    private readonly log: Logger,
    private readonly graceMs: number,
    cleanup: () => void,
    private readonly description: string,
  ) {
    void (async () => {
      for await (const line of readLines(child.stderr!)) {
        if (line.trim() === '') continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
        log.info({ source: 'stderr' }, line);
      }
    })().catch(() => undefined);
    this.exited = new Promise<SourceExit>((resolve) => {
      child.once('error', (err) => {
        clearTimeout(this.killTimer);
        cleanup();
        resolve({ code: null, killed: false, error: new CaptureError(`could not start ${description}: ${err.message}`, { code: 'AIRBYTE_SOURCE', cause: err }), stderrTail: this.stderrTail });
      });
      child.once('close', (code, signal) => {
        clearTimeout(this.killTimer);
        cleanup();
        resolve({ code, signal, killed: this.killed, stderrTail: this.stderrTail });
      });
    });
    // A grandchild that inherited stdout could keep it open after the child exited: stop waiting.
    child.once('exit', () => setTimeout(() => child.stdout?.destroy(), 5000).unref());
  }

  get output(): AsyncIterable<SourceOutput> {
    const stdout = this.child.stdout!;
    return (async function* () {
      for await (const line of readLines(stdout)) {
        const out = parseSourceLine(line);
        if (out !== undefined) yield out;
      }
    })();
  }

  stop(reason: string): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.killTimer !== undefined) return;
    this.log.info({ reason, pid: this.child.pid }, 'stopping the Airbyte source (SIGTERM)');
    this.child.kill('SIGTERM');
    this.killTimer = setTimeout(() => {
      this.killed = true;
      this.log.warn({ pid: this.child.pid }, `${this.description} did not exit within ${this.graceMs} ms of SIGTERM; killing it`);
      this.child.kill('SIGKILL');
    }, this.graceMs);
    this.killTimer.unref();
  }

  exit(): Promise<SourceExit> {
    return this.exited;
  }
}

/** `code 2`, `signal SIGKILL`. */
export function describeExit(exit: SourceExit): string {
  if (exit.code !== null) return `code ${exit.code}`;
  if (exit.signal) return `signal ${exit.signal}`;
  return 'an unknown status';
}

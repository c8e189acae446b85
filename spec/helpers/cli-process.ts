import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The repository root (where package.json named estuary-cdk lives). */
export const REPO = path.resolve(__dirname, '../../..');
export const ESTUARY_BIN = path.join(REPO, 'bin/estuary.js');

/** What a finished `estuary` child process left behind. */
export interface CliResult {
  code: number | null;
  stdout: string[];
  stderr: string[];
  /** stderr lines parsed as JSON where possible. */
  logs: Record<string, any>[];
}

/**
 * Runs `estuary <args>` as a real child process, writing `input` lines to its stdin (then closing
 * it, unless `keepOpen` returns true for the output so far — it is closed once it returns false).
 */
export function runCli(
  args: string[],
  input: unknown[] = [],
  options: {
    keepOpen?: (stdout: string[]) => boolean;
    env?: Record<string, string>;
    cwd?: string;
    /** Called after each stdout chunk, with stdin to write more requests (e.g. acknowledgements). */
    onStdout?: (stdout: string[], stdin: NodeJS.WritableStream) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ESTUARY_BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    let outBuf = '';
    let errBuf = '';
    let closed = false;
    const maybeClose = (): void => {
      if (!closed && !(options.keepOpen?.(stdout) ?? false)) {
        closed = true;
        child.stdin.end();
      }
    };
    child.stdout.on('data', (c: Buffer) => {
      outBuf += c.toString();
      const parts = outBuf.split('\n');
      outBuf = parts.pop()!;
      stdout.push(...parts);
      options.onStdout?.(stdout, child.stdin);
      maybeClose();
    });
    child.stderr.on('data', (c: Buffer) => {
      errBuf += c.toString();
      const parts = errBuf.split('\n');
      errBuf = parts.pop()!;
      stderr.push(...parts);
    });
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => {
      if (outBuf) stdout.push(outBuf);
      if (errBuf) stderr.push(errBuf);
      const logs = stderr.map((l) => {
        try {
          return JSON.parse(l) as Record<string, any>;
        } catch {
          return { raw: l };
        }
      });
      resolve({ code, stdout, stderr, logs });
    });
    for (const line of input) {
      if (Buffer.isBuffer(line)) child.stdin.write(Buffer.concat([line, Buffer.from('\n')]));
      else child.stdin.write((typeof line === 'string' ? line : JSON.stringify(line)) + '\n');
    }
    maybeClose();
  });
}

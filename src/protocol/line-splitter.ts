import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';

/**
 * A writable that hands each complete, non-blank line written to it to `onLine`, in order. An error
 * thrown by `onLine` fails the write, so the writer sees it. Used to read a connector's output
 * in-process, as the harness reads a child process's stdout.
 */
export function lineWriter(onLine: (line: string) => void): Writable {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let nl: number;
      try {
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          if (line.trim() !== '') onLine(line);
        }
      } catch (err) {
        cb(err as Error);
        return;
      }
      cb();
    },
  });
}

import { Readable, pipeline } from 'node:stream';
import { zlib } from '../lazy-builtins';
import { StreamParseError } from './stream.errors';

/**
 * Decompresses gzip bytes as they arrive. Unlike the Python CDK it reads every member of a multi-member
 * file (as `gzip -d` does; concatenated members are common in log exports) and fails with
 * {@link StreamParseError} on truncated or corrupt input instead of ending quietly. An input of zero
 * bytes is treated as an empty file; zero padding after the last member is ignored.
 *
 * @example
 * for await (const item of new IncrementalJsonProcessor(gunzipStream(body), { prefix: '' })) yield item;
 */
export async function* gunzipStream(input: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer, void, undefined> {
  let sawInput = false;
  async function* nonEmpty(): AsyncGenerator<Uint8Array> {
    for await (const chunk of input) {
      if (chunk.length === 0) continue;
      sawInput = true;
      yield chunk;
    }
  }

  const gunzip = zlib().createGunzip();
  let pipelineError: unknown;
  const finished = new Promise<void>((resolve) => {
    pipeline(Readable.from(nonEmpty()), gunzip, (err) => {
      pipelineError = err;
      resolve();
    });
  });
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
    if (!sawInput) return;
    throw wrap(err, gunzip.bytesWritten);
  } finally {
    gunzip.destroy();
  }
  await finished;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by a callback while this awaits
  if (pipelineError !== undefined && sawInput) throw wrap(pipelineError, gunzip.bytesWritten);
}

function wrap(err: unknown, offset: number): unknown {
  if (err instanceof StreamParseError || !(err instanceof Error) || !('errno' in err)) return err;
  const truncated = (err as { code?: string }).code === 'Z_BUF_ERROR';
  const what = truncated ? 'truncated gzip input' : 'corrupt gzip input';
  return new StreamParseError(`${what} near byte ${offset}: ${err.message}`, { offset }, { cause: err });
}

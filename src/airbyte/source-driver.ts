import type { AirbyteSpec, AirbyteStream, ConfiguredCatalog, SourceOutput } from './airbyte-protocol';

/** How a source run ended. */
export interface SourceExit {
  /** Exit code of a child process (0 for an in-process source that returned). */
  code: number | null;
  signal?: string | null;
  /** The source ignored the stop request and was killed (or abandoned) after the grace period. */
  killed: boolean;
  /** An in-process source threw. */
  error?: unknown;
  /** The last lines the source wrote to stderr (children only). */
  stderrTail: readonly string[];
}

/** One `read` of a source. */
export interface SourceRun {
  /** The source's output in order; ends when the source closed its output. */
  readonly output: AsyncIterable<SourceOutput>;
  /** Asks the source to stop: SIGTERM (children) or no further pulls (in-process), then a kill after the grace period. */
  stop(reason: string): void;
  /** Resolves once the source ended (after {@link output} ended). */
  exit(): Promise<SourceExit>;
}

/** The arguments of a `read`. */
export interface ReadArgs {
  config: Record<string, unknown>;
  catalog: ConfiguredCatalog;
  /** The contents of the `--state` file, or undefined for none. */
  state: unknown;
}

/** What the shim needs of an Airbyte source, whichever way it runs. */
export interface SourceDriver {
  /** For messages: `command 'docker run …'` or `in-process source X`. */
  readonly description: string;
  spec(): Promise<AirbyteSpec>;
  check(config: Record<string, unknown>): Promise<{ status: string; message?: string }>;
  discover(config: Record<string, unknown>): Promise<AirbyteStream[]>;
  read(args: ReadArgs): SourceRun;
}

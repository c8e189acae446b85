import type { OAuth2Spec } from '../common/http';
import type { Logger } from '../common/logger';
import { CommandSource } from './command-source';
import { InProcessSource, type InProcessAirbyteSource } from './in-process-source';
import { SHIM_BRAND } from './shim-brand';
import type { SourceDriver } from './source-driver';

/** Options every shim takes. */
export interface AirbyteShimCommonOptions {
  /** Overrides the source's `documentationUrl` (as does the `DOCS_URL` environment variable). */
  documentationUrl?: string;
  /** The `oauth2` block of the spec, passed through as given. */
  oauth2?: OAuth2Spec;
  /** Mark discovered schemas `x-infer-schema` (with the delete reduction block). Default false. */
  schemaInference?: boolean;
  /** Send each binding's discovered schema, closed recursively, as a sourced schema at open. Default false. */
  sourcedSchemas?: boolean;
  /** How long the source may take to stop after a stop request before it is killed. Default 10 s. */
  stopGraceMs?: number;
  /** Warn when the source writes nothing for this long while reading. Default 5 min. */
  silenceWarningMs?: number;
}

/** An Airbyte source run as a child process: an executable or a container command. */
export interface AirbyteCommandShimOptions extends AirbyteShimCommonOptions {
  /** The command before the Airbyte verb, e.g. `['docker', 'run', '--rm', '-i', 'airbyte/source-x:1.2']`. */
  command: readonly string[];
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

/** A faros-airbyte-cdk `AirbyteSourceBase` run in this process. */
export interface AirbyteInProcessShimOptions extends AirbyteShimCommonOptions {
  /** The source instance, e.g. `new MySource(new AirbyteSourceLogger())`. Its logger is routed to Flow logs. */
  source: InProcessAirbyteSource;
}

/** Options of {@link airbyteShim}: a `command` or an in-process `source`. */
export type AirbyteShimOptions = AirbyteCommandShimOptions | AirbyteInProcessShimOptions;

/** A Flow capture connector that delegates to an Airbyte source; export it from a connector file. */
export interface AirbyteShim {
  readonly [SHIM_BRAND]: true;
  readonly options: Readonly<AirbyteShimOptions>;
  /** @internal Creates the driver that runs the source. */
  driver(log: Logger): SourceDriver;
}

/**
 * Puts an Airbyte source behind the Flow capture protocol. Export the result from a connector file
 * and run it with `estuary run` / `estuary preview` like any connector.
 *
 * @example
 * // A container or executable speaking the Airbyte protocol:
 * export const shim = airbyteShim({ command: ['docker', 'run', '--rm', '-i', 'airbyte/source-faker:6.2'] });
 * // A faros-airbyte-cdk source, in-process:
 * export const shim = airbyteShim({ source: new MySource(new AirbyteSourceLogger()) });
 */
export function airbyteShim(options: AirbyteShimOptions): AirbyteShim {
  const frozen = Object.freeze({ ...options });
  return Object.freeze({
    [SHIM_BRAND]: true as const,
    options: frozen,
    driver(log: Logger): SourceDriver {
      if ('source' in frozen) return new InProcessSource(frozen.source, log, frozen.stopGraceMs);
      return new CommandSource(
        { command: frozen.command, ...(frozen.env !== undefined ? { env: frozen.env } : {}), ...(frozen.stopGraceMs !== undefined ? { stopGraceMs: frozen.stopGraceMs } : {}) },
        log,
      );
    },
  });
}

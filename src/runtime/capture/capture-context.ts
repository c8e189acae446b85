import type { Logger } from '../../common/logger';
import type { BindingContext } from '../../container/binding-context';

/**
 * The last argument of every strategy method: a scoped logger, the subtask being run, whether the
 * backfill was started by the connector (a schedule), and signals for stopping.
 */
export interface CaptureContext<Params = unknown> {
  /** Logger scoped to this task. */
  readonly log: Logger;
  /** The subtask id, when the strategy fans out into subtasks. */
  readonly subtask: string | undefined;
  /** True when this backfill was initiated by the connector (a `schedule`), not by the user. */
  readonly connectorInitiated: boolean;
  /** Aborted when the capture must stop now; pass it to long requests. */
  readonly signal: AbortSignal;
  /** True once a graceful stop was requested: finish the current page and return. */
  readonly stopping: boolean;
  /** The binding being captured. */
  readonly binding: BindingContext<Params>;
  /** Sends a sourced schema for this binding with the next checkpoint. */
  sourcedSchema(schema: Record<string, unknown>): void;
}

/**
 * What a strategy's option callbacks receive: the validated endpoint config and the resource's params.
 * Name the config type with {@link forConfig} (or annotate the callback's parameter) to use its fields.
 */
export interface StrategyOptionContext<Config = unknown, Params = unknown> {
  config: Config;
  params: Params;
}

/** Subtask ids of a strategy: fixed, or computed from the config and resource params. */
export type SubtaskOption<Config = unknown, Params = unknown> = readonly string[] | ((ctx: StrategyOptionContext<Config, Params>) => readonly string[]);

/** The cursor value of each cursor kind: what an incremental strategy receives and yields. */
export interface CursorTypes {
  integer: number;
  datetime: Date;
  'string-tuple': readonly (string | number)[];
}

/** What a strategy method yields, from its declared or inferred return type. */
export type YieldOf<M> = M extends (...args: never[]) => AsyncIterable<infer Y> ? Y : never;

/**
 * The descriptor a strategy decorator accepts: the method's own, plus, when `Required` is not among
 * what it yields, a member it cannot have, so the compiler names the missing yield type.
 */
export type StrategyDescriptor<M, Required> = TypedPropertyDescriptor<M> & ([Required] extends [YieldOf<M>] ? unknown : { 'the method must yield this cursor type': Required });

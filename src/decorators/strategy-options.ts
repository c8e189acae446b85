/** What a strategy's option callbacks receive: the validated endpoint config and the resource's params. */
export interface StrategyOptionContext<Config = unknown, Params = unknown> {
  config: Config;
  params: Params;
}

/** Subtask ids of a strategy: fixed, or computed from the config and resource params. */
export type SubtaskOption = readonly string[] | ((ctx: StrategyOptionContext) => readonly string[]);

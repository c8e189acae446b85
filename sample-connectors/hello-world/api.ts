import { injectable } from 'estuary-cdk';
import { EndpointConfig, Greeting } from './models';

/** Stands in for an API: greetings numbered from 1, in order. */
@injectable()
export class GreetingApi {
  constructor(private readonly config: EndpointConfig) {}

  /** Greetings after `count`, at most one batch; none past the configured limit. */
  greetingsAfter(count: number): Greeting[] {
    const { batch, limit, greeting } = this.config;
    const out: Greeting[] = [];
    for (let n = count + 1; n <= count + batch && (limit === 0 || n <= limit); n++) {
      out.push(Object.assign(new Greeting(), { count: n, message: `${greeting} #${n}` }));
    }
    return out;
  }
}

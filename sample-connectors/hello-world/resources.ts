import { Incremental, Resource } from 'estuary-cdk';
import { GreetingApi } from './api';
import { Greeting } from './models';

/** Greetings captured incrementally; the cursor is the count of the last greeting emitted. */
@Resource({ name: 'greetings', key: ['/count'], document: Greeting, interval: 'PT1S' })
export class Greetings {
  constructor(private readonly api: GreetingApi) {}

  @Incremental({ cursor: 'integer', initial: () => 0 })
  async *changes(since: number): AsyncIterable<Greeting | number> {
    const page = this.api.greetingsAfter(since);
    if (page.length === 0) return;
    yield* page;
    yield page[page.length - 1]!.count;
  }
}

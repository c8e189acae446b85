import { Resource, Snapshot } from 'estuary-cdk';
import { DemoApi } from './api';
import { Category, EndpointConfig, Incremental, Item } from './models';

/**
 * Items, captured incrementally. Each call fetches the items updated after the cursor, yields them,
 * then yields the `updated_at` of the last one: that cursor checkpoints the items before it. When
 * nothing is new the method returns without a cursor and estuary-cdk calls it again after `interval`.
 */
@Resource({ name: 'items', key: ['/id'], document: Item, interval: 'PT30S' })
export class Items {
  constructor(
    private readonly api: DemoApi,
    private readonly config: EndpointConfig,
  ) {}

  @Incremental({ cursor: 'datetime', initial: ({ config }) => new Date(config.start_date) })
  async *changes(since: Date): AsyncIterable<Item | Date> {
    const items = await this.api.itemsUpdatedAfter(since, this.config.page_size);
    if (items.length === 0) return;
    yield* items;
    // Cursors must strictly increase. A real API whose items can share an `updated_at` across a
    // page boundary needs a tie-breaker (or fetch whole timestamps at a time).
    yield new Date(items[items.length - 1]!.updated_at);
  }
}

/**
 * Categories, captured as a snapshot: every `interval` the whole list is fetched; an unchanged list
 * emits nothing and rows that disappeared become deletions. Snapshots are keyed on `/_meta/row_id`.
 */
@Resource({ name: 'categories', document: Category, interval: 'PT5M' })
export class Categories {
  constructor(private readonly api: DemoApi) {}

  @Snapshot()
  async *all(): AsyncIterable<Category> {
    yield* await this.api.categories();
  }
}

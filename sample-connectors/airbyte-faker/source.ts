/**
 * A faros-airbyte-cdk source, written as any faros source is: `customers` (incremental on
 * `updated_at`, keyed on `id`, a STATE every 10 records) and `orders` (full refresh, no key).
 * It knows nothing about Flow; `connector.ts` puts it behind the Flow protocol with the shim.
 */
import { AirbyteConfig, AirbyteLogger, AirbyteSourceBase, AirbyteSpec, AirbyteStreamBase, SyncMode, type StreamKey } from 'faros-airbyte-cdk';

export interface FakerConfig extends AirbyteConfig {
  customers?: number;
  orders?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Airbyte SDK types records and state as any
type Dict = Record<string, any>;

const DAY0 = Date.UTC(2024, 0, 1);

export class Customers extends AirbyteStreamBase {
  constructor(
    logger: AirbyteLogger,
    private readonly config: FakerConfig,
  ) {
    super(logger);
  }
  override get name(): string {
    return 'customers';
  }
  getJsonSchema(): Dict {
    return { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, updated_at: { type: 'string', format: 'date-time' } } };
  }
  get primaryKey(): StreamKey {
    return 'id';
  }
  override get cursorField(): string[] {
    return ['updated_at'];
  }
  override get stateCheckpointInterval(): number {
    return 10;
  }
  async *readRecords(syncMode: SyncMode, _cursor?: string[], _slice?: Dict, state?: Dict): AsyncGenerator<Dict> {
    const from = syncMode === SyncMode.INCREMENTAL ? ((state?.next_id as number | undefined) ?? 1) : 1;
    for (let id = from; id <= (this.config.customers ?? 25); id++) {
      yield { id, name: `customer ${id}`, updated_at: new Date(DAY0 + id * 3600_000).toISOString() };
    }
  }
  override getUpdatedState(current: Dict, latest: Dict): Dict {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the SDK passes no state on a first read
    return { next_id: Math.max((current?.next_id as number | undefined) ?? 1, (latest.id as number) + 1) };
  }
}

export class Orders extends AirbyteStreamBase {
  constructor(
    logger: AirbyteLogger,
    private readonly config: FakerConfig,
  ) {
    super(logger);
  }
  override get name(): string {
    return 'orders';
  }
  getJsonSchema(): Dict {
    return { type: 'object', properties: { customer: { type: 'integer' }, total: { type: 'number' } } };
  }
  get primaryKey(): StreamKey | undefined {
    return undefined;
  }
  async *readRecords(): AsyncGenerator<Dict> {
    for (let i = 1; i <= (this.config.orders ?? 5); i++) yield { customer: ((i * 7) % 25) + 1, total: i * 10.5 };
  }
}

export class FakerSource extends AirbyteSourceBase<FakerConfig> {
  get type(): string {
    return 'faker';
  }
  async spec(): Promise<AirbyteSpec> {
    return new AirbyteSpec({
      documentationUrl: 'https://github.com/faros-ai/airbyte-connectors',
      connectionSpecification: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: 'Faker',
        type: 'object',
        properties: {
          customers: { type: 'integer', title: 'Customers', description: 'How many customers to generate', default: 25 },
          orders: { type: 'integer', title: 'Orders', description: 'How many orders to generate', default: 5 },
        },
      },
    });
  }
  async checkConnection(config: FakerConfig): Promise<[boolean, undefined]> {
    return [(config.customers ?? 25) >= 0, undefined];
  }
  streams(config: FakerConfig): AirbyteStreamBase[] {
    return [new Customers(this.logger, config), new Orders(this.logger, config)];
  }
}

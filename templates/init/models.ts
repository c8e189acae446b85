import { IsInt, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { Advanced, BaseDocument, Default, Description, forConfig, Format, Order, Secret, Title } from 'estuary-cdk';

/**
 * The endpoint config: its schema is what the Flow UI renders as the connector's form, and
 * `estuary preview` validates config.yaml against it.
 */
export class EndpointConfig {
  @Title('API URL')
  @Description('Base URL of the API. Leave empty to use the demo API built into this connector (mock-api.ts).')
  @Order(0)
  @Default('')
  @IsOptional()
  @IsString()
  base_url!: string;

  @Title('API key')
  @Description('Sent as a bearer token with every request.')
  @Order(1)
  @Secret()
  @IsString()
  @IsNotEmpty()
  api_key!: string;

  @Title('Start date')
  @Description('Items updated before this time are not captured.')
  @Format('date-time')
  @Order(2)
  @Default('2024-01-01T00:00:00Z')
  @IsOptional()
  @IsISO8601()
  start_date!: string;

  @Title('Page size')
  @Description('Items requested per call.')
  @Advanced()
  @Default(100)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  page_size!: number;
}

/**
 * The strategy and hook decorators with `config` typed as EndpointConfig: `initial: ({ config }) => …`
 * sees its fields, and `@Auth()` checks that the method accepts it. Use them instead of the plain ones.
 */
export const { Incremental, Auth } = forConfig(EndpointConfig);

/** An item of the API. Properties not declared here are kept in the captured document too. */
export class Item extends BaseDocument {
  @IsString() id!: string;
  @IsString() name!: string;
  @IsNumber() price!: number;
  @IsISO8601() updated_at!: string;
}

/** A category of the API, captured as a whole snapshot. */
export class Category extends BaseDocument {
  @IsString() name!: string;
  @IsString() description!: string;
}

import { IsOptional, IsString, Matches } from 'class-validator';
import { Default, Description, Format, Model, Nullable, SchemaExtra, Title } from '../decorators';

/**
 * The common resource configuration shape (Python's `ResourceConfig`): the resource `name`, which
 * is its resource path, and a polling `interval` as an ISO 8601 duration.
 */
@Model({ description: 'ResourceConfig is a common resource configuration shape.', additionalProperties: false })
export class ResourceConfig {
  @Title('Meta')
  @Nullable()
  @IsOptional()
  _meta?: Record<string, unknown> | null;

  @Description('Name of this resource')
  @IsString()
  name!: string;

  @Description('Interval between updates for this resource')
  @Format('duration')
  @Default('PT0S')
  @SchemaExtra({ nonsensitive: true })
  @IsOptional()
  @IsString()
  interval?: string;
}

/** The cron pattern accepted by `schedule` (five fields, or empty for no schedule). */
export const CRON_PATTERN =
  '^((?:[0-5]?\\d(?:-[0-5]?\\d)?|\\*(?:/[0-5]?\\d)?)(?:,(?:[0-5]?\\d(?:-[0-5]?\\d)?|\\*(?:/[0-5]?\\d)?))*)\\s+((?:[01]?\\d|2[0-3]|(?:[01]?\\d|2[0-3])-(?:[01]?\\d|2[0-3])|\\*(?:/[01]?\\d|/2[0-3])?)(?:,(?:[01]?\\d|2[0-3]|(?:[01]?\\d|2[0-3])-(?:[01]?\\d|2[0-3])|\\*(?:/[01]?\\d|/2[0-3])?))*)\\s+((?:0?[1-9]|[12]\\d|3[01]|(?:0?[1-9]|[12]\\d|3[01])-(?:0?[1-9]|[12]\\d|3[01])|\\*(?:/[0-9]|/1[0-9]|/2[0-9]|/3[01])?)(?:,(?:0?[1-9]|[12]\\d|3[01]|(?:0?[1-9]|[12]\\d|3[01])-(?:0?[1-9]|[12]\\d|3[01])|\\*(?:/[0-9]|/1[0-9]|/2[0-9]|/3[01])?))*)\\s+((?:[1-9]|1[0-2]|(?:[1-9]|1[0-2])-(?:[1-9]|1[0-2])|\\*(?:/[1-9]|/1[0-2])?)(?:,(?:[1-9]|1[0-2]|(?:[1-9]|1[0-2])-(?:[1-9]|1[0-2])|\\*(?:/[1-9]|/1[0-2])?))*)\\s+((?:[0-6]|(?:[0-6])-(?:[0-6])|\\*(?:/[0-6])?)(?:,(?:[0-6]|(?:[0-6])-(?:[0-6])|\\*(?:/[0-6])?))*)$|^$';

/** A resource config with a cron `schedule` that re-backfills the binding (Python's `ResourceConfigWithSchedule`). */
@Model({ title: 'ResourceConfigWithSchedule' })
export class ResourceConfigWithSchedule extends ResourceConfig {
  @Title('Schedule')
  @Description('Schedule to automatically rebackfill this binding. Accepts a cron expression.')
  @Default('')
  @SchemaExtra({ nonsensitive: true })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(CRON_PATTERN))
  schedule?: string;
}

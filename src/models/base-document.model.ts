import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, ValidateNested } from 'class-validator';
import { Default, Description, Model } from '../decorators';

/** The operations a document can record. */
export type DocumentOp = 'c' | 'u' | 'd';

/** The `_meta` of a captured document: its operation and its row id (snapshots). */
@Model({ name: 'Meta', title: 'Meta' })
export class DocumentMeta {
  @Description('Operation type (c: Create, u: Update, d: Delete)')
  @Default('u')
  @IsOptional()
  @IsIn(['c', 'u', 'd'])
  op?: DocumentOp;

  @Description('Row ID of the Document, counting up from zero, or -1 if not known')
  @Default(-1)
  @IsOptional()
  @IsInt()
  row_id?: number;
}

/**
 * The base class of document models. Extra properties are allowed (and kept), as in the Python
 * CDK's `BaseDocument`; declare the ones the connector relies on (keys, cursors).
 *
 * @example
 * export class Order extends BaseDocument {
 *   @IsString() id!: string;
 *   @IsISO8601() updatedAt!: string;
 * }
 */
@Model({ additionalProperties: true })
export class BaseDocument {
  @Description('Document metadata')
  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentMeta)
  _meta?: DocumentMeta;

  /** Allows arbitrary extra fields, as Flow documents do. */
  [extra: string]: unknown;
}

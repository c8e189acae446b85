import { BindingContext, Resource, Snapshot, type CaptureContext } from 'estuary-cdk';
import { SheetsApi } from './api';
import { Row, type SheetParams } from './models';

/**
 * The rows of one sheet, captured whole every interval. Bindings are discovered per sheet at run
 * time (see `GoogleSheets.sheets`); the sheet arrives as the binding's params.
 */
@Resource({ key: ['/_meta/row_id'], document: Row, interval: 'PT30S' })
export class SheetRows {
  constructor(
    private readonly api: SheetsApi,
    private readonly binding: BindingContext<SheetParams>,
  ) {}

  @Snapshot()
  async *rows(ctx: CaptureContext<SheetParams>): AsyncIterable<Row> {
    yield* this.api.rows(this.binding.params.title, ctx.signal);
  }
}

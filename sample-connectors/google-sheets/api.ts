import { ConfigError, HttpClient, IncrementalJsonProcessor, injectable } from 'estuary-cdk';
import { CellData, EndpointConfig, Row, RowData, Spreadsheet, type SheetProperties } from './models';

/** Only what the capture reads from each cell: its number format type and its computed value. */
const ROW_FIELDS = 'sheets.data(rowData.values(effectiveFormat(numberFormat(type)),effectiveValue))';
const ROWS_PREFIX = 'sheets.item.data.item.rowData.item';

/** The spreadsheet id inside its URL (`https://docs.google.com/spreadsheets/d/<id>/edit`). */
export function spreadsheetIdOf(url: string): string {
  const m = /\/([-\w]{20,})\/?/.exec(url);
  if (m === null) throw new ConfigError('endpoint config', [`spreadsheet_url: "${url}" holds no spreadsheet id; paste the URL of the spreadsheet from the browser`]);
  return m[1]!;
}

/** A sheet range in A1 notation covering the whole sheet; quoting keeps titles with spaces or `!` intact. */
export function sheetRange(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** Calls the Google Sheets API v4 with the connector's credentials. */
@injectable()
export class SheetsApi {
  readonly spreadsheetId: string;
  private readonly base: string;

  constructor(
    config: EndpointConfig,
    private readonly http: HttpClient,
  ) {
    this.spreadsheetId = spreadsheetIdOf(config.spreadsheet_url);
    this.base = `${config.sheets_api_url.replace(/\/+$/, '')}/v4/spreadsheets/${encodeURIComponent(this.spreadsheetId)}`;
  }

  /** The spreadsheet's properties and its sheets' properties (no cell data), optionally of one sheet only. */
  spreadsheet(sheetTitle?: string, signal?: AbortSignal): Promise<Spreadsheet> {
    return this.http.requestJson(this.base, {
      query: { fields: 'properties,sheets.properties', ...(sheetTitle !== undefined ? { ranges: sheetRange(sheetTitle) } : {}) },
      model: Spreadsheet,
      ...(signal !== undefined ? { signal } : {}),
    });
  }

  /**
   * Every non-empty row of a sheet, in sheet order, as documents keyed by column name. The sheet's
   * properties are read first (its size and frozen header row may have changed since discovery),
   * then the cells are streamed.
   */
  async *rows(sheetTitle: string, signal?: AbortSignal): AsyncIterable<Row> {
    const meta = await this.spreadsheet(sheetTitle, signal);
    const sheet = meta.sheets[0];
    if (sheet === undefined) throw new Error(`sheet '${sheetTitle}' was not found in spreadsheet ${this.spreadsheetId}`);
    const reader = new RowReader(sheet.properties, meta.properties.timeZone);
    const { body } = await this.http.requestStream(this.base, {
      query: { ranges: sheetRange(sheetTitle), fields: ROW_FIELDS },
      ...(signal !== undefined ? { signal } : {}),
    });
    const rows = new IncrementalJsonProcessor(body, { prefix: ROWS_PREFIX, model: RowData, largeIntegers: 'string' });
    for await (const row of rows) {
      const doc = reader.read(row);
      if (doc !== undefined) yield doc;
    }
  }
}

/**
 * Turns rows into documents as the Python connector does: with exactly one frozen row, that row
 * names the columns (other columns keep their letter); rows without any value are skipped.
 */
export class RowReader {
  private readonly headers: string[];
  private headerPending: boolean;

  constructor(
    sheet: SheetProperties,
    private readonly timeZone: string,
  ) {
    this.headers = columnLetters(sheet.gridProperties?.columnCount ?? 0);
    this.headerPending = sheet.gridProperties?.frozenRowCount === 1;
  }

  /** The document of one row, or undefined for the header row and empty rows. */
  read(row: RowData): Row | undefined {
    const cells = row.values ?? [];
    if (this.headerPending) {
      this.headerPending = false;
      cells.forEach((cell, i) => {
        const v = cell.effectiveValue;
        // Empty strings and zero name nothing, as in the Python connector.
        if (v?.stringValue) this.headers[i] = v.stringValue;
        else if (v?.numberValue !== undefined && Number(v.numberValue) !== 0) this.headers[i] = decimalText(v.numberValue);
      });
      return undefined;
    }
    if (cells.every((c) => c.effectiveValue === undefined)) return undefined;
    // A plain object: a Row instance may carry an own `_meta: undefined` field (ES2022 class fields).
    const doc = {} as Row;
    cells.forEach((cell, i) => {
      const value = cellValue(cell, this.timeZone);
      if (value !== undefined) doc[this.headers[i] ?? columnLetter(i)] = value;
    });
    return doc;
  }
}

/**
 * A cell's value as the Python connector emits it: strings and booleans as they are, numbers as
 * exact decimal strings, DATE cells as `YYYY-MM-DD` and DATE_TIME cells as local time with the
 * spreadsheet's UTC offset. Error cells are left out.
 */
export function cellValue(cell: CellData, timeZone: string): string | boolean | undefined {
  const v = cell.effectiveValue;
  if (v === undefined) return undefined;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  if (v.numberValue === undefined) return undefined;
  switch (cell.effectiveFormat?.numberFormat?.type) {
    case 'DATE_TIME':
      return serialDateTime(Number(v.numberValue), timeZone);
    case 'DATE':
      return serialDate(Number(v.numberValue));
    default:
      return decimalText(v.numberValue);
  }
}

/** A number as Python's `str(Decimal)` writes it (`4.25`, `3124`, `1E-7`). */
export function decimalText(n: number | string): string {
  return String(n).toUpperCase();
}

// Sheets serial dates count days from 1899-12-30 (the "Lotus epoch") in the spreadsheet's time zone.
const EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** A DATE serial as `YYYY-MM-DD` (whole days, truncated toward zero like Python's Decimal divmod). */
export function serialDate(serial: number): string {
  return new Date(EPOCH_MS + Math.trunc(serial) * DAY_MS).toISOString().slice(0, 10);
}

/** A DATE_TIME serial as local wall-clock time in `timeZone` with its offset, to the microsecond. */
export function serialDateTime(serial: number, timeZone: string): string {
  const days = Math.trunc(serial);
  const micros = Math.round((serial - days) * 86_400 * 1e6);
  const wallMs = EPOCH_MS + days * DAY_MS + Math.floor(micros / 1000);
  const subMs = micros - Math.floor(micros / 1000) * 1000;
  const offset = wallOffsetSeconds(wallMs, timeZone);
  const wall = new Date(wallMs).toISOString().slice(0, 19);
  const fraction = new Date(wallMs).getUTCMilliseconds() * 1000 + subMs;
  return `${wall}${fraction === 0 ? '' : `.${String(fraction).padStart(6, '0')}`}${formatOffset(offset)}`;
}

/**
 * The UTC offset (seconds) of a wall-clock time in a zone. Like Python's zoneinfo with `fold=0`, an
 * ambiguous time takes the earlier offset and a skipped time the offset before the transition.
 */
function wallOffsetSeconds(wallMs: number, timeZone: string): number {
  const before = offsetAt(wallMs - DAY_MS, timeZone);
  if (offsetAt(wallMs - before * 1000, timeZone) === before) return before;
  const after = offsetAt(wallMs + DAY_MS, timeZone);
  if (offsetAt(wallMs - after * 1000, timeZone) === after) return after;
  return before;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The UTC offset (seconds) of `timeZone` at an instant, from Intl's `GMT-04:56:02`-style names. */
function offsetAt(utcMs: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, f);
  }
  const name = f.formatToParts(new Date(utcMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(name);
  if (m === null) return 0;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -seconds : seconds;
}

/** `Z`, or `±HH:MM` (`±HH:MM:SS` for historical offsets), as Pydantic writes offsets. */
function formatOffset(seconds: number): string {
  if (seconds === 0) return 'Z';
  const abs = Math.abs(seconds);
  const hm = `${String(Math.floor(abs / 3600)).padStart(2, '0')}:${String(Math.floor((abs % 3600) / 60)).padStart(2, '0')}`;
  return `${seconds < 0 ? '-' : '+'}${hm}${abs % 60 === 0 ? '' : `:${String(abs % 60).padStart(2, '0')}`}`;
}

/** The spreadsheet column name of a 0-based index: A … Z, AA, AB, … */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** The default column names of a sheet with `count` columns. */
export function columnLetters(count: number): string[] {
  return Array.from({ length: count }, (_, i) => columnLetter(i));
}

import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import {
  AccessTokenCredentials,
  Advanced,
  BaseDocument,
  Default,
  Description,
  Format,
  GoogleServiceAccountCredentials,
  Model,
  OAuth2Credentials,
  OAuth2Provider,
  OneOf,
  Title,
  oauth2Spec,
} from 'estuary-cdk';

/** What the connector reads: spreadsheets and the Drive file listing (the same scopes as the Python connector). */
export const SCOPES = ['https://www.googleapis.com/auth/spreadsheets.readonly', 'https://www.googleapis.com/auth/drive.readonly'] as const;

export const GOOGLE_SHEETS_API = 'https://sheets.googleapis.com';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Flow's authorization-code flow against Google; the connector then uses the refresh token it yields. */
export const OAUTH2 = oauth2Spec({
  provider: 'google',
  authUrlTemplate:
    'https://accounts.google.com/o/oauth2/auth?access_type=offline&prompt=consent' +
    '&client_id={{#urlencode}}{{{ client_id }}}{{/urlencode}}' +
    '&redirect_uri={{#urlencode}}{{{ redirect_uri }}}{{/urlencode}}' +
    `&response_type=code&scope=${SCOPES.join(' ')}` +
    '&state={{#urlencode}}{{{ state }}}{{/urlencode}}',
  accessTokenUrlTemplate: GOOGLE_TOKEN_URL,
  accessTokenBody:
    '{"grant_type": "authorization_code", "client_id": "{{{ client_id }}}", "client_secret": "{{{ client_secret }}}", ' + '"redirect_uri": "{{{ redirect_uri }}}", "code": "{{{ code }}}"}',
  accessTokenHeaders: { 'content-type': 'application/json' },
  accessTokenResponseMap: { refresh_token: '/refresh_token' },
});

/**
 * OAuth2 credentials marked for the `google` sign-in button. This is what
 * `oauth2CredentialsFor(OAuth2Credentials, 'google')` should give, but its schema title comes out as
 * "OAuth2Credentials" instead of "OAuth" (a subclass's title equal to its parent's is dropped and the
 * class name used); a class named `OAuth` makes that fallback right.
 */
@OAuth2Provider(OAUTH2.provider)
@Model({ name: 'BaseOAuth2Credentials', title: 'OAuth' })
class OAuth extends OAuth2Credentials {}
export const GoogleOAuth2Credentials = OAuth;
export type GoogleOAuth2Credentials = OAuth;

export type Credentials = GoogleOAuth2Credentials | GoogleServiceAccountCredentials | AccessTokenCredentials;

/** The endpoint config, field for field the Python connector's, plus two advanced endpoint overrides. */
export class EndpointConfig {
  @Title('Authentication')
  @OneOf([GoogleOAuth2Credentials, GoogleServiceAccountCredentials, AccessTokenCredentials], { discriminator: 'credentials_title' })
  credentials!: Credentials;

  @Description('URL of the Google Spreadsheet')
  @IsString()
  // A string pattern, not a RegExp: RegExp#source would escape the slashes in the schema.
  @Matches('^https://docs.google.com/spreadsheets/')
  spreadsheet_url!: string;

  @Title('Sheets API URL')
  @Description('Base URL of the Google Sheets API. Change it only to point the connector at a test server.')
  @Advanced()
  @Format('uri')
  @Default(GOOGLE_SHEETS_API)
  @IsOptional()
  @IsString()
  sheets_api_url!: string;

  @Title('OAuth token URL')
  @Description('Token endpoint used to exchange the OAuth refresh token. Change it only to point the connector at a test server.')
  @Advanced()
  @Format('uri')
  @Default(GOOGLE_TOKEN_URL)
  @IsOptional()
  @IsString()
  oauth_token_url!: string;
}

/** A captured row: its columns keyed by the header row's names (or column letters). */
@Model({ title: 'Row' })
export class Row extends BaseDocument {}

// ---- API response shapes (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets) ----

export class GridProperties {
  @IsInt() rowCount!: number;
  @IsInt() columnCount!: number;
  @IsOptional() @IsInt() frozenRowCount?: number;
  @IsOptional() @IsInt() frozenColumnCount?: number;
}

export class SheetProperties {
  @IsInt() sheetId!: number;
  @IsString() title!: string;
  @IsInt() index!: number;
  @IsString() sheetType!: string;
  // Present for GRID sheets only; OBJECT sheets (a lone chart) have none.
  @IsOptional() @ValidateNested() @Type(() => GridProperties) gridProperties?: GridProperties;
}

export class Sheet {
  @ValidateNested() @Type(() => SheetProperties) properties!: SheetProperties;
}

export class SpreadsheetProperties {
  @IsString() title!: string;
  @IsString() locale!: string;
  @IsString() autoRecalc!: string;
  @IsString() timeZone!: string;
}

/** `spreadsheets.get` with `fields=properties,sheets.properties`. */
export class Spreadsheet {
  @ValidateNested() @Type(() => SpreadsheetProperties) properties!: SpreadsheetProperties;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Sheet) sheets: Sheet[] = [];
}

export const NUMBER_TYPES = ['TEXT', 'NUMBER', 'TIME', 'CURRENCY', 'DATE', 'DATE_TIME', 'PERCENT', 'SCIENTIFIC'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

export class NumberFormat {
  @IsIn(NUMBER_TYPES) type!: NumberType;
}

export class CellFormat {
  @IsOptional() @ValidateNested() @Type(() => NumberFormat) numberFormat?: NumberFormat;
}

/** A cell's computed value: exactly one field is set. Big numbers arrive as digit strings, never rounded. */
export class ExtendedValue {
  @IsOptional() @IsString() stringValue?: string;
  @IsOptional() numberValue?: number | string;
  @IsOptional() @IsBoolean() boolValue?: boolean;
  @IsOptional() @IsObject() errorValue?: Record<string, unknown>;
}

export class CellData {
  @IsOptional() @ValidateNested() @Type(() => CellFormat) effectiveFormat?: CellFormat;
  @IsOptional() @ValidateNested() @Type(() => ExtendedValue) effectiveValue?: ExtendedValue;
}

/** One element of `sheets[].data[].rowData`. */
export class RowData {
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => CellData) values?: CellData[];
}

/** What a discovered sheet binding carries to its resource. */
export interface SheetParams {
  spreadsheetId: string;
  sheetId: number;
  title: string;
}

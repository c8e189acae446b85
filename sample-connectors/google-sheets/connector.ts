import { Auth, Connector, DiscoverResources, TokenSource, type ResourceInstance } from 'estuary-cdk';
import { SheetsApi } from './api';
import { EndpointConfig, OAUTH2, SCOPES, type SheetParams } from './models';
import { SheetRows } from './resources';

/** Captures every sheet of one Google Spreadsheet, a snapshot binding per sheet. */
@Connector({
  config: EndpointConfig,
  resources: [SheetRows],
  documentationUrl: 'https://docs.estuary.dev',
  oauth2: OAUTH2,
})
export class GoogleSheets {
  constructor(private readonly api: SheetsApi) {}

  @Auth()
  auth(config: EndpointConfig): TokenSource {
    const credentials = config.credentials;
    switch (credentials.credentials_title) {
      case 'OAuth Credentials':
        // The spec's token URL is Google's; the config may point the refresh elsewhere (a mock).
        return TokenSource.oauth2(credentials, { tokenUrl: config.oauth_token_url });
      case 'Google Service Account':
        return TokenSource.googleServiceAccount(credentials, { scopes: SCOPES });
      case 'Private App Credentials':
        return TokenSource.accessToken(credentials);
    }
  }

  /** One binding per grid sheet, named after the sheet. */
  @DiscoverResources()
  async sheets(): Promise<ResourceInstance<SheetParams>[]> {
    const spreadsheet = await this.api.spreadsheet();
    return (
      spreadsheet.sheets
        // Object sheets hold a single chart and no cells to capture.
        .filter((s) => s.properties.sheetType === 'GRID')
        .map((s) => ({
          resource: SheetRows,
          name: s.properties.title,
          key: ['/_meta/row_id'],
          params: { spreadsheetId: this.api.spreadsheetId, sheetId: s.properties.sheetId, title: s.properties.title },
        }))
    );
  }
}

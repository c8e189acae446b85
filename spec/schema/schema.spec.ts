import { expect } from 'chai';
import { Equals, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, ValidateNested, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { Advanced, BaseDocument, Default, Description, Items, Model, Multiline, OAuth2Provider, OneOf, Order, ResourceConfig, Secret, Title } from '../../src';
import { clearMetadata } from '../../src/testing';
import { documentSchema } from '../../src/schema/document-schema';
import { SchemaBuilder } from '../../src/schema/model-schema';
import { pythonSnapshot } from '../helpers/sample-helpers';

describe('schema generation', () => {
  beforeEach(() => clearMetadata());

  it("matches source-navan's Pydantic config schema", () => {
    @Model({ title: 'OAuth' })
    class ClientCredentialsOAuth2Credentials {
      @Default('OAuth Credentials') @IsOptional() @Equals('OAuth Credentials') credentials_title!: string;
      @Secret() @IsString() client_id!: string;
      @Secret() @IsString() client_secret!: string;
    }
    class EndpointConfig {
      @Title('Authentication')
      @Description('See https://app.navan.com/app/helpcenter/articles/travel/admin/other-integrations/booking-data-integration')
      @ValidateNested()
      @Type(() => ClientCredentialsOAuth2Credentials)
      credentials!: ClientCredentialsOAuth2Credentials;
    }
    const expected = pythonSnapshot('source-navan--snapshots__spec__stdout.json')[0];
    expect(SchemaBuilder.build(EndpointConfig)).to.deep.equal(expected.configSchema);
    expect(JSON.stringify(SchemaBuilder.build(EndpointConfig))).to.equal(JSON.stringify(expected.configSchema));
    expect(JSON.stringify(SchemaBuilder.build(ResourceConfig))).to.equal(JSON.stringify(expected.resourceConfigSchema));
  });

  it("matches source-navan's discovered document schema, key order included", () => {
    class Booking extends BaseDocument {
      @IsString() uuid!: string;
      @IsISO8601() lastModified!: string;
    }
    const expected = pythonSnapshot('source-navan--snapshots__discover__stdout.json').find((b: any) => b.recommendedName === 'bookings');
    const actual = documentSchema({ document: Booking, schemaInference: true });
    expect(JSON.stringify(actual)).to.equal(JSON.stringify(expected.documentSchema));
  });

  it("matches source-google-sheets-native's discriminated credentials", () => {
    @Model({ title: 'OAuth' })
    @OAuth2Provider('google')
    class BaseOAuth2Credentials {
      @Default('OAuth Credentials') @IsOptional() @Equals('OAuth Credentials') credentials_title!: string;
      @Secret() @IsString() client_id!: string;
      @Secret() @IsString() client_secret!: string;
      @Secret() @IsString() refresh_token!: string;
    }
    class GoogleServiceAccount {
      @Order(0) @Default('Google Service Account') @IsOptional() @Equals('Google Service Account') credentials_title!: string;
      @Title('Google Service Account') @Description('Service account JSON key') @Secret() @Multiline() @Order(1) @IsString() service_account!: string;
    }
    class AccessToken {
      @Default('Private App Credentials') @IsOptional() @Equals('Private App Credentials') credentials_title!: string;
      @Secret() @IsString() access_token!: string;
    }
    class EndpointConfig {
      @Title('Authentication')
      @OneOf([BaseOAuth2Credentials, GoogleServiceAccount, AccessToken], { discriminator: 'credentials_title' })
      credentials!: BaseOAuth2Credentials | GoogleServiceAccount | AccessToken;
      @Description('URL of the Google Spreadsheet') @IsString() @Matches(/^https:\/\/docs.google.com\/spreadsheets\//) spreadsheet_url!: string;
    }
    const expected = pythonSnapshot('source-google-sheets-native--snapshots__spec__stdout.json')[0].configSchema;
    const actual = SchemaBuilder.build(EndpointConfig) as any;
    expect(actual).to.deep.equal(expected);
  });

  it('marks provider credentials from oauth2CredentialsFor with x-oauth2-provider and the OAuth title', async () => {
    const { OAuth2Credentials, oauth2CredentialsFor } = await import('../../src');
    const Google = oauth2CredentialsFor(OAuth2Credentials, 'google');
    class Cfg {
      @ValidateNested() @Type(() => Google) credentials!: InstanceType<typeof Google>;
    }
    const def = (SchemaBuilder.build(Cfg) as any).$defs.BaseOAuth2Credentials;
    expect(def.title).to.equal('OAuth');
    expect(def['x-oauth2-provider']).to.equal('google');
    expect(def.required).to.deep.equal(['client_id', 'client_secret', 'refresh_token']);
    expect(def.properties.credentials_title).to.deep.equal({ const: 'OAuth Credentials', default: 'OAuth Credentials', title: 'Credentials Title', type: 'string' });
  });

  it('covers arrays, enums, bounds, nested $defs, advanced and defaults', () => {
    class Item {
      @IsString() sku!: string;
    }
    class Cfg {
      @IsArray() @Items(() => Item) items!: Item[];
      @IsArray() @IsString({ each: true }) tags!: string[];
      @IsIn(['a', 'b']) mode!: string;
      @IsInt() @Min(1) @Max(10) size!: number;
      @Advanced() @IsOptional() @Default(false) verbose?: boolean;
    }
    const s = SchemaBuilder.build(Cfg) as any;
    expect(s.properties.items).to.deep.equal({ items: { $ref: '#/$defs/Item' }, title: 'Items', type: 'array' });
    expect(s.properties.tags).to.deep.equal({ items: { type: 'string' }, title: 'Tags', type: 'array' });
    expect(s.properties.mode).to.deep.equal({ enum: ['a', 'b'], title: 'Mode', type: 'string' });
    expect(s.properties.size).to.deep.equal({ maximum: 10, minimum: 1, title: 'Size', type: 'integer' });
    expect(s.properties.verbose).to.deep.equal({ advanced: true, default: false, title: 'Verbose', type: 'boolean' });
    expect(s.required).to.deep.equal(['items', 'tags', 'mode', 'size']);
    expect(s.$defs.Item.required).to.deep.equal(['sku']);
  });

  it('titles a model renamed by @Model({ name }) with that name unless a title is given', () => {
    @Model({ name: 'Credentials' })
    class ApiCredentials {
      @IsString() key!: string;
    }
    @Model({ name: 'Place', title: 'Location' })
    class Where {
      @IsString() city!: string;
    }
    class Cfg {
      @ValidateNested() @Type(() => ApiCredentials) credentials!: ApiCredentials;
      @ValidateNested() @Type(() => Where) where!: Where;
    }
    const s = SchemaBuilder.build(Cfg) as any;
    expect(Object.keys(s.$defs)).to.deep.equal(['Credentials', 'Place']);
    expect(s.$defs.Credentials.title).to.equal('Credentials');
    expect(s.$defs.Place.title).to.equal('Location');
  });

  it('adds a top-level reduce without inference, and else with a strategy', () => {
    expect(documentSchema({ schemaInference: false, reduction: 'merge' }).reduce).to.deep.equal({ strategy: 'merge' });
    const s = documentSchema({ schemaInference: true, reduction: 'merge' });
    expect(s.else).to.deep.equal({ reduce: { strategy: 'merge' } });
    expect(s['x-infer-schema']).to.equal(true);
  });
});

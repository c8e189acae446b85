import { Type } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { Advanced, BaseDocument, ClientCredentialsOAuth2Credentials, Default, Description, forConfig, Title } from 'estuary-cdk';

/** Where the real API lives; `base_url` overrides it (a mock server, a regional host). */
export const NAVAN_BASE_URL = 'https://api.navan.com';

/** Endpoint config: the Python connector's `credentials`, plus the advanced `base_url`. */
export class EndpointConfig {
  @Title('Authentication')
  @Description('See https://app.navan.com/app/helpcenter/articles/travel/admin/other-integrations/booking-data-integration')
  @ValidateNested()
  @Type(() => ClientCredentialsOAuth2Credentials)
  credentials!: ClientCredentialsOAuth2Credentials;

  @Title('Base URL')
  @Description('Root URL of the Navan API; the token endpoint is <base_url>/ta-auth/oauth/token and bookings are under <base_url>/v1. Change it only to reach a test server.')
  @Advanced()
  @Default(NAVAN_BASE_URL)
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^/]+/)
  base_url!: string;
}

/** The connector's hooks, checked by the compiler to accept an EndpointConfig. */
export const { Auth, ValidateConnection } = forConfig(EndpointConfig);

/** A booking (flight, hotel, car, rail). Only the key and the cursor field are declared; the rest is kept as sent. */
export class Booking extends BaseDocument {
  @IsString() uuid!: string;
  @IsISO8601() lastModified!: string;
}

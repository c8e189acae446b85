import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { AccessTokenCredentials, Advanced, BaseDocument, Default, Description, Model, OneOf, Title } from 'estuary-cdk';

/** Where the real API lives; `base_url` overrides it (a mock server). */
export const ITERATE_BASE_URL = 'https://iteratehq.com/api/v1';

/** Endpoint config: the Python connector's `credentials` (an API key), plus the advanced `base_url`. */
export class EndpointConfig {
  @Title('Authentication')
  @OneOf([AccessTokenCredentials], { discriminator: 'credentials_title' })
  credentials!: AccessTokenCredentials;

  @Title('Base URL')
  @Description('Root URL of the Iterate API, including /api/v1. Change it only to reach a test server.')
  @Advanced()
  @Default(ITERATE_BASE_URL)
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^/]+/)
  base_url!: string;
}

/** Any Iterate object captured whole at every snapshot: all its fields are kept as sent. */
@Model({ title: 'FullRefreshResource' })
export class FullRefreshResource extends BaseDocument {}

/** `GET /surveys`: every survey of the company, in one response. */
export class SurveysResponse {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FullRefreshResource)
  results!: FullRefreshResource[];
}

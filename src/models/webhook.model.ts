import { Type } from 'class-transformer';
import { Equals, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { Default, Description, Model, SchemaExtra, Secret, Title } from '../decorators';
import { BaseDocument, type DocumentOp } from './base-document.model';

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

/** The `_meta` of a webhook document, as the Python CDK's `WebhookDocument.Meta` is written. */
@Model({ name: 'Meta', title: 'Meta' })
export class WebhookMeta {
  @Description('Operation type (c: Create, u: Update, d: Delete)')
  @Default('u')
  @IsOptional()
  @IsIn(['c', 'u', 'd'])
  op?: DocumentOp;

  @Description('Unique id of the document, set when the collection is keyed on it')
  @IsOptional()
  @IsString()
  webhookId?: string;

  @Description('Request headers, by name as sent')
  @IsObject()
  @SchemaExtra(STRING_MAP)
  headers!: Record<string, string>;

  @Description('Request path')
  @IsString()
  reqPath!: string;

  @Description('Path parameters of the matched URL pattern')
  @IsOptional()
  @IsObject()
  @SchemaExtra(STRING_MAP)
  pathParams?: Record<string, string>;

  @Description('Query parameters of the request')
  @IsOptional()
  @IsObject()
  @SchemaExtra(STRING_MAP)
  queryParams?: Record<string, string>;
}

/**
 * The base class of webhook document models: any JSON object, plus the `_meta` the webhook server
 * writes (request headers, path, path and query parameters).
 */
@Model({ additionalProperties: true })
export class WebhookDocument extends BaseDocument {
  @Description('Document metadata')
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookMeta)
  declare _meta?: WebhookMeta;
}

/** No authentication: anyone who can reach the URL can publish (the Python CDK's only mode). */
@Model({ name: 'NoWebhookAuth', title: 'None' })
export class NoWebhookAuth {
  @Default('None')
  @IsOptional()
  @Equals('None')
  auth_type: 'None' = 'None';
}

/** Requests must carry `Authorization: Bearer <token>`. */
@Model({ name: 'BearerWebhookAuth', title: 'Bearer Token' })
export class BearerWebhookAuth {
  @Default('Bearer Token')
  @IsOptional()
  @Equals('Bearer Token')
  auth_type: 'Bearer Token' = 'Bearer Token';

  @Title('Token')
  @Description('Shared token senders put in the Authorization header')
  @Secret()
  @IsString()
  @IsNotEmpty()
  token!: string;
}

/**
 * Requests must carry an HMAC-SHA256 signature of their raw body (of `<timestamp>.<body>` when a
 * timestamp header is configured) in a header, hex or base64, optionally after a prefix.
 */
@Model({ name: 'HmacWebhookAuth', title: 'HMAC Signature' })
export class HmacWebhookAuth {
  @Default('HMAC Signature')
  @IsOptional()
  @Equals('HMAC Signature')
  auth_type: 'HMAC Signature' = 'HMAC Signature';

  @Title('Signing Secret')
  @Secret()
  @IsString()
  @IsNotEmpty()
  secret!: string;

  @Title('Signature Header')
  @Default('X-Signature')
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  signature_header: string = 'X-Signature';

  @Title('Signature Prefix')
  @Description("Text before the signature in the header, e.g. 'sha256='")
  @Default('')
  @IsOptional()
  @IsString()
  signature_prefix: string = '';

  @Title('Signature Encoding')
  @Default('hex')
  @IsOptional()
  @IsIn(['hex', 'base64'])
  signature_encoding: 'hex' | 'base64' = 'hex';

  @Title('Timestamp Header')
  @Description('Header with the Unix time (seconds) of signing; the signed text is then `<timestamp>.<body>`')
  @IsOptional()
  @IsString()
  timestamp_header?: string;

  @Title('Timestamp Tolerance (seconds)')
  @Default(300)
  @IsOptional()
  @IsInt()
  @Min(1)
  tolerance_seconds: number = 300;
}

/** The choice of webhook authentication; embed it in an endpoint config with `@OneOf(WEBHOOK_AUTH_MODELS, { discriminator: 'auth_type' })`. */
export type WebhookAuth = NoWebhookAuth | BearerWebhookAuth | HmacWebhookAuth;

/** The models of {@link WebhookAuth}, for `@OneOf`. */
export const WEBHOOK_AUTH_MODELS = [NoWebhookAuth, BearerWebhookAuth, HmacWebhookAuth];

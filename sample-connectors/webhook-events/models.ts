import { IsOptional, IsString } from 'class-validator';
import { Description, Model, OneOf, Title, WEBHOOK_AUTH_MODELS, WebhookDocument, type WebhookAuth } from 'estuary-cdk';

/** The endpoint config: only how senders authenticate. */
export class EndpointConfig {
  @Title('Webhook Authentication')
  @Description('How senders prove who they are; None accepts any request that reaches the port')
  @OneOf(WEBHOOK_AUTH_MODELS, { discriminator: 'auth_type' })
  webhook_auth!: WebhookAuth;
}

/** An order event: any JSON object with an id, plus the request's `_meta`. */
@Model({ additionalProperties: true })
export class OrderEvent extends WebhookDocument {
  @IsString() id!: string;
  @IsOptional() @IsString() status?: string;
}

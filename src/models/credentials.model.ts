import { Equals, IsISO8601, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { Default, Description, Model, Multiline, OAuth2Provider, Order, Secret, Title } from '../decorators';
import { metadata, type Class } from '../common/metadata';

// Field for field (snake_case) the Python CDK's credential models, so an endpoint config saved for a
// Python connector validates unchanged and the UI renders the same form.

/** A personal or private-app access token sent on every request. */
@Model({ name: 'AccessToken', title: 'AccessToken' })
export class AccessTokenCredentials {
  @Default('Private App Credentials')
  @IsOptional()
  @Equals('Private App Credentials')
  credentials_title: 'Private App Credentials' = 'Private App Credentials';

  @Title('Access Token')
  @Secret()
  @IsString()
  @IsNotEmpty()
  access_token!: string;
}

/** HTTP basic authentication. */
@Model({ name: 'BasicAuth', title: 'BasicAuth' })
export class BasicAuthCredentials {
  @Default('Username & Password')
  @IsOptional()
  @Equals('Username & Password')
  credentials_title: 'Username & Password' = 'Username & Password';

  @IsString()
  @IsNotEmpty()
  username!: string;

  @Title('Password')
  @Secret()
  @IsString()
  password!: string;
}

/** Fields every OAuth2 client has. */
@Model({ title: 'OAuth' })
export class OAuth2ClientCredentialsBase {
  @Default('OAuth Credentials')
  @IsOptional()
  @Equals('OAuth Credentials')
  credentials_title: 'OAuth Credentials' = 'OAuth Credentials';

  @Title('Client Id')
  @Secret()
  @IsString()
  @IsNotEmpty()
  client_id!: string;

  @Title('Client Secret')
  @Secret()
  @IsString()
  @IsNotEmpty()
  client_secret!: string;
}

/**
 * OAuth2 credentials obtained through Flow's authorization-code flow: the connector exchanges the
 * refresh token for access tokens. Use {@link oauth2CredentialsFor} to mark the provider.
 */
@Model({ name: 'BaseOAuth2Credentials', title: 'OAuth' })
export class OAuth2Credentials extends OAuth2ClientCredentialsBase {
  @Title('Refresh Token')
  @Secret()
  @IsString()
  @IsNotEmpty()
  refresh_token!: string;
}

/** The client-credentials grant: the client id and secret are exchanged for access tokens. */
@Model({ title: 'OAuth' })
export class ClientCredentialsOAuth2Credentials extends OAuth2ClientCredentialsBase {}

/** The authorization-code grant against the token endpoint. */
@Model({ name: 'AuthorizationCodeFlowOAuth2Credentials', title: 'OAuth' })
export class AuthorizationCodeOAuth2Credentials extends OAuth2ClientCredentialsBase {}

/** The resource-owner password grant. */
@Model({ title: 'OAuth' })
export class ResourceOwnerPasswordOAuth2Credentials extends OAuth2ClientCredentialsBase {
  @IsString()
  @IsNotEmpty()
  username!: string;

  @Title('Password')
  @Secret()
  @IsString()
  password!: string;
}

/** OAuth2 credentials whose access token does not expire; it is used as is. */
@Model({ title: 'OAuth' })
export class LongLivedClientCredentialsOAuth2Credentials extends OAuth2ClientCredentialsBase {
  @Title('Access Token')
  @Secret()
  @IsString()
  @IsNotEmpty()
  access_token!: string;
}

/**
 * OAuth2 credentials whose refresh token changes at every exchange, so the tokens live in the
 * endpoint config and are rotated at open (see `TokenSource.rotatingRefreshToken`).
 */
@Model({ title: 'OAuth' })
export class RotatingOAuth2Credentials extends OAuth2Credentials {
  @Title('Access Token')
  @Secret()
  @IsString()
  @IsNotEmpty()
  access_token!: string;

  @Title('Access token expiration time.')
  @IsISO8601()
  access_token_expires_at!: string;
}

/** A Google service account key (the JSON file Google issues), pasted into the config. */
@Model({ name: 'GoogleServiceAccount', title: 'GoogleServiceAccount' })
export class GoogleServiceAccountCredentials {
  @Order(0)
  @Default('Google Service Account')
  @IsOptional()
  @Equals('Google Service Account')
  credentials_title: 'Google Service Account' = 'Google Service Account';

  @Title('Google Service Account')
  @Description('Service account JSON key')
  @Secret()
  @Multiline()
  @Order(1)
  @IsString()
  @IsNotEmpty()
  service_account!: string;
}

/**
 * A subclass of an OAuth2 credentials model marked with `x-oauth2-provider` (Python's
 * `for_provider`), which the UI renders as a sign-in button for that provider.
 *
 * @example
 * export const GoogleOAuth = oauth2CredentialsFor(OAuth2Credentials, 'google');
 */
export function oauth2CredentialsFor<T extends Class>(base: T, provider: string): T {
  const sub = class extends (base as unknown as new () => object) {};
  Object.defineProperty(sub, 'name', { value: base.name });
  OAuth2Provider(provider)(sub);
  Model({ name: metadata.getOwnModel(base).name ?? base.name })(sub);
  return sub as unknown as T;
}

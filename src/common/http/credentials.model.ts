import { Equals, IsISO8601, IsNotEmpty, IsString } from 'class-validator';

// These classes mirror the Python CDK's credential models field for field (snake_case), so an
// endpoint config saved for a Python connector validates unchanged.

/** A personal or private-app access token sent on every request. */
export class AccessTokenCredentials {
  // ANNOTATE: discriminator value; @Title('Private App Credentials') on the class.
  @Equals('Private App Credentials') credentials_title: 'Private App Credentials' = 'Private App Credentials';
  // ANNOTATE: @Title('Access Token') @Secret()
  @IsString() @IsNotEmpty() access_token!: string;
}

/** HTTP basic authentication. */
export class BasicAuthCredentials {
  // ANNOTATE: discriminator value; @Title('Username & Password') on the class.
  @Equals('Username & Password') credentials_title: 'Username & Password' = 'Username & Password';
  // ANNOTATE: @Title('Username')
  @IsString() @IsNotEmpty() username!: string;
  // ANNOTATE: @Title('Password') @Secret()
  @IsString() password!: string;
}

/** Fields every OAuth2 client has. */
export class OAuth2ClientCredentialsBase {
  // ANNOTATE: discriminator value; @Title('OAuth') on the class.
  @Equals('OAuth Credentials') credentials_title: 'OAuth Credentials' = 'OAuth Credentials';
  // ANNOTATE: @Title('Client Id') @Secret()
  @IsString() @IsNotEmpty() client_id!: string;
  // ANNOTATE: @Title('Client Secret') @Secret()
  @IsString() @IsNotEmpty() client_secret!: string;
}

/**
 * OAuth2 credentials obtained through Flow's authorization-code flow: the connector exchanges the
 * refresh token for access tokens. Subclass it per provider.
 */
// ANNOTATE: class-level x-oauth2-provider (the provider name of the connector's oauth2Spec), on a per-provider subclass.
export class OAuth2Credentials extends OAuth2ClientCredentialsBase {
  // ANNOTATE: @Title('Refresh Token') @Secret()
  @IsString() @IsNotEmpty() refresh_token!: string;
}

/** The client-credentials grant: the client id and secret are exchanged for access tokens. */
export class ClientCredentialsOAuth2Credentials extends OAuth2ClientCredentialsBase {}

/** The authorization-code grant against the token endpoint, with any code given as extra body fields. */
// ANNOTATE: class-level x-oauth2-provider, on a per-provider subclass.
export class AuthorizationCodeOAuth2Credentials extends OAuth2ClientCredentialsBase {}

/** The resource-owner password grant. */
export class ResourceOwnerPasswordOAuth2Credentials extends OAuth2ClientCredentialsBase {
  // ANNOTATE: @Title('Username')
  @IsString() @IsNotEmpty() username!: string;
  // ANNOTATE: @Title('Password') @Secret()
  @IsString() password!: string;
}

/** OAuth2 credentials whose access token does not expire; it is used as is. */
// ANNOTATE: class-level x-oauth2-provider, on a per-provider subclass.
export class LongLivedClientCredentialsOAuth2Credentials extends OAuth2ClientCredentialsBase {
  // ANNOTATE: @Title('Access Token') @Secret()
  @IsString() @IsNotEmpty() access_token!: string;
}

/**
 * OAuth2 credentials whose refresh token changes at every exchange, so the tokens live in the
 * endpoint config and are rotated at open (see `TokenSource.rotatingRefreshToken`).
 */
// ANNOTATE: class-level x-oauth2-provider, on a per-provider subclass.
export class RotatingOAuth2Credentials extends OAuth2Credentials {
  // ANNOTATE: @Title('Access Token') @Secret()
  @IsString() @IsNotEmpty() access_token!: string;
  // ANNOTATE: @Title('Access token expiration time.')
  @IsISO8601() access_token_expires_at!: string;
}

/** A Google service account key (the JSON file Google issues), pasted into the config. */
export class GoogleServiceAccountCredentials {
  // ANNOTATE: discriminator value (order 0); @Title('Google Service Account') on the class.
  @Equals('Google Service Account') credentials_title: 'Google Service Account' = 'Google Service Account';
  // ANNOTATE: @Title('Google Service Account') description 'Service account JSON key' @Secret() multiline, order 1
  @IsString() @IsNotEmpty() service_account!: string;
}

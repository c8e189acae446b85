import { metadata, type Class } from '../common/metadata';
import { reportProblem } from './decorator-utils';

/** Options of {@link Connector}. */
export interface ConnectorOptions {
  /** The endpoint configuration model (class-validator decorated). */
  config: Class;
  /** The statically known resource classes, each decorated with `@Resource`. */
  resources?: Class[];
  /** Link shown in the UI next to the connector. */
  documentationUrl?: string;
  /** The `oauth2` block of the spec response, for connectors with an OAuth2 login. */
  oauth2?: Record<string, unknown>;
  /** Resource config model shared by the resources (defaults to the CDK's `ResourceConfig`). */
  resourceConfig?: Class;
}

/**
 * Declares a connector: its endpoint config model and its resources.
 *
 * @example
 * @Connector({ config: Config, resources: [Orders], documentationUrl: 'https://go.estuary.dev/x' })
 * export class Shop {}
 */
export function Connector(options: ConnectorOptions): ClassDecorator {
  return (target) => {
    const cls = target as unknown as Class;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks values from untyped JavaScript callers
    if (options === null || typeof options !== 'object') {
      reportProblem(cls, `@Connector needs an options object such as { config: Config, resources: [...] }`);
      metadata.setConnector({ target: cls, resources: [] });
      return;
    }
    if (options.documentationUrl !== undefined && !/^https?:\/\//.test(options.documentationUrl)) {
      reportProblem(cls, `@Connector documentationUrl "${options.documentationUrl}" is not an http(s) URL`);
    }
    metadata.setConnector({
      target: cls,
      config: options.config,
      resources: [...(options.resources ?? [])],
      ...(options.documentationUrl !== undefined ? { documentationUrl: options.documentationUrl } : {}),
      ...(options.oauth2 !== undefined ? { oauth2: options.oauth2 } : {}),
      ...(options.resourceConfig !== undefined ? { resourceConfig: options.resourceConfig } : {}),
    });
  };
}

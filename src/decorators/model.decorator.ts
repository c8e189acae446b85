import { metadata, type Class, type ModelAnnotations } from '../common/metadata';

/**
 * Class-level schema annotations of a model: its `title` (default: the class name), a
 * `description`, whether extra properties are allowed, and extra keywords.
 */
export function Model(annotations: ModelAnnotations): ClassDecorator {
  return (target) => metadata.annotateModel(target as unknown as Class, annotations);
}

/**
 * Marks a credentials model as an OAuth2 login: `"x-oauth2-provider": provider` on its schema,
 * which the UI renders as a sign-in button.
 */
export function OAuth2Provider(provider: string): ClassDecorator {
  return (target) => metadata.annotateModel(target as unknown as Class, { oauth2Provider: provider });
}

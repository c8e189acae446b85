import { annotateProperty } from './property-annotation';

/**
 * Marks a config property secret: `"secret": true` in the schema (a password input, encrypted by
 * Flow), and its value is redacted from every log line and error message.
 */
export function Secret(): PropertyDecorator {
  return annotateProperty({ secret: true });
}

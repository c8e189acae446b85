import typia from 'typia';
import type { Request } from './messages';

/** Generated (typia) validator of request lines; extra properties are allowed and ignored. */
export const validateRequest: (input: unknown) => typia.IValidation<Request> =
  typia.createValidate<Request>();

import type * as Typia from 'typia';

/**
 * typia's calls are compiled away by its transform, but a value import would stay in the output and
 * load typia's runtime (~80 modules) at every start; declaring the namespace keeps the types only.
 */
declare const typia: typeof Typia.default;
import { ProtocolError } from '../common/errors';
import { mayHoldLongIntegers, parseJsonExact } from '../common/json-exact';
import type { Request } from './requests';

/** Generated (typia) validator of request lines; extra properties are allowed and ignored. */
export const validateRequest: (input: unknown) => Typia.IValidation<Request> = typia.createValidate<Request>();

/** The request kinds, one of which each request line carries. */
export const REQUEST_KINDS = ['spec', 'discover', 'validate', 'apply', 'open', 'acknowledge'] as const;

/** One of {@link REQUEST_KINDS}. */
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Parses and validates one request line; names the line and what is wrong with it. */
export function parseRequest(line: string, lineNo: number): { req: Request; kind: RequestKind } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new ProtocolError(`request line ${lineNo} is not valid JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProtocolError(`request line ${lineNo} must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  const present = REQUEST_KINDS.filter((k) => (parsed as Record<string, unknown>)[k] !== undefined);
  if (present.length === 0) {
    const keys = Object.keys(parsed).filter((k) => k !== '$internal');
    throw new ProtocolError(`request line ${lineNo} is not a known request: expected one of ${REQUEST_KINDS.join(', ')}${keys.length ? `, got ${keys.join(', ')}` : ''}`);
  }
  if (present.length > 1) throw new ProtocolError(`request line ${lineNo} has several requests (${present.join(', ')}); send one per line`);
  const result = validateRequest(parsed);
  if (!result.success) {
    const problems = result.errors.slice(0, 5).map((e) => `${e.path.replace(/^\$input\.?/, '')}: expected ${e.expected}${e.value === undefined ? ' but it is missing' : ''}`);
    throw new ProtocolError(`request line ${lineNo} (${present[0]}) is malformed: ${problems.join('; ')}`);
  }
  const req = result.data;
  // Stored state round-trips exactly: a cursor beyond 2^53 (a Python int, or a bigint this CDK wrote)
  // must not come back rounded. Only the state: config and the rest keep JSON's numbers.
  if (req.open?.state !== undefined && mayHoldLongIntegers(line)) req.open.state = (parseJsonExact(line) as { open: { state: Record<string, unknown> } }).open.state;
  return { req, kind: present[0]! };
}

import type { JsonToken } from './stream-json.adapter';

/**
 * How integers beyond ±2^53 are represented: exact as `bigint` (the default) or as their decimal
 * `string`, or rounded to a `number` like `JSON.parse` does (opt-in, lossy).
 */
export type LargeIntegerMode = 'bigint' | 'string' | 'number';

const INTEGER_LITERAL = /^-?\d+$/;

/** Converts a JSON number literal without silently losing integer precision. */
export function convertNumber(literal: string, mode: LargeIntegerMode): number | bigint | string {
  const n = +literal;
  // Short literals and safe integers are exact as numbers; only long integer literals need a look.
  if (literal.length < 16 || Number.isSafeInteger(n) || mode === 'number' || !INTEGER_LITERAL.test(literal)) return n;
  return mode === 'bigint' ? BigInt(literal) : literal;
}

type Container = Record<string, unknown> | unknown[];

/** An open container outside any streamed item, kept for the remainder. */
interface OuterFrame {
  container: Container;
  isArray: boolean;
  key: string;
  /** The ijson path of this container, or `undefined` below the prefix depth where no path can match. */
  path: string | undefined;
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // Like JSON.parse, a "__proto__" key is an own property, never the prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * Turns stream-json's packed tokens into values: every value whose ijson-style path equals the prefix
 * is collected as an item, and everything else is assembled into the remainder (the last top-level
 * value with the streamed items left out).
 */
export class JsonPathAssembler {
  private readonly prefixDepth: number;
  private readonly outer: OuterFrame[] = [];
  private remainderValue: unknown = undefined;
  private remainderSeen = false;

  // The item being assembled: kept in plain fields because this is the hot path.
  private itemDepth = 0;
  private itemRoot: Container | undefined = undefined;
  private current: Container | undefined = undefined;
  private currentIsArray = false;
  private key = '';
  private readonly itemStack: unknown[] = [];

  constructor(
    private readonly prefix: string,
    private readonly largeIntegers: LargeIntegerMode,
  ) {
    this.prefixDepth = prefix === '' ? 0 : prefix.split('.').length;
  }

  /** True while a top-level value is open, so the end of input now would truncate it. */
  get inValue(): boolean {
    return this.itemDepth > 0 || this.outer.length > 0;
  }

  /** Whether any part of the input lay outside the prefix. */
  get hasRemainder(): boolean {
    return this.remainderSeen;
  }

  /** The last top-level value with everything under the prefix left out. */
  get remainder(): unknown {
    return this.remainderValue;
  }

  /** Consumes tokens, appending every completed item to `out`. */
  consume(tokens: readonly JsonToken[], out: unknown[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (this.itemDepth > 0) this.itemToken(token, out);
      else this.outerToken(token, out);
    }
  }

  private itemToken(token: JsonToken, out: unknown[]): void {
    switch (token.name) {
      case 'keyValue':
        this.key = token.value as string;
        return;
      case 'stringValue':
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        this.addToItem(token.value);
        return;
      case 'numberValue':
        this.addToItem(convertNumber(token.value as string, this.largeIntegers));
        return;
      case 'startObject':
      case 'startArray': {
        const container: Container = token.name === 'startArray' ? [] : {};
        this.addToItem(container);
        this.itemStack.push(this.current, this.currentIsArray, this.key);
        this.current = container;
        this.currentIsArray = token.name === 'startArray';
        this.itemDepth++;
        return;
      }
      case 'endObject':
      case 'endArray':
        if (--this.itemDepth === 0) {
          out.push(this.itemRoot);
          this.itemRoot = this.current = undefined;
          return;
        }
        this.key = this.itemStack.pop() as string;
        this.currentIsArray = this.itemStack.pop() as boolean;
        this.current = this.itemStack.pop() as Container;
        return;
      default:
        return;
    }
  }

  private addToItem(value: unknown): void {
    if (this.currentIsArray) (this.current as unknown[]).push(value);
    else setKey(this.current as Record<string, unknown>, this.key, value);
  }

  private outerToken(token: JsonToken, out: unknown[]): void {
    const outer = this.outer;
    const top = outer.length > 0 ? outer[outer.length - 1] : undefined;
    switch (token.name) {
      case 'keyValue':
        top!.key = token.value as string;
        return;
      case 'endObject':
      case 'endArray':
        outer.pop();
        return;
      default:
        break;
    }

    let path: string | undefined;
    if (outer.length === this.prefixDepth || outer.length < this.prefixDepth) {
      path = top === undefined ? '' : top.path === undefined ? undefined : childPath(top);
    }

    const isContainer = token.name === 'startObject' || token.name === 'startArray';
    if (path === this.prefix && outer.length === this.prefixDepth) {
      if (!isContainer) {
        out.push(token.name === 'numberValue' ? convertNumber(token.value as string, this.largeIntegers) : token.value);
        return;
      }
      const container: Container = token.name === 'startArray' ? [] : {};
      this.itemRoot = this.current = container;
      this.currentIsArray = token.name === 'startArray';
      this.itemDepth = 1;
      return;
    }

    let value: unknown;
    if (isContainer) {
      const isArray = token.name === 'startArray';
      value = isArray ? [] : {};
      outer.push({ container: value as Container, isArray, key: '', path: outer.length < this.prefixDepth ? path : undefined });
    } else {
      value = token.name === 'numberValue' ? convertNumber(token.value as string, this.largeIntegers) : token.value;
    }
    if (top === undefined) {
      this.remainderValue = value;
      this.remainderSeen = true;
    } else if (top.isArray) {
      (top.container as unknown[]).push(value);
    } else {
      setKey(top.container as Record<string, unknown>, top.key, value);
    }
  }
}

/** The ijson path of the next value inside `frame`: `item` for array elements, the key for members. */
function childPath(frame: OuterFrame): string {
  const segment = frame.isArray ? 'item' : frame.key;
  return frame.path === '' ? segment : `${frame.path}.${segment}`;
}

/** What a stop rule sees of a page: its body, headers and records (before stop-on-record cuts them). */
export interface PageView<Item> {
  readonly number: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly items: readonly Item[];
}

/**
 * When paging stops. Paging stops after a page as soon as any declared rule fires. Build rules with
 * {@link Stop}; a `paginate()` call must declare at least one (a type error otherwise).
 */
export type StopRule<Item> =
  | PageStopRule
  | { readonly rule: 'onRecord'; readonly test: (item: Item) => boolean; readonly reason: string }
  | { readonly rule: 'when'; readonly test: (page: PageView<Item>) => boolean; readonly reason: string };

/** The stop rules that do not look at records, so they fit any record type. */
export type PageStopRule =
  | { readonly rule: 'noNext' }
  | { readonly rule: 'emptyPage' }
  | { readonly rule: 'hasMore'; readonly pointer: string }
  | { readonly rule: 'totalReached'; readonly pointer: string }
  | { readonly rule: 'tokenRepeats' };

/** At least one stop rule: an empty list does not compile. */
export type StopRules<Item> = readonly [StopRule<Item>, ...StopRule<Item>[]];

/**
 * The stop rules of {@link paginate}. There is deliberately no "short page" rule: APIs return fewer
 * records than asked in the middle of a list (filtered rows, silent size caps), and stopping there
 * drops the rest.
 *
 * @example
 * stop: [Stop.noNext()]                                  // the API omits the token on the last page
 * stop: [Stop.hasMore('/has_more')]                      // and fails loudly if the flag is missing
 * stop: [Stop.emptyPage(), Stop.totalReached('/total')]  // offset APIs
 * stop: [Stop.noNext(), Stop.onRecord((e: Event) => e.created < since, 'older than the cursor')]
 */
export const Stop = Object.freeze({
  /**
   * The strategy found no next token or URL (missing, null or empty). Token strategies only.
   * Without it, a page without a token that no other declared rule ends fails loudly.
   */
  noNext(): PageStopRule {
    return { rule: 'noNext' };
  },
  /**
   * A page with no records. With a token strategy an empty page that still carries a next token
   * does not stop: the token is followed (empty pages in the middle of a list are common).
   */
  emptyPage(): PageStopRule {
    return { rule: 'emptyPage' };
  },
  /** The boolean at `pointer` is false. Missing or not a boolean fails loudly; true without a next token too. */
  hasMore(pointer: string): PageStopRule {
    return { rule: 'hasMore', pointer };
  },
  /**
   * The records read reach the total at `pointer`, remembered from the first page that carries it
   * (later pages may omit it or count differently).
   */
  totalReached(pointer: string): PageStopRule {
    return { rule: 'totalReached', pointer };
  },
  /**
   * For feeds ordered by time: the first record for which `test` holds and every record after it
   * are dropped, and paging stops after this page. `reason` is logged.
   */
  onRecord<Item>(test: (item: Item) => boolean, reason = 'a record matched the stop test'): StopRule<Item> {
    return { rule: 'onRecord', test, reason };
  },
  /** The API returns the very token it was just given to say "no more" (anything longer is a cycle and fails). */
  tokenRepeats(): PageStopRule {
    return { rule: 'tokenRepeats' };
  },
  /** Any other condition on the page; `reason` is logged. */
  when<Item>(test: (page: PageView<Item>) => boolean, reason: string): StopRule<Item> {
    return { rule: 'when', test, reason };
  },
});

/** Names the rules for messages: `noNext, hasMore(/has_more)`. */
export function describeRules(rules: readonly StopRule<unknown>[]): string {
  return rules.map((r) => (r.rule === 'hasMore' || r.rule === 'totalReached' ? `${r.rule}(${r.pointer})` : r.rule)).join(', ');
}

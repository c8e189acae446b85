import type { BindingContext } from '../../container/binding-context';
import type { ResourceDefinition } from '../../build/definition';
import { isAssociated, isBackfillTrigger, isPageCursorPatch } from '../../common/capture-items';
import { CaptureError } from '../../common/errors';
import { formatDateTime } from '../../common/time';
import type { Class } from '../../common/metadata';
import { ModelJsonWriter } from '../../schema/model-json';
import type { Task } from './task';
import type { CaptureContext } from './capture-context';
import type { DocumentCheck } from './document-check';

/** A binding of the open request resolved to its resource and a constructed resource instance. */
export interface BoundBinding {
  readonly index: number;
  readonly stateKey: string;
  readonly name: string;
  readonly def: ResourceDefinition;
  readonly intervalMs: number;
  readonly schedule: string | undefined;
  readonly instance: Record<string, unknown>;
  readonly context: BindingContext;
  readonly config: unknown;
  readonly params: unknown;
  /** Binding index of each bound resource name, for associated documents. */
  readonly indexByName: ReadonlyMap<string, number>;
  /** The declared document model of each binding, by index (documents are written as Pydantic writes it). */
  readonly documents: readonly (Class | undefined)[];
  /** The document check of each binding, by binding index (see {@link compileDocumentCheck}). */
  readonly documentChecks?: readonly DocumentCheck[];
}

/** Checks a document bound for `binding` against that binding's model and collection key. */
export function checkDocument(b: BoundBinding, binding: number, doc: object): void {
  b.documentChecks?.[binding]?.(doc);
}

/** Captures a yielded document, routing associated documents to their binding. */
export function captureDocument(task: Task, b: BoundBinding, item: object): void {
  if (isAssociated(item)) {
    const target = b.indexByName.get(item.resource);
    if (target === undefined) {
      task.log.debug({ resource: item.resource }, 'dropping associated document for a resource that is not bound');
      return;
    }
    checkDocument(b, target, item.doc);
    task.captured(target, item.doc, ModelJsonWriter.forDocument(item.doc, b.documents[target]));
    return;
  }
  checkDocument(b, b.index, item);
  task.captured(b.index, item, ModelJsonWriter.forDocument(item, b.documents[b.index]));
}

/**
 * Captures a page of documents a strategy yielded as one array: the same as yielding each in turn,
 * but the driver takes one step of the async iteration per page instead of one per document.
 */
export function captureDocuments(task: Task, b: BoundBinding, page: readonly unknown[], where: string): void {
  for (let i = 0; i < page.length; i++) {
    const item = page[i];
    if (item === null || typeof item !== 'object' || Array.isArray(item) || item instanceof Date || isPageCursorPatch(item) || isBackfillTrigger(item)) {
      throw new CaptureError(`${where} yielded an array holding ${describeValue(item)} at index ${i}; an array is a page of documents and holds only documents (objects): yield cursors on their own`);
    }
    captureDocument(task, b, item);
  }
}

/** The context handed to a strategy invocation. */
export function captureContext(task: Task, b: BoundBinding, subtask: string | undefined, connectorInitiated: boolean): CaptureContext {
  return {
    log: task.log,
    subtask,
    connectorInitiated,
    signal: task.stop.hardSignal,
    get stopping() {
      return task.stop.stopping;
    },
    binding: b.context,
    sourcedSchema: (schema) => task.sourcedSchema(b.index, schema),
  };
}

/** Calls a strategy method and checks that it returned an async iterable. */
export function invokeStrategy(b: BoundBinding, method: string, where: string, args: unknown[]): AsyncIterable<unknown> {
  const fn = b.instance[method];
  if (typeof fn !== 'function') throw new Error(`${where}: method is missing on the resource instance`);
  const it = (fn as (...a: unknown[]) => unknown).apply(b.instance, args) as AsyncIterable<unknown> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks what an untyped hook returned
  if (it === undefined || it === null || typeof (it as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
    throw new Error(`${where}: did not return an async iterable; declare it 'async *'`);
  }
  return it;
}

/** Short description of a yielded value for error messages. */
export function describeValue(v: unknown): string {
  // As state stores it, so two cursors in the same millisecond read differently.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : formatDateTime(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

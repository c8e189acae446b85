import { ConnectorLog, levelAtLeast } from './connector-log';
import { PreviewEvent } from './preview';

/** Where the reporter writes. */
export interface TextSink {
  write(text: string): unknown;
}

interface BindingStats {
  collection: string;
  docs: number;
  checkpoints: number;
}

/**
 * Reports preview progress on stderr: on a TTY a live line per binding (documents, rate,
 * checkpoints) redrawn in place, otherwise one JSON log line per event. Connector logs at info and
 * above are forwarded: as-is when not a TTY, prefixed with `connector` on a TTY.
 */
export class ProgressReporter {
  private readonly stats = new Map<string, BindingStats>();
  private drawn = 0;
  private started = Date.now();
  private transactions = 0;

  constructor(
    private readonly out: TextSink,
    private readonly isTTY: boolean,
  ) {}

  /** Forwards a connector log line. */
  log = (log: ConnectorLog): void => {
    if (!levelAtLeast(log.level, 'info')) return;
    if (!this.isTTY) {
      const isJson = log.raw.trimStart().startsWith('{');
      this.out.write(`${isJson ? log.raw : JSON.stringify({ level: log.level, msg: log.message, fields: { source: 'connector' } })}\n`);
      return;
    }
    const fields = Object.keys(log.fields).length > 0 ? ` ${JSON.stringify(log.fields)}` : '';
    this.clear();
    this.out.write(`connector ${log.level.toUpperCase()} ${log.message}${fields}\n`);
    this.draw();
  };

  /** Records a progress event. */
  event = (event: PreviewEvent): void => {
    if (event.type === 'session-start') {
      if (event.session === 1) this.started = Date.now();
      for (const b of event.bindings) {
        if (!this.stats.has(b.collection)) this.stats.set(b.collection, { collection: b.collection, docs: 0, checkpoints: 0 });
      }
    } else if (event.type === 'transaction') {
      this.transactions++;
      for (const b of event.bindings) {
        const s = this.stats.get(b.collection);
        if (s) {
          s.docs += b.combined;
          s.checkpoints += b.checkpoints;
        }
      }
    }
    if (!this.isTTY) {
      const fields = event.type === 'session-start' ? { ...event, bindings: event.bindings.map((b) => b.collection) } : event;
      this.out.write(`${JSON.stringify({ level: 'info', msg: `preview ${event.type}`, fields })}\n`);
      return;
    }
    this.clear();
    this.draw();
  };

  /** Leaves the last progress lines on screen. */
  finish(): void {
    this.drawn = 0;
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private draw(): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const width = Math.max(0, ...[...this.stats.keys()].map((k) => k.length));
    const lines = [...this.stats.values()].map(
      (s) => `  ${s.collection.padEnd(width)}  ${String(s.docs).padStart(8)} docs  ${(s.docs / seconds).toFixed(1).padStart(9)} docs/s  ${String(s.checkpoints).padStart(5)} checkpoints`,
    );
    lines.push(`  ${this.transactions} transactions in ${seconds.toFixed(1)}s`);
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

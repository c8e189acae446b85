/** Wakes every pending `wait()` when `notify()` is called; a tiny condition variable. */
export class Signal {
  private waiters: Array<() => void> = [];

  /** Resolves at the next `notify()`. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Wakes all current waiters. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

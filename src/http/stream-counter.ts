/** Counts the event streams a handler has open: each holds a subscription or a live listener. */
export class StreamCounter {
  #open = 0;
  #idle: (() => void)[] = [];

  get open(): number {
    return this.#open;
  }

  /** Notes a stream opened; returns nothing. */
  add(): void {
    this.#open++;
  }

  /** Notes a stream closed and its subscription released. */
  remove(): void {
    this.#open--;
    if (this.#open === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves when no stream is open. */
  idle(): Promise<void> {
    return this.#open === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}

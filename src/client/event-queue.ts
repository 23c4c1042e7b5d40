/** Events waiting in a subscription before its transport is asked to wait. */
const HIGH_WATER = 256;

/**
 * The events of one subscription between the transport and the consumer's `for await`. `push`
 * returns a promise while the queue is full, which the transport awaits: a slow consumer slows
 * the stream, memory stays bounded.
 */
export class EventQueue<T> {
  readonly #items: T[] = [];
  #ended = false;
  #error: unknown;
  #reader: (() => void) | undefined;
  #writer: (() => void) | undefined;

  push(item: T): Promise<void> | undefined {
    if (this.#ended) return undefined;
    this.#items.push(item);
    this.#wakeReader();
    if (this.#items.length < HIGH_WATER) return undefined;
    return new Promise((resolve) => {
      this.#writer = resolve;
    });
  }

  /** No more items; `error` makes the consumer's loop throw it after the queued items. */
  end(error?: unknown): void {
    this.#ended = true;
    this.#error = error;
    this.#wakeReader();
    this.#wakeWriter();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    while (true) {
      const item = this.#items.shift();
      if (item !== undefined) {
        if (this.#items.length < HIGH_WATER / 2) this.#wakeWriter();
        yield item;
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#reader = resolve;
      });
    }
  }

  #wakeReader(): void {
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.();
  }

  #wakeWriter(): void {
    const writer = this.#writer;
    this.#writer = undefined;
    writer?.();
  }
}

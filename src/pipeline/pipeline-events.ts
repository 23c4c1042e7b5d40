import type { PipelineEvent } from './pipeline-types.js';

/** True for a pipeline's last event: the one without a step, once it has ended. */
export function isFinalEvent(event: PipelineEvent): boolean {
  return event.step === undefined && event.status !== 'running';
}

/**
 * The events of one pipeline, kept for replay: `subscribePipeline` yields those emitted so far,
 * then the live ones, and ends after the final one.
 */
export class PipelineEventLog {
  readonly #events: PipelineEvent[] = [];
  #wake: (() => void)[] = [];

  add(event: PipelineEvent): void {
    this.#events.push(event);
    const wake = this.#wake;
    this.#wake = [];
    for (const resolve of wake) resolve();
  }

  /** Replays every event, then follows live ones; ends after the final one or when `signal` aborts. */
  async *subscribe(signal?: AbortSignal): AsyncGenerator<PipelineEvent, void, undefined> {
    let cursor = 0;
    while (true) {
      signal?.throwIfAborted();
      while (cursor < this.#events.length) {
        const event = this.#events[cursor++]!;
        yield event;
        if (isFinalEvent(event)) return;
        signal?.throwIfAborted();
      }
      await this.#changed(signal);
    }
  }

  #changed(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#wake.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}

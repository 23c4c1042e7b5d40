import type { Redis } from 'ioredis';

/**
 * Keeps Node alive only while an engine has work under way: its Redis sockets are unref'd when
 * idle (listeners alone, like the local engine's, never keep the process running) and ref'd while
 * a call, a wait, a subscription or a pipeline is pending. A socket made by a reconnection gets
 * the current state.
 */
export class KeepAlive {
  readonly #clients: Redis[];
  #holds = 0;

  constructor(clients: Redis[]) {
    this.#clients = clients;
    for (const client of clients) client.on('connect', () => this.#apply());
  }

  /** Counts one piece of pending work; returns its (idempotent) release. */
  hold(): () => void {
    this.#holds++;
    if (this.#holds === 1) this.#apply();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      if (this.#holds === 0) this.#apply();
    };
  }

  /** Runs `work` holding the process alive. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    const release = this.hold();
    try {
      return await work();
    } finally {
      release();
    }
  }

  #apply(): void {
    for (const client of this.#clients) {
      const socket = (client as unknown as { stream?: { ref?(): void; unref?(): void } }).stream;
      if (this.#holds > 0) socket?.ref?.();
      else socket?.unref?.();
    }
  }
}

import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * Appends bytes to a file as they arrive, never holding the whole output: when the disk falls
 * behind, `onPressure(true)` asks the producer to pause until the buffer drains
 * (`onPressure(false)`). A write error (disk full, no permission) is kept in `error` and later
 * writes are dropped; it never throws.
 */
export class FileSink {
  readonly path: string;
  error: Error | undefined;
  readonly #stream: WriteStream;
  readonly #onPressure: (blocked: boolean) => void;
  #blocked = false;
  #closed: Promise<void> | undefined;

  constructor(path: string, onPressure: (blocked: boolean) => void) {
    this.path = path;
    this.#onPressure = onPressure;
    // Output can hold secrets: a file this creates is readable by its owner only.
    this.#stream = createWriteStream(path, { flags: 'w', mode: 0o600 });
    this.#stream.on('error', (error) => {
      this.error ??= error;
      this.#unblock();
    });
    this.#stream.on('drain', () => this.#unblock());
  }

  write(chunk: Uint8Array): void {
    if (this.error !== undefined || this.#closed !== undefined) return;
    if (!this.#stream.write(chunk) && !this.#blocked) {
      this.#blocked = true;
      this.#onPressure(true);
    }
  }

  /** Flushes and closes the file; resolves once it is closed (also after an error). */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#stream.once('close', resolve);
      this.#stream.end();
    }).then(() => this.#unblock());
    return this.#closed;
  }

  #unblock(): void {
    if (!this.#blocked) return;
    this.#blocked = false;
    this.#onPressure(false);
  }
}

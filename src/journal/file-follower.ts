import { type FSWatcher, watch } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** Bytes read at a time: a growing file is never read into memory whole. */
const CHUNK_SIZE = 64 * 1024;

/** Options of {@link FileFollower}. */
export interface FileFollowerOptions {
  /** Byte offset to start from (e.g. what was already delivered before a restart). @default 0 */
  offset?: number;
  /** Fallback polling period, for file systems where `fs.watch` misses changes. @default 100 */
  pollIntervalMs?: number;
  /** Receives read errors and errors thrown by the chunk callback. @default ignore them */
  onError?: (error: unknown) => void;
}

/**
 * Follows an append-only file (`tail -f`): every byte appended after `offset` is delivered
 * once, in order, as a Buffer of at most 64 KiB. Changes are noticed through `fs.watch` with a
 * polling fallback; neither keeps the event loop alive. The file may not exist yet.
 *
 * @example
 * ```ts
 * const follower = new FileFollower(files.stdoutLog, (chunk) => splitter.push(chunk));
 * // ... once the exit file exists:
 * await follower.stop(); // everything written so far has been delivered
 * ```
 */
export class FileFollower {
  readonly #path: string;
  readonly #onChunk: (chunk: Buffer) => void;
  readonly #onError: (error: unknown) => void;
  readonly #buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  readonly #timer: NodeJS.Timeout;
  #offset: number;
  #handle: FileHandle | undefined;
  #watcher: FSWatcher | undefined;
  // The running read loop, and whether a change arrived while it ran.
  #pumping: Promise<void> | undefined;
  #again = false;
  #paused = false;
  #stopping: Promise<void> | undefined;

  constructor(path: string, onChunk: (chunk: Buffer) => void, options: FileFollowerOptions = {}) {
    this.#path = path;
    this.#onChunk = onChunk;
    this.#onError = options.onError ?? (() => undefined);
    this.#offset = options.offset ?? 0;
    this.#timer = setInterval(() => void this.#kick(), options.pollIntervalMs ?? 100);
    this.#timer.unref();
    void this.#kick();
  }

  /** Bytes delivered so far, counted from the start of the file. */
  get offset(): number {
    return this.#offset;
  }

  /** Stops delivering (back-pressure from a slow consumer) until {@link resume}. The writer is not slowed. */
  pause(): void {
    this.#paused = true;
  }

  /** Delivers again, starting with whatever was appended while paused. */
  resume(): void {
    this.#paused = false;
    void this.#kick();
  }

  /**
   * Stops following after delivering everything the file holds at this moment, paused or not
   * (call it once the writer is done, e.g. when the exit file exists), then closes the file.
   * Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#finish();
    return this.#stopping;
  }

  async #finish(): Promise<void> {
    clearInterval(this.#timer);
    this.#watcher?.close();
    await this.#pumping;
    try {
      if (await this.#openFile()) {
        const { size } = await this.#handle!.stat();
        await this.#readUntil(size);
      }
    } catch (error) {
      this.#onError(error);
    }
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
  }

  /** Starts the read loop, or asks the running one to go round once more. */
  #kick(): Promise<void> {
    if (this.#stopping !== undefined || this.#paused) return Promise.resolve();
    if (this.#pumping !== undefined) {
      this.#again = true;
      return this.#pumping;
    }
    const pump = async () => {
      do {
        this.#again = false;
        try {
          if (await this.#openFile()) await this.#readUntil(Number.POSITIVE_INFINITY, true);
        } catch (error) {
          this.#onError(error);
        }
      } while (this.#again && this.#stopping === undefined);
      this.#pumping = undefined;
    };
    this.#pumping = pump();
    return this.#pumping;
  }

  /** Opens the file once it exists, and watches it. False while it does not exist. */
  async #openFile(): Promise<boolean> {
    if (this.#handle !== undefined) return true;
    try {
      this.#handle = await open(this.#path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    if (this.#stopping === undefined) {
      try {
        this.#watcher = watch(this.#path, { persistent: false }, () => void this.#kick());
        this.#watcher.on('error', () => this.#watcher?.close());
      } catch {
        // No watching on this file system: polling alone delivers the data.
      }
    }
    return true;
  }

  /**
   * Delivers what lies between the offset and `end` (or the end of file), 64 KiB at a time.
   * `interruptible`: give way to `pause()`, and to `stop()`, which then reads up to the size it sees.
   */
  async #readUntil(end: number, interruptible = false): Promise<void> {
    const handle = this.#handle!;
    while (this.#offset < end && !(interruptible && (this.#stopping !== undefined || this.#paused))) {
      const length = Math.min(CHUNK_SIZE, end - this.#offset);
      const { bytesRead } = await handle.read(this.#buffer, 0, length, this.#offset);
      if (bytesRead === 0) return;
      this.#offset += bytesRead;
      try {
        this.#onChunk(Buffer.from(this.#buffer.subarray(0, bytesRead)));
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

import type { Redis } from 'ioredis';

/** A stream entry: its id and its fields. */
export type StreamEntry = [id: string, fields: string[]];

/** One reader of one stream, from just after `lastId`. */
export interface Cursor {
  readonly key: string;
  lastId: string;
  /** Gets entries in order; a returned promise holds this cursor back until it settles. */
  deliver(entries: StreamEntry[]): Promise<void> | undefined;
}

interface Following extends Cursor {
  paused: boolean;
}

/** Longest block of one XREAD, in ms: bounds how late a cursor added meanwhile joins. */
const BLOCK_MS = 1000;
const COUNT = 1000;

/** True when stream id `a` comes after `b`. */
export function isAfter(a: string, b: string): boolean {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am > bm || (am === bm && as > bs);
}

/**
 * The streams of an XREAD reply: `[[key, entries], ...]` (RESP2), or the RESP3 map ioredis gives
 * flat, `[key, entries, key, entries, ...]`.
 */
function streamsOf(reply: unknown[] | null): [string, StreamEntry[]][] {
  if (reply === null || reply.length === 0) return [];
  if (Array.isArray(reply[0])) return reply as [string, StreamEntry[]][];
  const pairs: [string, StreamEntry[]][] = [];
  for (let i = 0; i + 1 < reply.length; i += 2)
    pairs.push([reply[i] as string, reply[i + 1] as StreamEntry[]]);
  return pairs;
}

/**
 * Follows any number of Redis streams on one dedicated connection with one blocking XREAD over
 * all of them: every cursor gets each entry after its `lastId` exactly once, in order, replay and
 * live alike (XREAD continues from the last id read, so there is no seam). A cursor added while
 * the XREAD blocks wakes it (`CLIENT UNBLOCK`). A lost connection is retried until `close()`.
 */
export class StreamFollower {
  readonly #redis: Redis;
  readonly #control: Redis;
  readonly #cursors = new Set<Following>();
  #clientId: number | undefined;
  #running = false;
  #closed = false;

  /** `redis`: a connection of its own (it blocks); `control`: any other, to wake it. */
  constructor(redis: Redis, control: Redis) {
    this.#redis = redis;
    this.#control = control;
    redis.on('close', () => {
      this.#clientId = undefined;
    });
  }

  /** Starts following `cursor`; returns the function that stops it. */
  add(cursor: Cursor): () => void {
    const following = Object.assign(cursor, { paused: false }) as Following;
    this.#cursors.add(following);
    this.#wake();
    return () => {
      this.#cursors.delete(following);
    };
  }

  /** Stops every cursor and the loop. */
  close(): void {
    this.#closed = true;
    this.#cursors.clear();
    this.#wake();
  }

  #wake(): void {
    if (!this.#running) {
      if (!this.#closed) void this.#loop();
      return;
    }
    const id = this.#clientId;
    if (id !== undefined) void this.#control.call('CLIENT', 'UNBLOCK', id).catch(() => {});
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (!this.#closed) {
        const active = [...this.#cursors].filter((cursor) => !cursor.paused);
        if (active.length === 0) return;
        const from = new Map<string, string>();
        for (const { key, lastId } of active) {
          const known = from.get(key);
          if (known === undefined || isAfter(known, lastId)) from.set(key, lastId);
        }
        try {
          if (this.#redis.status !== 'ready') await this.#redis.connect().catch(() => {});
          this.#clientId ??= (await this.#redis.call('CLIENT', 'ID')) as number;
          const reply = (await this.#redis.call(
            'XREAD',
            'COUNT',
            COUNT,
            'BLOCK',
            BLOCK_MS,
            'STREAMS',
            ...from.keys(),
            ...from.values(),
          )) as unknown[] | null;
          for (const [key, entries] of streamsOf(reply)) this.#deliver(key, entries, active);
        } catch {
          if (this.#closed) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      this.#running = false;
    }
  }

  #deliver(key: string, entries: StreamEntry[], active: Following[]): void {
    for (const cursor of active) {
      if (cursor.key !== key || !this.#cursors.has(cursor)) continue;
      const fresh = entries.filter(([id]) => isAfter(id, cursor.lastId));
      if (fresh.length === 0) continue;
      cursor.lastId = fresh.at(-1)?.[0] ?? cursor.lastId;
      const held = cursor.deliver(fresh);
      if (held === undefined) continue;
      cursor.paused = true;
      void held.finally(() => {
        cursor.paused = false;
        this.#wake();
      });
    }
  }
}

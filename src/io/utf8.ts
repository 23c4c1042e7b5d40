const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/**
 * Where to cut `chunk` so that at most about `max` bytes are kept without splitting a UTF-8
 * character: backs off over continuation bytes (`10xxxxxx`) to the start of the character that
 * straddles `max`. When that character began in an earlier chunk, the cut moves forward past its
 * last bytes instead (keeping at most 3 bytes more), since its first bytes were already kept.
 */
export function utf8Boundary(chunk: Uint8Array, max: number): number {
  if (max >= chunk.length) return chunk.length;
  let cut = max;
  while (cut > 0 && cut > max - 3 && isContinuation(chunk[cut])) cut--;
  if (!isContinuation(chunk[cut])) return cut;
  if (cut > 0) return max; // not valid UTF-8: cut where asked
  let forward = 0;
  while (forward < 3 && isContinuation(chunk[forward])) forward++;
  return forward;
}

const EMPTY = new Uint8Array(0);

/**
 * The bytes at the end of `tail` that begin a character not complete yet (0 to 3 bytes): what a
 * UTF-8 decoder fed `tail` still holds back.
 */
export function incompleteSuffix(tail: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, tail.length); back++) {
    const byte = tail[tail.length - back]!;
    if (isContinuation(byte)) continue;
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? tail.subarray(tail.length - back) : EMPTY;
  }
  return EMPTY;
}

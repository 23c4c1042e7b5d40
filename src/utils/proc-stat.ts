/**
 * The one parser of `/proc/<pid>/stat` (Linux). The comm (field 2) is in parentheses and may
 * itself contain spaces and parentheses, so the fields are counted after the LAST `)`.
 */

/** Fields 3 (state), 5 (pgrp) and 22 (starttime) are at these indexes after the comm's `)`. */
const STATE = 3 - 3;
const PGRP = 5 - 3;
const START_TIME = 22 - 3;

const DIGITS = /^\d+$/;

/** What `/proc/<pid>/stat` tells about one process. */
export interface ProcessStat {
  /** One-letter state: `R`, `S`, `D`, `Z` (zombie), `T`, `X` (dead), ... */
  state: string;
  /** Field 5: the process group id. */
  pgrp: number;
  /** Field 22: clock ticks since boot when the process started. Stable for its whole life. */
  startTime: string;
}

/**
 * Parses the text of `/proc/<pid>/stat`.
 * @returns `undefined` when the text is not in that format.
 */
export function parseProcStat(text: string): ProcessStat | undefined {
  const end = text.lastIndexOf(')');
  if (end === -1) return undefined;
  const fields = text
    .slice(end + 1)
    .trim()
    .split(/\s+/);
  const state = fields[STATE];
  const pgrp = fields[PGRP];
  const startTime = fields[START_TIME];
  if (state === undefined || state === '' || pgrp === undefined || startTime === undefined) return undefined;
  if (!DIGITS.test(pgrp) || !DIGITS.test(startTime)) return undefined;
  return { state, pgrp: Number(pgrp), startTime };
}

/** True unless the process is a zombie (`Z`) or dead (`X`): it still runs and can still act. */
export function isLive(stat: ProcessStat): boolean {
  return stat.state !== 'Z' && stat.state !== 'X';
}

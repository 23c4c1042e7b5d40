import { readdir, readFile } from 'node:fs/promises';
import { isLive, parseProcStat } from '../utils/proc-stat.js';

/**
 * One pass over `/proc`. `mark` orders it against the caller's own actions (see {@link markNow}):
 * it was taken before anything was read, so every fact in `groups` dates from after every action
 * marked lower.
 */
export interface ProcScan {
  readonly mark: number;
  /** Process groups with a live (not zombie) member; `undefined` if `/proc` is unreadable. */
  readonly groups: Promise<Set<number> | undefined>;
}

/** A logical clock: exact ordering of signals and scans, whatever the timer resolution. */
let clock = 0;
/** The most recently started scan. */
let latest: ProcScan | undefined;
let scanning = false;
/** Callers waiting for a scan that has not started yet; they all share it. */
let waiting: ((scan: ProcScan) => void)[] = [];

/**
 * Returns a mark for "now": a scan with a greater mark started after this call. Take it right
 * after an action (a signal) whose effect the scan must show.
 */
export function markNow(): number {
  return ++clock;
}

/**
 * A scan of `/proc` that started after `since` (a {@link markNow} mark, or a previous scan's
 * mark). One scan serves every caller at about the same time: the latest one is reused when it is
 * recent enough, otherwise callers join the next one, which starts once the one in flight (if any)
 * has ended and the event loop has had a turn to gather more callers.
 */
export function scanAfter(since: number): Promise<ProcScan> {
  if (latest !== undefined && latest.mark > since) return Promise.resolve(latest);
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length === 1 && !scanning) setImmediate(startNext);
  });
}

function startNext(): void {
  if (scanning || waiting.length === 0) return;
  const callers = waiting;
  waiting = [];
  const scan: ProcScan = { mark: markNow(), groups: scanProc() };
  latest = scan;
  scanning = true;
  const done = () => {
    scanning = false;
    if (waiting.length > 0) setImmediate(startNext);
  };
  scan.groups.then(done, done);
  for (const resolve of callers) resolve(scan);
}

async function scanProc(): Promise<Set<number> | undefined> {
  const groups = new Set<number>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  await Promise.all(
    entries.map(async (entry) => {
      const first = entry.charCodeAt(0);
      if (first < 48 || first > 57) return;
      const stat = parseProcStat(await readFile(`/proc/${entry}/stat`, 'latin1').catch(() => ''));
      if (stat !== undefined && isLive(stat)) groups.add(stat.pgrp);
    }),
  );
  return groups;
}

import { execFileSync } from 'node:child_process';
import type { ExecutionEngine } from '../../src/index.js';
import { killGroup } from '../helpers/processes.js';

/** Live (non-zombie) processes, from one `ps` call, whose process group is one of `pgids`. */
export function liveMembersOf(pgids: Iterable<number>): string[] {
  const wanted = new Set([...pgids].map(String));
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  const live: string[] = [];
  for (const line of out.split('\n')) {
    const [pid, group, stat, ...args] = line.trim().split(/\s+/);
    if (group !== undefined && wanted.has(group) && stat !== undefined && !stat.startsWith('Z')) {
      live.push(`${pid} (group ${group}, ${stat}): ${args.join(' ')}`);
    }
  }
  return live;
}

/**
 * Records the process group of every execution `engine` starts, and SIGKILLs whatever is left of
 * them on `cleanup()`, so a failing test leaves nothing running.
 */
export function trackGroups(engine: ExecutionEngine): { pgids: Set<number>; cleanup: () => void } {
  const pgids = new Set<number>();
  engine.on('started', (event) => pgids.add(event.pid));
  return {
    pgids,
    cleanup: () => {
      for (const pgid of pgids) killGroup(pgid);
    },
  };
}

/**
 * Rejects after `ms` with an error saying `message()` (evaluated then) unless `promise` settles
 * first; the timer never outlives it.
 */
export async function within<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

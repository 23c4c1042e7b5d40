import type { InspectedExecution, JournalView } from '../inspect/inspect-types.js';

const COLUMNS = ['ID', 'STATUS', 'PID', 'ATTEMPT', 'PROGRESS', 'GROUP', 'UPDATED'] as const;

/**
 * The view as text: the owner, a table of executions (stale ones marked), unreadable files, and
 * the summary line `N running, N queued, N completed, N failed` (then timeout, cancelled and stale
 * counts when there are any), and when the journal has pipelines the line
 * `pipelines: N running, N completed, N failed, N cancelled`.
 */
export function formatStatus(view: JournalView, now: number): string {
  const lines: string[] = [`journal: ${view.dir}`, `owner: ${ownerText(view)}`, ''];
  if (view.executions.length === 0) {
    lines.push('no executions');
  } else {
    const rows = view.executions.map((execution) => row(execution, now));
    const widths = COLUMNS.map((title, i) =>
      Math.max(title.length, ...rows.map((cells) => cells[i]?.length ?? 0)),
    );
    const format = (cells: readonly string[]) =>
      cells
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    lines.push(format(COLUMNS), ...rows.map(format));
  }
  for (const { file, reason } of view.unreadable) lines.push(`unreadable: ${file}: ${reason}`);
  lines.push('', summary(view));
  if (view.pipelines.length > 0) lines.push(pipelineSummary(view));
  return `${lines.join('\n')}\n`;
}

function ownerText({ owner }: JournalView): string {
  if (owner === null) return 'none (no engine has it open)';
  return `pid ${owner.pid} (${owner.alive ? 'alive' : 'dead'})`;
}

function row(execution: InspectedExecution, now: number): string[] {
  const { progress } = execution;
  const percent = progress?.percent === undefined ? '' : `${Math.round(progress.percent)}%`;
  const progressText = [percent, progress?.message ?? ''].filter((part) => part !== '').join(' ');
  return [
    execution.id,
    execution.stale ? `${execution.status} (stale)` : execution.status,
    execution.pid === undefined ? '-' : String(execution.pid),
    execution.attempt === undefined ? '-' : String(execution.attempt),
    progressText === '' ? '-' : truncate(progressText, 40),
    execution.group ?? '-',
    age(now - execution.updatedAt.getTime()),
  ];
}

/** `N running, N queued, N completed, N failed`, then the other counts that are not zero. */
function summary({ counts, executions }: JournalView): string {
  const parts = [
    `${counts.running} running`,
    `${counts.queued} queued`,
    `${counts.completed} completed`,
    `${counts.failed} failed`,
  ];
  if (counts.timeout > 0) parts.push(`${counts.timeout} timeout`);
  if (counts.cancelled > 0) parts.push(`${counts.cancelled} cancelled`);
  const stale = executions.filter((execution) => execution.stale).length;
  if (stale > 0) parts.push(`${stale} stale`);
  return parts.join(', ');
}

/** `pipelines: N running, N completed, N failed, N cancelled`. */
function pipelineSummary({ pipelines }: JournalView): string {
  const count = (status: string) => pipelines.filter((pipeline) => pipeline.status === status).length;
  const parts = ['running', 'completed', 'failed', 'cancelled'].map((status) => `${count(status)} ${status}`);
  return `pipelines: ${parts.join(', ')}`;
}

function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

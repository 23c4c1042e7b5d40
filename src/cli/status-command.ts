import { inspectJournal } from '../inspect/inspect-journal.js';
import { type Command, type CommandIo, parseOptions, UsageError } from './command.js';
import { formatStatus } from './status-table.js';

/**
 * `execution-engine status --journal DIR [--json] [--stale-after MS]`: the executions of a journal
 * directory, read without its lock (while its engine runs or after it died), as a table with a
 * summary line, or as the JSON of `inspectJournal`.
 */
export const statusCommand: Command = {
  usage: 'status --journal DIR [--json] [--stale-after MS]',
  summary: "Show the executions of a journal directory, its owner's state and stale executions.",
  help: `Options:
  --journal DIR       the journal directory (required)
  --json              print the view as JSON instead of a table
  --stale-after MS    a running execution of a dead owner is stale after this long unchanged (default 60000)
`,
  async run(args: readonly string[], io: CommandIo): Promise<number> {
    const values = parseOptions(args, {
      journal: { type: 'string' },
      json: { type: 'boolean' },
      'stale-after': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      io.stdout.write(`Usage: execution-engine ${this.usage}\n${this.help}`);
      return 0;
    }
    const dir = values.journal;
    if (dir === undefined || dir === '') throw new UsageError('--journal DIR is required');
    const staleAfter = values['stale-after'];
    if (staleAfter !== undefined && !/^\d+$/.test(staleAfter)) {
      throw new UsageError(`--stale-after takes milliseconds (a non-negative integer), got '${staleAfter}'`);
    }
    const view = await inspectJournal(
      dir,
      staleAfter === undefined ? {} : { staleAfterMs: Number(staleAfter) },
    );
    io.stdout.write(
      values.json === true ? `${JSON.stringify(view, null, 2)}\n` : formatStatus(view, Date.now()),
    );
    return 0;
  },
};

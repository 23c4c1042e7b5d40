import { type CommandIo, UsageError } from './command.js';
import { serveCommand } from './serve-command.js';
import { statusCommand } from './status-command.js';
import { readVersion } from './version.js';

/** The subcommands, by name. A new one is one more entry. */
const COMMANDS = { serve: serveCommand, status: statusCommand } as const;

const indent = (text: string) => text.replace(/^(?=.)/gm, '      ');

const USAGE = `Usage: execution-engine <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((command) => `  ${command.usage}\n      ${command.summary}\n${indent(command.help)}`)
  .join('\n')}
Options:
  --help, -h       show this help
  --version, -v    show the version
`;

/**
 * Runs the CLI with `args` (without `node` and the script); resolves with the exit code: 0, 1 when
 * the command failed, 2 for bad arguments (with the usage on stderr).
 */
export async function main(args: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name as keyof typeof COMMANDS];
  if (command === undefined) {
    io.stderr.write(`execution-engine: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `execution-engine ${name}: ${error.message}\n\nUsage: execution-engine ${command.usage}\n${command.help}`,
      );
      return 2;
    }
    io.stderr.write(`execution-engine ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

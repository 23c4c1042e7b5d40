import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fixture } from '../../helpers/fixtures.js';

/**
 * Starts a host fixture of test-scripts/ (`node --import tsx <name> ...args`), collects the lines
 * it prints, and SIGKILLs it once a line satisfies `until` and `ready` has resolved (or when it
 * exits by itself). Resolves with the lines printed up to then.
 */
export async function killHostWhen(
  name: string,
  args: readonly string[],
  until: (line: string) => boolean,
  ready: () => Promise<unknown> = async () => {},
): Promise<string[]> {
  const host = spawn(process.execPath, ['--import', 'tsx', fixture(name), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let text = '';
  await new Promise<void>((resolve) => {
    host.stdout.on('data', (chunk: Buffer) => {
      text += String(chunk);
      const complete = text.split('\n');
      text = complete.pop() ?? '';
      for (const line of complete) {
        lines.push(line);
        if (until(line)) resolve();
      }
    });
    host.on('exit', () => resolve());
  });
  await ready();
  host.kill('SIGKILL');
  if (host.exitCode === null && host.signalCode === null) await once(host, 'exit');
  return lines;
}

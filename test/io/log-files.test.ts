import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type ExecutionResult, exec, type OversizedOutputStrategy } from '../../src/index.js';
import { fixture, node } from '../helpers/fixtures.js';
import { isOpenHere, largeOutput, outputEngine, printedText, tempDir } from '../helpers/output.js';
import { eventually } from '../helpers/processes.js';

const STRATEGIES: OversizedOutputStrategy[] = ['truncateWithWarning', 'streamToFile', 'failExecution'];

describe('log files in logDir', () => {
  test('every byte of both streams is logged to <logDir>/<id>.<stream>.log, named in the result', async () => {
    const logDir = tempDir();
    const engine = outputEngine({ logDir });
    const result = await engine.run({
      id: 'job-1',
      command: exec(node, [fixture('large-output.js'), '300000', 'both']),
    });
    expect(result.stdoutLogFile).toBe(join(logDir, 'job-1.stdout.log'));
    expect(result.stderrLogFile).toBe(join(logDir, 'job-1.stderr.log'));
    const expected = largeOutput(300_000);
    expect(readFileSync(result.stdoutLogFile!).equals(expected)).toBe(true);
    expect(readFileSync(result.stderrLogFile!).equals(expected)).toBe(true);
  });

  test.each(['truncateWithWarning', 'streamToFile'] as const)(
    'under %s the logs hold every byte, also beyond the limit',
    async (strategy) => {
      const logDir = tempDir();
      const engine = outputEngine({ logDir, maxOutputSizeBytes: 1000, oversizedOutputStrategy: strategy });
      const result = await engine.run({
        command: exec(node, [fixture('large-output.js'), '300000', 'both']),
      });
      expect(result.stdoutTruncated).toBe(true);
      const expected = largeOutput(300_000);
      expect(readFileSync(result.stdoutLogFile!).equals(expected)).toBe(true);
      expect(readFileSync(result.stderrLogFile!).equals(expected)).toBe(true);
    },
  );

  test('under failExecution the logs hold every byte read, beyond the limit, until the process was stopped', async () => {
    const logDir = tempDir();
    const engine = outputEngine({
      logDir,
      maxOutputSizeBytes: 1000,
      oversizedOutputStrategy: 'failExecution',
    });
    const id = await engine.execute({ command: exec(node, [fixture('flood.js'), 'stdout']) });
    const result = await engine.waitForCompletion(id);
    expect(result.error?.code).toBe('OUTPUT_SIZE_EXCEEDED');
    const logged = readFileSync(result.stdoutLogFile!, 'latin1');
    // The chunk that crossed the limit is logged whole.
    expect(logged.length).toBeGreaterThan(1000);
    const lastBreak = logged.lastIndexOf('\n');
    const lines = logged.slice(0, lastBreak).split('\n');
    expect(lines.every((line, i) => line === `line ${i + 1}`)).toBe(true);
    expect(`line ${lines.length + 1}\n`.startsWith(logged.slice(lastBreak + 1))).toBe(true);
    expect(readFileSync(result.stderrLogFile!, 'latin1')).toBe('');
  });

  test.each(STRATEGIES)(
    'under %s the log files are complete and closed before the terminal event',
    async (strategy) => {
      const logDir = tempDir();
      const engine = outputEngine({ logDir, maxOutputSizeBytes: 1000, oversizedOutputStrategy: strategy });
      let seen: { stdout: string; stderr: string; open: boolean[] } | undefined;
      const onEnd = ({ result }: { result: ExecutionResult }) => {
        const files = [result.stdoutLogFile!, result.stderrLogFile!];
        seen = {
          stdout: readFileSync(files[0]!, 'latin1'),
          stderr: readFileSync(files[1]!, 'latin1'),
          open: files.map(isOpenHere),
        };
      };
      engine.on('completed', onEnd);
      engine.on('failed', onEnd);
      const id = await engine.execute({ command: exec(node, [fixture('print-lines.js'), '20000', 'both']) });
      const result = await engine.waitForCompletion(id);
      expect(seen?.open).toEqual([false, false]);
      if (strategy === 'failExecution') {
        expect(result.status).toBe('failed');
        expect(printedText(20_000).startsWith(seen!.stdout)).toBe(true);
        expect(seen!.stdout + seen!.stderr).not.toBe('');
      } else {
        expect(seen).toMatchObject({ stdout: printedText(20_000), stderr: printedText(20_000) });
      }
    },
  );

  test('a missing logDir is created, nested directories included', async () => {
    const logDir = join(tempDir(), 'nested', 'logs');
    expect(existsSync(logDir)).toBe(false);
    const engine = outputEngine({ logDir });
    expect(existsSync(logDir)).toBe(true);
    const result = await engine.run({ id: 'nested', command: exec(node, [fixture('print-lines.js'), '3']) });
    expect(readFileSync(join(logDir, 'nested.stdout.log'), 'utf8')).toBe(printedText(3));
    expect(result.stdoutLogFile).toBe(join(logDir, 'nested.stdout.log'));
  });

  test('log files are the user\u2019s: removing the execution keeps them', async () => {
    const logDir = tempDir();
    // Overflow files outside logDir are deleted on removal: once that one is gone, a deletion of
    // the log files would have happened too.
    const other = outputEngine({ maxOutputSizeBytes: 100, oversizedOutputStrategy: 'streamToFile' });
    const engine = outputEngine({ logDir, maxOutputSizeBytes: 100, oversizedOutputStrategy: 'streamToFile' });
    const command = exec(node, [fixture('print-lines.js'), '100', 'both']);
    const [temporary, logged] = await Promise.all([other.run({ command }), engine.run({ command })]);
    other.removeExecution(temporary.id);
    engine.removeExecution(logged.id);
    expect(await eventually(() => !existsSync(temporary.stdoutOverflowFile!))).toBe(true);
    for (const file of [logged.stdoutLogFile!, logged.stderrLogFile!]) {
      expect(readFileSync(file, 'latin1')).toBe(printedText(100));
    }
    expect(existsSync(logged.stdoutOverflowFile!)).toBe(true);
  });
});

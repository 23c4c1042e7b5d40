import { describe, expect, test } from 'vitest';
import type { NormalizedRequest } from '../../src/arguments/normalize-request.js';
import { normalizeRequest } from '../../src/arguments/normalize-request.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type {
  ProcessDriver,
  RunListener,
  RunOptions,
  RunOutcome,
} from '../../src/execution/process-driver.js';
import { type ExecutionRequest, exec, shell } from '../../src/index.js';
import { fixture } from '../helpers/fixtures.js';
import { isAlive, liveGroupMembers } from '../helpers/processes.js';

/** Builds the driver under test for one request; `cleanup` runs after each test. */
export interface DriverFactory {
  create(request: NormalizedRequest, listener: RunListener, options: RunOptions): Promise<ProcessDriver>;
  cleanup(): Promise<void>;
  /**
   * The driver implements `writeInput`/`closeInput` (`stdin: 'pipe'`); the stdin tests are skipped
   * for one that does not (the journal's detached run has no pipe to the host).
   */
  input?: boolean;
}

/** Everything a driver reported, in order. */
interface Report {
  calls: string[];
  pid: number | undefined;
  stdout: string;
  stderr: string;
  outcome: Promise<RunOutcome>;
}

const OPTIONS: RunOptions = { killSignal: 'SIGTERM', killGraceMs: 300, killOnExit: true };

async function drive(factory: DriverFactory, request: ExecutionRequest, options = OPTIONS) {
  const normalized = await normalizeRequest(request, DEFAULT_CONFIG);
  let settle: (outcome: RunOutcome) => void = () => {};
  const report: Report = {
    calls: [],
    pid: undefined,
    stdout: '',
    stderr: '',
    outcome: new Promise((resolve) => {
      settle = resolve;
    }),
  };
  const listener: RunListener = {
    onSpawn: (pid) => {
      report.calls.push('spawn');
      report.pid = pid;
    },
    onChunk: (stream, chunk) => {
      if (report.calls.at(-1) !== 'chunk') report.calls.push('chunk');
      report[stream] += chunk.toString();
    },
    onStreamsEnd: async () => {
      report.calls.push('streamsEnd');
    },
    onEnd: (outcome) => {
      report.calls.push('end');
      settle(outcome);
    },
  };
  const driver = await factory.create(normalized, listener, options);
  driver.start();
  return { driver, report };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
};

/**
 * The contract of the `ProcessDriver` port: every implementation (the local process-group spawn,
 * the journal's detached run, and any later one such as a remote worker) passes these tests.
 */
export function processDriverConformance(name: string, factory: DriverFactory): void {
  describe(`ProcessDriver conformance: ${name}`, () => {
    test('reports the spawn, the output of each stream, the end of the streams, then the end once', async () => {
      const { report } = await drive(factory, { command: shell('echo out; echo err >&2; exit 3') });
      const outcome = await report.outcome;
      await factory.cleanup();
      expect(outcome).toMatchObject({ exitCode: 3, signal: null });
      expect(outcome.spawnError).toBeUndefined();
      expect(report.pid).toBeGreaterThan(0);
      expect(report.stdout).toBe('out\n');
      expect(report.stderr).toBe('err\n');
      expect(report.calls[0]).toBe('spawn');
      expect(report.calls.slice(-2)).toEqual(['streamsEnd', 'end']);
    });

    test('feeds the input to stdin', async () => {
      const { report } = await drive(factory, { command: exec('cat'), input: 'line one\nline two' });
      expect((await report.outcome).exitCode).toBe(0);
      await factory.cleanup();
      expect(report.stdout).toBe('line one\nline two');
    });

    describe.skipIf(factory.input !== true)("stdin: 'pipe' (writeInput, closeInput)", () => {
      test('writes reach stdin in order; closeInput gives EOF', async () => {
        const { driver, report } = await drive(factory, { command: exec('cat'), stdin: 'pipe' });
        await until(() => report.pid !== undefined);
        await driver.writeInput!('one\n');
        await driver.writeInput!(new TextEncoder().encode('two\n'));
        await Promise.all([driver.closeInput!(), driver.closeInput!()]);
        expect((await report.outcome).exitCode).toBe(0);
        await factory.cleanup();
        expect(report.stdout).toBe('one\ntwo\n');
        await expect(driver.closeInput!()).resolves.toBeUndefined();
      });

      test('writing after close or after the end rejects; nothing is thrown', async () => {
        const { driver, report } = await drive(factory, { command: exec('cat'), stdin: 'pipe' });
        await until(() => report.pid !== undefined);
        await driver.closeInput!();
        await expect(driver.writeInput!('late')).rejects.toThrow(/closed/);
        await report.outcome;
        await factory.cleanup();
        await expect(driver.writeInput!('later')).rejects.toThrow();
      });

      test('writing to a process that does not read its stdin rejects (EPIPE), never crashes', async () => {
        const { driver, report } = await drive(factory, {
          command: shell('exec 0<&-; sleep 0.3'),
          stdin: 'pipe',
        });
        await until(() => report.pid !== undefined);
        await expect(driver.writeInput!(new Uint8Array(1024 * 1024))).rejects.toThrow();
        expect((await report.outcome).exitCode).toBe(0);
        await factory.cleanup();
      });

      test('without stdin: pipe, writeInput and closeInput reject', async () => {
        const { driver, report } = await drive(factory, { command: exec('true') });
        await expect(driver.writeInput!('x')).rejects.toThrow(/stdin: 'pipe'/);
        await expect(driver.closeInput!()).rejects.toThrow(/stdin: 'pipe'/);
        await report.outcome;
        await factory.cleanup();
      });
    });

    test('a program that cannot start is reported through the end, never thrown', async () => {
      const { report } = await drive(factory, { command: exec('/nonexistent/program') });
      const outcome = await report.outcome;
      await factory.cleanup();
      expect(outcome.spawnError).toBeDefined();
      expect(report.calls).not.toContain('spawn');
      expect(report.calls.filter((call) => call === 'end')).toHaveLength(1);
    });

    test('terminate ends the whole process group and resolves once none of it is left', async () => {
      const { driver, report } = await drive(factory, {
        command: exec(fixture('spawn-grandchild.sh'), ['30']),
      });
      await until(() => report.stdout.includes('grandchild'));
      const grandchild = Number(report.stdout.split(' ')[1]);
      await Promise.all([driver.terminate(), driver.terminate()]);
      expect(liveGroupMembers(report.pid!)).toEqual([]);
      expect(isAlive(grandchild)).toBe(false);
      const outcome = await report.outcome;
      await factory.cleanup();
      expect(outcome.exitCode === null ? outcome.signal : outcome.exitCode).toBeTruthy();
      expect(report.calls.filter((call) => call === 'end')).toHaveLength(1);
    });

    test('a process that ignores the kill signal is killed with SIGKILL after the grace', async () => {
      const { driver, report } = await drive(factory, {
        command: exec(process.execPath, [fixture('ignore-sigterm.js')]),
      });
      await until(() => report.stdout.includes('ready'));
      const started = Date.now();
      await driver.terminate();
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(liveGroupMembers(report.pid!)).toEqual([]);
      await report.outcome;
      await factory.cleanup();
    });

    test('terminate after the end does nothing and resolves', async () => {
      const { driver, report } = await drive(factory, { command: exec('true') });
      await report.outcome;
      await expect(driver.terminate()).resolves.toBeUndefined();
      await factory.cleanup();
      expect(report.calls.filter((call) => call === 'end')).toHaveLength(1);
    });
  });
}

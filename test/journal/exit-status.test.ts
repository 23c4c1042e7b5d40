import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { decodeExitStatus, parseExitFile, readExitFile } from '../../src/journal/exit-status.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

afterEach(async () => {
  await removeTempDirs();
});

describe('decodeExitStatus / parseExitFile', () => {
  test.each([
    [0, { exitCode: 0, signal: null }],
    [3, { exitCode: 3, signal: null }],
    [127, { exitCode: 127, signal: null }],
    [128, { exitCode: 128, signal: null }],
    [130, { exitCode: null, signal: 'SIGINT' }],
    [137, { exitCode: null, signal: 'SIGKILL' }],
    [143, { exitCode: null, signal: 'SIGTERM' }],
    [200, { exitCode: 200, signal: null }],
    [255, { exitCode: 255, signal: null }],
  ])('status %i decodes to %o', (status, expected) => {
    expect(decodeExitStatus(status)).toEqual(expected);
    expect(parseExitFile(`${status}\n`)).toEqual(expected);
  });

  test.each(['', '\n', 'x', '256\n', '-1', '1 2', '1.5', '0x1'])(
    'the malformed exit file %j parses to undefined',
    (text) => {
      expect(parseExitFile(text)).toBeUndefined();
    },
  );
});

describe('readExitFile', () => {
  test('returns the decoded status with the file time, or undefined while there is no file', async () => {
    const path = join(await makeTempDir(), 'x.exit');
    expect(await readExitFile(path)).toBeUndefined();
    await writeFile(path, '3\n');
    expect(await readExitFile(path)).toEqual({ exitCode: 3, signal: null, completedAt: expect.any(Date) });
  });

  test('rethrows errors other than a missing file', async () => {
    await expect(readExitFile(await makeTempDir())).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

import { describe, expect, test } from 'vitest';
import { InvalidConfigError } from '../../src/errors.js';
import { assertJournalSupported, HOST_PLATFORM } from '../../src/spawn/platform.js';

describe('platform', () => {
  test('HOST_PLATFORM is the platform this process runs on', () => {
    expect(HOST_PLATFORM).toBe(process.platform);
  });

  test('a journal on Windows is an InvalidConfigError naming `journal`', () => {
    expect(() => assertJournalSupported('win32')).toThrow(InvalidConfigError);
    expect(() => assertJournalSupported('win32')).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        key: 'journal',
        message: expect.stringContaining('Windows'),
      }),
    );
  });

  test.each(['linux', 'darwin', 'freebsd'] as const)('a journal on %s is accepted', (platform) => {
    expect(() => assertJournalSupported(platform)).not.toThrow();
  });

  test('without an argument, the host platform decides', () => {
    if (process.platform === 'win32') expect(() => assertJournalSupported()).toThrow(InvalidConfigError);
    else expect(() => assertJournalSupported()).not.toThrow();
  });
});

import { describe, expect, test } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/journal/record-codec.js';
import { makeRecord } from './helpers/records.js';

describe('encodeRecord / decodeRecord', () => {
  test('a full record survives the round trip as readable, indented JSON', () => {
    const record = makeRecord({
      status: 'completed',
      startedAt: '2025-01-01T00:00:01.000Z',
      completedAt: '2025-01-01T00:00:02.000Z',
      deadline: 1_735_689_901_000,
      pid: 42,
      pgid: 42,
      procStartTime: '123456',
      bootId: 'b0',
      exitCode: 0,
      signal: null,
      error: { code: 'LOST', message: 'gone' },
      stdoutLogFile: '/j/exec-1.stdout.log',
      stderrLogFile: '/j/exec-1.stderr.log',
      request: {
        command: { type: 'shell', command: 'echo hi' },
        cwd: '/tmp',
        env: { A: '1' },
        inheritEnv: false,
        inputBase64: 'aGk=',
        timeoutMs: 1000,
        metadata: { user: 'u' },
        schedule: 'nightly',
      },
    });
    const text = encodeRecord(record);
    expect(text).toContain('\n  "id": "exec-1",\n');
    expect(text.endsWith('}\n')).toBe(true);
    expect(decodeRecord(text, 'exec-1')).toEqual({ record });
  });

  const valid = encodeRecord(makeRecord());
  test.each([
    ['an empty file', '', 'empty file'],
    ['truncated JSON', valid.slice(0, valid.length / 2), 'invalid JSON'],
    ['garbage bytes', '\u0000\uFFFD\u0001garbage\u00ff', 'invalid JSON'],
    ['a JSON array', '[1, 2]', 'not a JSON object'],
    ['another version', encodeRecord({ ...makeRecord(), version: 3 }), 'unsupported version 3'],
    ['an invalid id', encodeRecord(makeRecord({ id: 'a/b' })), '`id` is missing or invalid'],
    ['an unknown status', encodeRecord({ ...makeRecord(), status: 'paused' as 'queued' }), '`status`'],
    ['a command without args', JSON.stringify({ ...makeRecord(), command: { file: 'x' } }), '`command`'],
    ['a missing request', JSON.stringify({ ...makeRecord(), request: undefined }), '`request.command`'],
    ['a missing createdAt', JSON.stringify({ ...makeRecord(), createdAt: 5 }), '`createdAt`'],
    ['a string pid', JSON.stringify({ ...makeRecord(), pid: '42' }), '`pid` is not an integer'],
    ['a bad exitCode', JSON.stringify({ ...makeRecord(), exitCode: 'x' }), '`exitCode`'],
    ['a bad error', JSON.stringify({ ...makeRecord(), error: { code: 1 } }), '`error`'],
    [
      'a bad env',
      JSON.stringify({ ...makeRecord(), request: { ...makeRecord().request, env: [] } }),
      '`env`',
    ],
    [
      'a bad schedule',
      JSON.stringify({ ...makeRecord(), request: { ...makeRecord().request, schedule: 5 } }),
      '`schedule` is not a string',
    ],
  ])('reports %s with a reason instead of throwing', (_, text, reason) => {
    const result = decodeRecord(text, 'exec-1');
    expect(result).toEqual({ reason: expect.stringContaining(reason) });
  });

  test('reports a record whose id differs from its file name', () => {
    expect(decodeRecord(valid, 'other')).toEqual({ reason: '`id` exec-1 does not match the file name' });
  });
});

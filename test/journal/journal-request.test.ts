import { describe, expect, test } from 'vitest';
import { fromJournalRequest, toJournalRequest } from '../../src/journal/journal-request.js';
import type { ExecutionRequest } from '../../src/types.js';

describe('toJournalRequest / fromJournalRequest', () => {
  test('keeps what is needed to run the request again, with input as base64', () => {
    const request: ExecutionRequest = {
      id: 'r1',
      command: { type: 'exec', program: 'cat' },
      cwd: '/tmp',
      env: { ONLY: 'mine' },
      inheritEnv: false,
      input: 'héllo\n',
      timeoutMs: 5000,
      metadata: { job: 7 },
    };
    const stored = toJournalRequest(request);
    expect(stored).toEqual({
      command: { type: 'exec', program: 'cat' },
      cwd: '/tmp',
      env: { ONLY: 'mine' },
      inheritEnv: false,
      inputBase64: Buffer.from('héllo\n').toString('base64'),
      timeoutMs: 5000,
      metadata: { job: 7 },
    });
    const back = fromJournalRequest('r1', JSON.parse(JSON.stringify(stored)));
    expect({ ...back, input: undefined }).toEqual({ ...request, input: undefined });
    expect(Buffer.from(back.input as Uint8Array).toString()).toBe('héllo\n');
  });

  test('stores only the request env, never process.env, and leaves absent fields absent', () => {
    const stored = toJournalRequest({ command: { type: 'shell', command: 'true' } });
    expect(stored).toEqual({ command: { type: 'shell', command: 'true' } });
    expect(Object.keys(fromJournalRequest('x', stored))).toEqual(['id', 'command']);
  });

  test('binary input survives byte for byte', () => {
    const input = new Uint8Array([0, 255, 128, 10]);
    const stored = toJournalRequest({ command: { type: 'exec', program: 'cat' }, input });
    expect(fromJournalRequest('x', stored).input).toEqual(input);
  });
});

import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FileFollower } from '../../src/journal/file-follower.js';
import { buildWrapperCommand, spawnWrapper } from '../../src/journal/wrapper.js';
import { killStarted, track, waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

const followers: FileFollower[] = [];

/** Follows `path`, collecting every chunk. */
function follow(path: string, options: ConstructorParameters<typeof FileFollower>[2] = {}) {
  const chunks: Buffer[] = [];
  const follower = new FileFollower(path, (chunk) => chunks.push(chunk), options);
  followers.push(follower);
  return { follower, chunks, text: () => Buffer.concat(chunks).toString() };
}

afterEach(async () => {
  await Promise.all(followers.splice(0).map((follower) => follower.stop()));
  killStarted();
  await removeTempDirs();
});

describe('FileFollower', () => {
  test('delivers appended data in order as the file grows', async () => {
    const path = join(await makeTempDir(), 'out.log');
    await writeFile(path, 'one\n');
    const { follower, text } = follow(path);
    await waitFor(() => text() === 'one\n');
    await appendFile(path, 'two\n');
    await waitFor(() => text() === 'one\ntwo\n');
    await appendFile(path, 'three');
    await follower.stop();
    expect(text()).toBe('one\ntwo\nthree');
    expect(follower.offset).toBe(13);
  });

  test('starts from the given offset', async () => {
    const path = join(await makeTempDir(), 'out.log');
    await writeFile(path, 'already seen|new');
    const { follower, text } = follow(path, { offset: 13 });
    await follower.stop();
    expect(text()).toBe('new');
  });

  test('waits for a file that does not exist yet', async () => {
    const path = join(await makeTempDir(), 'later.log');
    const { follower, text } = follow(path, { pollIntervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await writeFile(path, 'hello');
    await waitFor(() => text() === 'hello');
    await follower.stop();
  });

  test('stop drains what was written just before it, even without a change notice', async () => {
    const path = join(await makeTempDir(), 'out.log');
    await writeFile(path, '');
    const { follower, text } = follow(path, { pollIntervalMs: 60_000 });
    await appendFile(path, 'last words');
    await follower.stop();
    expect(text()).toBe('last words');
  });

  test('reads a large file in pieces of at most 64 KiB and loses nothing', async () => {
    const path = join(await makeTempDir(), 'big.log');
    const data = Buffer.alloc(1024 * 1024 + 7, 'abcdefghij');
    await writeFile(path, data);
    const { follower, chunks } = follow(path);
    await follower.stop();
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  test('an error thrown by the callback is reported and following goes on', async () => {
    const path = join(await makeTempDir(), 'out.log');
    await writeFile(path, 'a');
    const errors: unknown[] = [];
    let calls = 0;
    const follower = new FileFollower(
      path,
      () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
      },
      { onError: (error) => errors.push(error) },
    );
    followers.push(follower);
    await waitFor(() => calls === 1);
    await appendFile(path, 'b');
    await follower.stop();
    expect(calls).toBe(2);
    expect(errors).toEqual([new Error('boom')]);
  });

  test('pause holds delivery back and resume catches up', async () => {
    const path = join(await makeTempDir(), 'out.log');
    await writeFile(path, 'a');
    const { follower, text } = follow(path, { pollIntervalMs: 10 });
    await waitFor(() => text() === 'a');
    follower.pause();
    await appendFile(path, 'b');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(text()).toBe('a');
    follower.resume();
    await waitFor(() => text() === 'ab');
    follower.pause();
    await appendFile(path, 'c');
    await follower.stop();
    expect(text()).toBe('abc');
  });

  test('stop is idempotent and the follower delivers nothing afterwards', async () => {
    const path = join(await makeTempDir(), 'out.log');
    await writeFile(path, 'x');
    const { follower, text } = follow(path, { pollIntervalMs: 10 });
    await Promise.all([follower.stop(), follower.stop()]);
    await appendFile(path, 'y');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(text()).toBe('x');
  });

  test('follows the live output of a wrapped process until its exit file appears', async () => {
    const dir = await makeTempDir();
    const files = {
      stdoutLog: join(dir, 'a.out'),
      stderrLog: join(dir, 'a.err'),
      exitFile: join(dir, 'a.exit'),
    };
    const script = 'for i in 1 2 3 4 5; do echo "line $i"; sleep 0.05; done';
    const { child } = spawnWrapper(buildWrapperCommand({ file: '/bin/sh', args: ['-c', script] }, files));
    track(child.pid);
    const { follower, text } = follow(files.stdoutLog);
    await waitFor(() => text().startsWith('line 1\n'));
    expect(text()).not.toContain('line 5');
    await new Promise((resolve) => child.on('exit', resolve));
    await follower.stop();
    expect(text()).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
  });
});

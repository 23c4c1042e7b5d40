import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.js';

describe("exposeEngine without MessageChannelMain, in Electron's main process", () => {
  it('loads MessageChannelMain from the electron module on the first request', async () => {
    // A stand-in `electron` module whose MessageChannelMain is Node's MessageChannel.
    const dir = await mkdtemp(join(tmpdir(), 'electron-module-'));
    try {
      await mkdir(join(dir, 'electron'));
      await writeFile(
        join(dir, 'electron', 'index.js'),
        "exports.MessageChannelMain = require('node:worker_threads').MessageChannel;\n",
      );
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', fixture('electron-main-host.ts')],
        { env: { ...process.env, NODE_PATH: dir } },
      );
      expect(JSON.parse(stdout)).toEqual({ connections: 1, running: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

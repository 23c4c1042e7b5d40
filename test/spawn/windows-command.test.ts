import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { NormalizedRequest } from '../../src/arguments/normalize-request.js';
import { spawnArguments } from '../../src/spawn/spawn-process.js';
import { resolveWindowsCommand } from '../../src/spawn/windows-command.js';

// No real Windows here. cross-spawn (and its `which`, `isexe`, `path-key`) read `process.platform`
// when they are loaded or called, and the engine loads cross-spawn on first use: this file
// pretends to be win32 while that happens and during each call (`onWindows`), so the resolution
// below is cross-spawn's real Windows logic (PATHEXT, cmd.exe escaping, `Path` casing), on POSIX
// paths. The engine's own Windows branches take the platform as a parameter. (Not covered this
// way: shebang scripts without an extension, which cross-spawn finds with `path.delimiter`, a `:`
// on this host.)
const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;

/** Runs `fn` (synchronous) with `process.platform` reading `win32`. */
function onWindows<T>(fn: () => T): T {
  Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
  try {
    return fn();
  } finally {
    Object.defineProperty(process, 'platform', platform);
  }
}
let dir: string;
let bin: string;
let shims: string;

beforeAll(() => {
  const require = createRequire(import.meta.url);
  for (const key of Object.keys(require.cache)) {
    if (
      /[\\/]node_modules[\\/](cross-spawn|which|isexe|path-key|shebang-command|shebang-regex)[\\/]/.test(key)
    ) {
      delete require.cache[key];
    }
  }
  onWindows(() => {
    dir = mkdtempSync(join(tmpdir(), 'ee-windows-'));
    bin = join(dir, 'bin');
    shims = join(dir, 'project', 'node_modules', '.bin');
    mkdirSync(bin);
    mkdirSync(shims, { recursive: true });
    for (const file of ['tool.CMD', 'legacy.BAT', 'native.EXE', 'both.CMD', 'both.EXE', 'cmd.exe']) {
      writeFileSync(join(bin, file), '@echo off\r\n');
    }
    writeFileSync(join(shims, 'eslint.CMD'), '@echo off\r\n');
    // The first call loads cross-spawn, as a Windows host would.
    resolveWindowsCommand('tool', [], { env: { Path: bin } });
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const COMSPEC = process.env.comspec ?? 'cmd.exe';

const windowsCommand = (...args: Parameters<typeof resolveWindowsCommand>) =>
  onWindows(() => resolveWindowsCommand(...args));
const windowsSpawn = (...args: Parameters<typeof spawnArguments>) => onWindows(() => spawnArguments(...args));

/** A request as normalizeRequest builds it, for `file args` (only what spawning reads). */
function request(file: string, args: string[], env: NodeJS.ProcessEnv, verbatim = false): NormalizedRequest {
  return {
    id: undefined,
    command: { type: 'exec', program: file, args },
    spawn: { file, args, verbatim },
    cwd: undefined,
    env,
    input: undefined,
    stdin: 'ignore',
    timeoutMs: 1000,
    killSignal: 'SIGTERM',
    killGraceMs: 5000,
    signal: undefined,
    metadata: undefined,
    progress: undefined,
    admission: { priority: undefined, group: undefined, queueTimeoutMs: undefined },
    request: { command: { type: 'exec', program: file, args } },
  };
}

describe('Windows command resolution (cross-spawn)', () => {
  test('a .cmd shim found through PATHEXT runs through cmd.exe, every argument escaped for it', () => {
    const resolved = windowsCommand('tool', ['hello world', 'a&b', 'say "hi"', '%PATH%'], {
      env: { Path: bin },
    });
    expect(resolved.file).toBe(COMSPEC);
    expect(resolved.args).toEqual([
      '/d',
      '/s',
      '/c',
      '"tool ^"hello^ world^" ^"a^&b^" ^"say^ \\^"hi\\^"^" ^"^%PATH^%^""',
    ]);
    expect(resolved.options.windowsVerbatimArguments).toBe(true);
  });

  test('a .bat file is run through cmd.exe too', () => {
    const resolved = windowsCommand('legacy', ['x'], { env: { Path: bin } });
    expect(resolved.file).toBe(COMSPEC);
    expect(resolved.args).toEqual(['/d', '/s', '/c', '"legacy ^"x^""']);
  });

  test("a shim in node_modules/.bin gets cmd.exe's metacharacters escaped twice (it re-parses them)", () => {
    const resolved = windowsCommand('eslint', ['a&b'], { env: { Path: shims } });
    expect(resolved.args.at(-1)).toBe('"eslint ^^^"a^^^&b^^^""');
  });

  test('an .exe is spawned directly, its arguments untouched', () => {
    const options = { env: { Path: bin }, windowsVerbatimArguments: false };
    expect(windowsCommand('native', ['a b', 'c&d'], options)).toEqual({
      file: 'native',
      args: ['a b', 'c&d'],
      options,
    });
  });

  test('PATHEXT order decides: .EXE before .CMD by default', () => {
    expect(windowsCommand('both', [], { env: { Path: bin } }).file).toBe('both');
  });

  test.each(['Path', 'PATH', 'path'])(
    'the program is looked up on the `%s` of the environment it gets',
    (key) => {
      expect(windowsCommand('tool', [], { env: { [key]: bin } }).file).toBe(COMSPEC);
      expect(() => windowsCommand('tool', [], { env: { [key]: shims } })).toThrow(
        expect.objectContaining({ code: 'ENOENT' }),
      );
    },
  );

  test('a program that is not found is a spawn error (ENOENT), not a cmd.exe exit code', () => {
    expect(() => windowsCommand('missing-program', ['x'], { env: { Path: bin } })).toThrow(
      expect.objectContaining({
        code: 'ENOENT',
        path: 'missing-program',
        message: 'spawn missing-program ENOENT',
      }),
    );
  });
});

describe('spawnArguments (platform injected)', () => {
  test('win32: no process group, the window hidden, the program resolved by cross-spawn', () => {
    const [file, args, options] = windowsSpawn(request('tool', ['x'], { Path: bin }), 'win32');
    expect(file).toBe(COMSPEC);
    expect(args).toEqual(['/d', '/s', '/c', '"tool ^"x^""']);
    expect(options).toMatchObject({ detached: false, windowsHide: true, windowsVerbatimArguments: true });
    expect(options.env).toEqual({ Path: bin });
  });

  test('win32: the shell kind (cmd.exe /d /s /c "…", verbatim) passes through unchanged', () => {
    const shellArgs = ['/d', '/s', '/c', '"echo a && echo b"'];
    const [file, args, options] = windowsSpawn(request('cmd.exe', shellArgs, { Path: bin }, true), 'win32');
    expect([file, args]).toEqual(['cmd.exe', shellArgs]);
    expect(options.windowsVerbatimArguments).toBe(true);
  });

  test('win32: a missing program throws ENOENT, which the run reports as SPAWN_FAILED', () => {
    expect(() => windowsSpawn(request('missing-program', [], { Path: bin }), 'win32')).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });

  test('POSIX: the program as given, in a process group of its own; cross-spawn is not involved', () => {
    const [file, args, options] = spawnArguments(request('missing-program', ['a b'], { PATH: bin }), 'linux');
    expect([file, args]).toEqual(['missing-program', ['a b']]);
    expect(options).toMatchObject({
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsVerbatimArguments: false,
    });
  });
});

import { open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { InvalidRequestError } from '../errors.js';
import type { ScriptCommand } from '../types.js';
import { checkArgs, checkOptionalString, checkString } from '../utils/checks.js';
import type { CommandSnapshot } from './resolved-command.js';

/** Interpreters chosen by extension when a script has no shebang. */
const BY_EXTENSION: Record<string, string> = {
  '.sh': '/bin/sh',
  '.bash': 'bash',
  '.py': 'python3',
  '.js': process.execPath,
  '.mjs': process.execPath,
  '.cjs': process.execPath,
  '.rb': 'ruby',
  '.ps1': 'pwsh',
};

/**
 * The environment to spawn `file` with: under Electron (`process.versions.electron`), a process
 * spawned with `process.execPath` (the Electron binary; the `script` kind's Node for `.js`, `.mjs`
 * and `.cjs` files) gets `ELECTRON_RUN_AS_NODE=1`, so it runs as Node rather than as another
 * Electron app. Anything else gets `env` as it is (`undefined`: exactly `process.env`).
 */
export function withElectronRunAsNode(
  file: string,
  env: NodeJS.ProcessEnv | undefined,
): NodeJS.ProcessEnv | undefined {
  if (process.versions.electron === undefined || file !== process.execPath) return env;
  return { ...(env ?? process.env), ELECTRON_RUN_AS_NODE: '1' };
}

/** Reads the first line of the file when it starts with `#!`. */
async function readShebang(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new InvalidRequestError('command.path', `Script \`${path}\` ${reason}`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InvalidRequestError('command.path', `Script \`${path}\` is not a file`);
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.toString('utf8', 0, bytesRead);
    if (!head.startsWith('#!')) return undefined;
    const end = head.search(/\r?\n/);
    return head.slice(2, end === -1 ? undefined : end).trim() || undefined;
  } finally {
    await handle.close();
  }
}

/**
 * The interpreter for a script: `interpreter` if given, else the shebang (its first word is the
 * program and the rest one argument, as Linux does), else the extension. Reads each field once.
 */
export async function resolveScript(
  command: ScriptCommand,
  cwd: string | undefined,
): Promise<CommandSnapshot> {
  const given = checkString('command.path', command.path, { nonEmpty: true });
  const givenArgs = command.args;
  const args = checkArgs('command.args', givenArgs);
  const interpreter = checkOptionalString('command.interpreter', command.interpreter);
  const snapshot: ScriptCommand = { type: 'script', path: given };
  if (interpreter !== undefined) snapshot.interpreter = interpreter;
  if (givenArgs !== undefined) snapshot.args = [...args];
  const spawn = (file: string, spawnArgs: string[]) => ({
    command: snapshot,
    spawn: { file, args: spawnArgs, verbatim: false },
  });
  const path = resolve(cwd ?? process.cwd(), given);
  const shebang = await readShebang(path);
  if (interpreter !== undefined) return spawn(interpreter, [path, ...args]);
  if (shebang !== undefined) {
    const space = shebang.search(/[ \t]/);
    if (space === -1) return spawn(shebang, [path, ...args]);
    const option = shebang.slice(space + 1).trim();
    return spawn(shebang.slice(0, space), [option, path, ...args]);
  }
  const byExtension = BY_EXTENSION[extname(path).toLowerCase()];
  if (byExtension === undefined) {
    throw new InvalidRequestError(
      'command.path',
      `Cannot choose an interpreter for script \`${given}\`: it has no shebang and an unknown extension; set \`interpreter\``,
    );
  }
  const viaPwsh = byExtension === 'pwsh' ? ['-NoProfile', '-File'] : [];
  return spawn(byExtension, [...viaPwsh, path, ...args]);
}

#!/usr/bin/env node
// Builds the `execution-engine` command as one executable with Node's single executable
// applications (SEA), named as Tauri's `bundle.externalBin` wants it:
//   src-tauri/binaries/execution-engine-<target triple>[.exe]
//
//   node scripts/build-sidecar.mjs [--cli <path to execution-engine's dist/cli.js>]
//
// Steps: bundle the command and its dependencies into one CommonJS file (a SEA runs one
// CommonJS script; esbuild), make the blob (`node --experimental-sea-config sea-config.json`),
// copy this Node binary, inject the blob (`npx postject`). Run it on each platform you ship
// (a SEA is this Node binary: it is built for the platform it is built on). Needs Node >= 20,
// esbuild, and postject (fetched by npx). On macOS the copy is unsigned first and signed ad hoc
// after; sign it with your identity for distribution.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { cli: { type: 'string' } } });
const cli =
  values.cli ??
  join(dirname(createRequire(import.meta.url).resolve('execution-engine/package.json')), 'dist', 'cli.js');

/** Tauri's name for this machine's target (what `rustc -vV` prints as `host`). */
function targetTriple() {
  try {
    return /host: (\S+)/.exec(execFileSync('rustc', ['-vV'], { encoding: 'utf8' }))[1];
  } catch {
    const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch] ?? process.arch;
    const os = { linux: 'unknown-linux-gnu', darwin: 'apple-darwin', win32: 'pc-windows-msvc' }[
      process.platform
    ];
    return `${arch}-${os}`;
  }
}

const run = (file, args) => execFileSync(file, args, { cwd: here, stdio: 'inherit' });

// 1. One CommonJS file. `import.meta.url` has no CommonJS equivalent: the executable's own path
// stands in (the version then reads `unknown`; nothing else in the command needs it).
await build({
  entryPoints: [cli],
  outfile: join(here, 'build', 'sidecar.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__sidecar_url' },
  banner: { js: 'const __sidecar_url = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});

// 2. The blob (paths in sea-config.json are relative to this directory).
run(process.execPath, ['--experimental-sea-config', 'sea-config.json']);

// 3. A copy of this Node, with the blob injected.
const extension = process.platform === 'win32' ? '.exe' : '';
const binary = join(here, 'src-tauri', 'binaries', `execution-engine-${targetTriple()}${extension}`);
mkdirSync(dirname(binary), { recursive: true });
copyFileSync(process.execPath, binary);
chmodSync(binary, 0o755);
if (process.platform === 'darwin') run('codesign', ['--remove-signature', binary]);
const fuse = ['--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'];
const macho = process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [];
run(process.platform === 'win32' ? 'npx.cmd' : 'npx', [
  '--yes',
  'postject@1.0.0-alpha.6',
  binary,
  'NODE_SEA_BLOB',
  join('build', 'sidecar.blob'),
  ...fuse,
  ...macho,
]);
if (process.platform === 'darwin') run('codesign', ['--sign', '-', binary]);
console.log(`built ${binary}`);

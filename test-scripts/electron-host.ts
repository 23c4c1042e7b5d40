// A host app for the Electron tests (test/commands/script-electron.test.ts).
// Usage: node --import tsx electron-host.ts <electron|node>
// With `electron`, pretends to be Electron's main process (`process.versions.electron`, defined
// before the engine is imported), then runs print-env.js several ways and prints one JSON object:
// what each saw as ELECTRON_RUN_AS_NODE.
import { writeSync } from 'node:fs';

if (process.argv[2] === 'electron') {
  Object.defineProperty(process.versions, 'electron', { value: '30.0.0', enumerable: true });
}
const { ExecutionEngine, exec, script, shell } = await import('../src/index.js');

const here = new URL('.', import.meta.url).pathname;
const printEnv = `${here}print-env.js`;
const engine = new ExecutionEngine();
const seen = async (command: Parameters<typeof engine.run>[0]) =>
  JSON.parse((await engine.run(command)).stdout).ELECTRON_RUN_AS_NODE as string | null;

const results = {
  // The script kind's Node for a .js file is process.execPath.
  script: await seen({ command: script(printEnv, { args: ['ELECTRON_RUN_AS_NODE'] }) }),
  scriptWithoutInheritedEnv: await seen({
    command: script(printEnv, { args: ['ELECTRON_RUN_AS_NODE'] }),
    inheritEnv: false,
  }),
  execPath: await seen({ command: exec(process.execPath, [printEnv, 'ELECTRON_RUN_AS_NODE']) }),
  // Not spawned with process.execPath (`/bin/sh`): the variable is not added (`unset`).
  otherProgram: (await engine.run({ command: shell('echo "$ELECTRON_RUN_AS_NODE" | grep . || echo unset') }))
    .stdout,
  hostEnv: process.env.ELECTRON_RUN_AS_NODE ?? null,
};
writeSync(1, `${JSON.stringify(results)}\n`);

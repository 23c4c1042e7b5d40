// A host app for the exit-hook tests (test/terminate/exit-hook.test.ts).
// Usage: node --import tsx exit-hook-host.ts <mode> [signal]
// Starts a process tree (spawn-grandchild.sh), prints `{"pid":…,"grandchild":…}` once it runs, then:
//   own-listener <signal>  the app handles <signal> itself: it prints `handled alive` (or `handled
//                          gone`) depending on whether the tree is still there, then exits with 0;
//   library <signal>       another library also hooks the exit with its own copy of signal-exit
//                          (the CommonJS build, a second instance); waits to be signalled;
//   exit-listener          the app has an `exit` listener that prints `exit-listener alive` (or
//                          `gone`) for the tree, then the host calls process.exit(0).
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ExecutionEngine, exec } from '../src/index.js';

const [mode = 'exit-listener', signal = 'SIGTERM'] = process.argv.slice(2);
const engine = new ExecutionEngine();
const here = new URL('.', import.meta.url).pathname;
const print = (line: string) => writeSync(1, `${line}\n`);
const treeState = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return 'alive';
  } catch {
    return 'gone';
  }
};

engine.on('stdout', (event) => {
  if (!event.line.startsWith('grandchild')) return;
  const pid = engine.getExecution(event.executionId).pid!;
  if (mode === 'own-listener') {
    process.on(signal, () => {
      print(`handled ${treeState(pid)}`);
      setTimeout(() => process.exit(0), 50);
    });
  } else if (mode === 'library') {
    const { onExit } = createRequire(import.meta.url)('signal-exit') as typeof import('signal-exit');
    onExit(() => print('library hook ran'));
  } else {
    process.on('exit', () => print(`exit-listener ${treeState(pid)}`));
  }
  print(JSON.stringify({ pid, grandchild: Number(event.line.split(' ')[1]) }));
  if (mode === 'exit-listener') process.exit(0);
});
await engine.execute({ command: exec(`${here}spawn-grandchild.sh`, ['30']) });

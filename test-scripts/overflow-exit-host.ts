// A host app for the overflow-file cleanup tests (test/io/overflow-files.test.ts).
// Usage: node --import tsx overflow-exit-host.ts <end|exit|signal>
// Runs a command whose output overflows to a temporary file (`streamToFile`, no `logDir`), prints
// `{"file":…,"exists":…}`, keeps the execution (its file stays), then:
//   end     does nothing more: Node exits by itself (the engine is idle);
//   exit    calls process.exit(0);
//   signal  waits to be signalled (SIGTERM from the test).
import { existsSync, writeSync } from 'node:fs';
import { ExecutionEngine, exec } from '../src/index.js';

const mode = process.argv[2] ?? 'end';
const here = new URL('.', import.meta.url).pathname;
const engine = new ExecutionEngine({ maxOutputSizeBytes: 1000, oversizedOutputStrategy: 'streamToFile' });
const result = await engine.run({ command: exec(process.execPath, [`${here}print-lines.js`, '2000']) });
const file = result.stdoutOverflowFile;
writeSync(1, `${JSON.stringify({ file, exists: file !== undefined && existsSync(file) })}\n`);
if (mode === 'exit') process.exit(0);
if (mode === 'signal') setInterval(() => {}, 1000);

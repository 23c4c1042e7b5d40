/**
 * Quick start: run several commands at once, watch their output live, then summarise.
 *
 *   npm run demo            (or: npx tsx examples/quickstart.ts)
 *
 * Shows: shell and exec commands, live per-line output prefixed per execution, a command
 * writing to stderr, a non-zero exit code, a program that does not exist, a timeout, a
 * cancel, and a summary table built from the results. Colour is used only on a terminal,
 * and never when NO_COLOR is set.
 */
import { ExecutionEngine, type ExecutionEvent, type ExecutionResult, exec, shell } from 'execution-engine';

// --- A few ANSI helpers (no dependency) -------------------------------------------------------

// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const dim = (text: string) => paint(2, text);
const red = (text: string) => paint(31, text);
// One colour per execution, so interleaved lines stay readable.
const PALETTE = [36, 33, 35, 32, 34, 96, 93, 95];

// --- The engine ------------------------------------------------------------------------------

// Every option has a default; these two keep the demo snappy. `killGraceMs` is how long a
// process gets between SIGTERM and SIGKILL when the engine stops it (timeout or cancel).
const engine = new ExecutionEngine({ maxConcurrentExecutions: 10, killGraceMs: 1000 });

// --- Live output -----------------------------------------------------------------------------

// `metadata` given with a request is copied onto every event of that execution, so we use it to
// carry a short display name. Each execution gets a colour the first time we see it.
const colours = new Map<string, number>();
function prefix(event: ExecutionEvent): string {
  let colour = colours.get(event.executionId);
  if (colour === undefined) {
    colour = PALETTE[colours.size % PALETTE.length] ?? 36;
    colours.set(event.executionId, colour);
  }
  const name = String(event.metadata?.name ?? event.executionId.slice(-8));
  return paint(colour, `[${name.padEnd(8)}]`);
}

// One listener per event type, typed by eventemitter3: `event.line` exists on stdout/stderr only.
engine.on('started', (e) => console.log(`${prefix(e)} ${dim(`started, pid ${e.pid}`)}`));
engine.on('stdout', (e) => console.log(`${prefix(e)} ${e.line}`));
engine.on('stderr', (e) => console.log(`${prefix(e)} ${red(e.line)}`));

// The four terminal events: exactly one per execution, always its last event.
engine.on('completed', (e) => console.log(`${prefix(e)} ${dim(`exited with code ${e.result.exitCode}`)}`));
engine.on('failed', (e) => console.log(`${prefix(e)} ${red(`failed: ${e.error.code}`)}`));
engine.on('timeout', (e) => console.log(`${prefix(e)} ${red(`timed out after ${e.timeoutMs} ms`)}`));
engine.on('cancelled', (e) => console.log(`${prefix(e)} ${dim(`cancelled (${e.reason ?? 'no reason'})`)}`));

// --- The commands ----------------------------------------------------------------------------

// What we show in the summary's "command" column, by execution id.
const shown = new Map<string, string>();

async function start(name: string, display: string, request: Parameters<ExecutionEngine['execute']>[0]) {
  // `execute` resolves with the id as soon as the execution is registered; the process runs in
  // the background. It throws only for an invalid request (or a full queue).
  const id = await engine.execute({ ...request, metadata: { name } });
  shown.set(id, display);
  return id;
}

// A shell command: pipes, loops and `&&` work. It prints a line every 200 ms.
const ticker = 'for i in 1 2 3 4 5; do echo "tick $i"; sleep 0.2; done';
await start('ticker', ticker, { command: shell(ticker) });

// `exec` runs a program directly with its arguments: no shell, so nothing needs quoting.
// (process.execPath is the Node running this demo; `exec('node', [...])` works too.)
const nodeCode = "for (const n of [1, 2, 3]) console.log('node says', n)";
await start('node', `node -e "${nodeCode}"`, { command: exec(process.execPath, ['-e', nodeCode]) });

// Lines written to stderr arrive as `stderr` events and end up in `result.stderr`.
const warn = 'echo "checking disk"; echo "warning: disk 91% full" >&2; echo "check done"';
await start('stderr', warn, { command: shell(warn) });

// A non-zero exit code is still `completed` (the process ended by itself); `success` is false.
const fail = 'echo "about to fail"; sleep 0.3; exit 3';
await start('exit 3', fail, { command: shell(fail) });

// A program that does not exist: `execute` does not throw; the execution ends `failed` with
// `error.code === 'SPAWN_FAILED'`.
await start('missing', 'no-such-program --help', { command: exec('no-such-program', ['--help']) });

// The timeout counts from the spawn. When it passes, the whole process group gets SIGTERM
// (then SIGKILL after killGraceMs) and the execution ends `timeout`.
await start('timeout', 'sleep 5 (timeoutMs 1000)', { command: exec('sleep', ['5']), timeoutMs: 1000 });

// A long job that we cancel after 1.5 s. The shell and its `sleep` child are in one process
// group, so cancelling stops both; `cancel` resolves once the status is `cancelled`.
const long = 'echo "long job started"; sleep 30; echo "never printed"';
const longId = await start('cancel', long, { command: shell(long) });
setTimeout(() => {
  void engine.cancel(longId, 'demo cancels after 1.5 s');
}, 1500);

// --- Wait and summarise ----------------------------------------------------------------------

// `waitForCompletion` resolves for every terminal status (it never rejects because a command
// failed), so Promise.all is safe here.
const results = await Promise.all(engine.list().map((snapshot) => engine.waitForCompletion(snapshot.id)));

const lineCount = (text: string) => (text === '' ? 0 : text.split('\n').length);
const rows = results.map((r: ExecutionResult) => [
  // UUID v7 ids start with a timestamp, so the random tail tells them apart.
  r.id.slice(-8),
  truncate(shown.get(r.id) ?? r.command.file, 44),
  r.status,
  r.exitCode === null ? '-' : String(r.exitCode),
  `${r.durationMs} ms`,
  String(lineCount(r.stdout) + lineCount(r.stderr)),
]);
printTable(['id', 'command', 'status', 'exit', 'duration', 'lines'], rows);

const stats = engine.stats();
console.log(
  `\n${stats.completed} completed, ${stats.failed} failed, ${stats.timeout} timed out, ${stats.cancelled} cancelled`,
);

// Not strictly needed (an idle engine never keeps Node alive), but a good habit: stop accepting
// work and stop the cleanup timer. Node then exits by itself.
await engine.shutdown();

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const format = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(`\n${paint(1, format(header))}`);
  console.log(dim(widths.map((w) => '-'.repeat(w)).join('  ')));
  for (const row of body) console.log(format(row));
}

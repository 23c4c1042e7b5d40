/**
 * A Transport for `EngineClient` over the engine's sidecar, spawned with Tauri's shell plugin:
 * `Command.sidecar('binaries/execution-engine', ['serve', '--stdio'])`. The sidecar speaks
 * JSON-RPC, one message per line; Tauri hands the frontend each stdout line whole (without its
 * newline), which is exactly one message. The lines are turned into the events of a port, and
 * `messagePortTransport` of `execution-engine/client` does the rest (requests, notifications,
 * batches, errors rebuilt as the engine's classes).
 */
import { type EngineClient, messagePortTransport, type Transport } from 'execution-engine/client';

/** What this file uses of `Command` from `@tauri-apps/plugin-shell` (its class has these members). */
export interface SidecarCommand {
  readonly stdout: { on(event: 'data', listener: (line: string) => void): unknown };
  readonly stderr: { on(event: 'data', listener: (line: string) => void): unknown };
  on(event: 'close', listener: (payload: { code: number | null; signal: number | null }) => void): unknown;
  on(event: 'error', listener: (error: string) => void): unknown;
  spawn(): Promise<SidecarChild>;
}

/** What this file uses of the shell plugin's `Child`. */
export interface SidecarChild {
  readonly pid: number;
  write(data: string): Promise<void>;
  kill(): Promise<void>;
}

type PortListener = (event: { data: unknown }) => void;

/**
 * Spawns `command` and connects a transport to it. `child.write` sends each message as one line;
 * each stdout line is parsed as one message (a line that is not JSON is logged and skipped);
 * stderr (the sidecar's logs) goes to `onLog`. When the sidecar exits, pending calls fail.
 */
export async function sidecarTransport(
  command: SidecarCommand,
  onLog: (line: string) => void = (line) => console.debug(`[engine] ${line}`),
): Promise<{ transport: Transport; child: SidecarChild }> {
  const listeners = { message: new Set<PortListener>(), close: new Set<PortListener>() };
  const emit = (type: 'message' | 'close', data?: unknown) => {
    for (const listener of listeners[type]) listener({ data });
  };
  command.stdout.on('data', (output) => {
    // One line per event in Tauri 2; split anyway, in case a version hands over several.
    for (const line of output.split('\n')) {
      if (line.trim() === '') continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        onLog(`not a protocol message: ${line.slice(0, 200)}`);
        continue;
      }
      emit('message', message);
    }
  });
  command.stderr.on('data', onLog);
  command.on('error', (error) => onLog(`sidecar error: ${error}`));
  command.on('close', () => emit('close'));
  const child = await command.spawn();
  const port = {
    postMessage(message: unknown) {
      child.write(`${JSON.stringify(message)}\n`).catch((error: unknown) => onLog(`cannot write: ${error}`));
    },
    addEventListener(type: string, listener: PortListener) {
      if (type === 'message' || type === 'close') listeners[type].add(listener);
    },
    removeEventListener(type: string, listener: PortListener) {
      if (type === 'message' || type === 'close') listeners[type].delete(listener);
    },
    start() {},
    close() {},
  };
  return { transport: messagePortTransport(port), child };
}

/**
 * Stops the sidecar without leaving commands behind. Tauri's `kill()` is SIGKILL, which gives
 * the sidecar no time to stop its commands, so they are cancelled first (their process trees
 * killed by the engine), then the sidecar. When the app itself quits there is nothing to do: the
 * sidecar sees its stdin close and shuts down by itself.
 */
export async function stopSidecar(client: EngineClient, child: SidecarChild): Promise<void> {
  const live = await client.list({ status: ['queued', 'running'] });
  await Promise.all(live.map(async ({ id }) => client.cancel(id, 'the app stopped the engine')));
  await Promise.all(
    live.map(async ({ id }) => client.waitForCompletion(id, { timeoutMs: 10_000 }).catch(() => {})),
  );
  await client.close();
  await child.kill();
}

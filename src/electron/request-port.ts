import type { MessagePortLike } from '../protocol/message-port.js';
import type { IpcRendererEventLike, IpcRendererLike } from './electron-shapes.js';

/**
 * Asks the main process for a port on `channel` (answered by `exposeEngine`). The request carries
 * a random nonce, so that each of several requests of one renderer gets its own answer.
 * Rejects after `timeoutMs` when nothing answers.
 */
export function requestPort(
  ipcRenderer: IpcRendererLike,
  channel: string,
  timeoutMs: number,
): Promise<MessagePortLike> {
  const nonce = globalThis.crypto.randomUUID();
  return new Promise((resolve, reject) => {
    const onAnswer = (event: IpcRendererEventLike, answer?: unknown): void => {
      if ((answer as { nonce?: unknown } | null | undefined)?.nonce !== nonce) return;
      stop();
      const port = event.ports[0];
      if (port === undefined) reject(new Error(`The answer on \`${channel}\` carried no port`));
      else resolve(port);
    };
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(
          `No engine answered on \`${channel}\` within ${timeoutMs} ms: call exposeEngine(engine, { ipcMain }) in the main process`,
        ),
      );
    }, timeoutMs);
    const stop = (): void => {
      clearTimeout(timer);
      ipcRenderer.removeListener(channel, onAnswer);
    };
    ipcRenderer.on(channel, onAnswer);
    ipcRenderer.send(channel, { nonce });
  });
}

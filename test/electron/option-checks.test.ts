import { describe, expect, it } from 'vitest';
import { exposeEngine, exposeEngineClient, quitAfterShutdown } from '../../src/electron/index.js';
import { InvalidConfigError } from '../../src/index.js';
import { FakeApp, fakeContextBridge, fakeIpc, MessageChannelMainStandIn } from '../helpers/electron-fakes.js';
import { createEngine } from '../helpers/engine.js';

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
};

describe('the Electron bridge refuses bad options, registering nothing', () => {
  it.each([
    [
      'ipcMain',
      { ipcMain: {} },
      "Expected `ipcMain` to be Electron's ipcMain, got `[object Object]` (object)",
    ],
    ['channel', { channel: '' }, 'Expected `channel` to be a non-empty string, got `""` (string)'],
    [
      'flushIntervalMs',
      { flushIntervalMs: -1 },
      'Expected `flushIntervalMs` to be a non-negative integer (milliseconds), got `-1` (number)',
    ],
    ['allowSender', { allowSender: true }, 'Expected `allowSender` to be a function, got `true` (boolean)'],
    [
      'allowRequest',
      { allowRequest: 'exec' },
      'Expected `allowRequest` to be a function, got `"exec"` (string)',
    ],
    [
      'MessageChannelMain',
      { MessageChannelMain: undefined },
      "Expected `MessageChannelMain` to be given outside Electron's main process (`electron` is only loaded there), got `undefined` (undefined)",
    ],
  ])('exposeEngine: %s', (key, bad, message) => {
    const { ipcMain } = fakeIpc();
    const options = { ipcMain, MessageChannelMain: MessageChannelMainStandIn, ...bad } as never;
    const error = thrown(() => exposeEngine(createEngine(), options));
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toMatchObject({ key, message });
    expect(ipcMain.listenerCount('execution-engine')).toBe(0);
  });

  it.each([
    [
      'contextBridge',
      { contextBridge: null },
      "Expected `contextBridge` to be Electron's contextBridge, got `null` (null)",
    ],
    [
      'ipcRenderer',
      { ipcRenderer: { send() {} } },
      "Expected `ipcRenderer` to be Electron's ipcRenderer, got `[object Object]` (object)",
    ],
    ['key', { key: 7 }, 'Expected `key` to be a non-empty string, got `7` (number)'],
    [
      'connectTimeoutMs',
      { connectTimeoutMs: 0 },
      'Expected `connectTimeoutMs` to be a positive integer (milliseconds), got `0` (number)',
    ],
  ])('exposeEngineClient: %s', (key, bad, message) => {
    const { window, contextBridge } = fakeContextBridge();
    let sent = 0;
    const ipcRenderer = { ...fakeIpc().renderer(), send: () => sent++ };
    const error = thrown(() => exposeEngineClient({ contextBridge, ipcRenderer, ...bad } as never));
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toMatchObject({ key, message });
    expect(window).toEqual({});
    expect(sent).toBe(0);
  });

  it('quitAfterShutdown: app and graceMs', () => {
    const engine = createEngine();
    expect(thrown(() => quitAfterShutdown({} as never, engine))).toMatchObject({ key: 'app' });
    const app = new FakeApp();
    expect(thrown(() => quitAfterShutdown(app, engine, { graceMs: 1.5 }))).toMatchObject({
      key: 'graceMs',
      message: 'Expected `graceMs` to be a non-negative integer (milliseconds), got `1.5` (number)',
    });
    expect(app.listenerCount('before-quit')).toBe(0);
  });
});

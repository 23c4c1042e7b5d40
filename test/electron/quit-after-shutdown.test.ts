import { describe, expect, it } from 'vitest';
import { quitAfterShutdown } from '../../src/electron/index.js';
import { exec } from '../../src/index.js';
import { FakeApp } from '../helpers/electron-fakes.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { isAlive } from '../helpers/processes.js';

describe('quitAfterShutdown', () => {
  it('holds the quit until the engine has shut down and its commands are gone, then quits', async () => {
    const engine = createEngine();
    const app = new FakeApp();
    quitAfterShutdown(app, engine, { graceMs: 200 });
    const id = await engine.execute({ command: exec(node, [fixture('ignore-sigterm.js')]) });
    for await (const event of engine.subscribe(id)) if (event.type === 'stdout') break; // `ready`
    const { pid } = engine.getExecution(id);
    let shutDownAt = 0;
    void engine.waitForCompletion(id).then(() => {
      shutDownAt = Date.now();
    });
    app.quit();
    app.quit(); // the user insists while it shuts down: still one shutdown, one real quit
    await app.quitted;
    const quitAt = Date.now();
    expect(engine.getStatus(id)).toBe('cancelled');
    expect(isAlive(pid!)).toBe(false);
    expect(shutDownAt).toBeGreaterThan(0);
    expect(shutDownAt).toBeLessThanOrEqual(quitAt);
    expect(app.quitAttempts).toBe(3); // two cancelled, the one after shutdown let through
  });

  it('the returned function removes the hook: the app quits at once', async () => {
    const engine = createEngine();
    const app = new FakeApp();
    const remove = quitAfterShutdown(app, engine);
    remove();
    app.quit();
    await app.quitted;
    expect(app.quitAttempts).toBe(1);
    await expect(engine.execute({ command: exec(node, ['-e', '']) })).resolves.toBeTypeOf('string');
  });
});

import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { startServer } from '../helpers/http.js';

// The page functions below run in Chromium; the tests compile without the DOM library.
declare const document: {
  getElementById(id: string): { scrollTop: number; scrollHeight: number } | null;
  querySelector(selector: string): { getBoundingClientRect(): { left: number; right: number } } | null;
  querySelectorAll(selector: string): { length: number };
};
declare function requestAnimationFrame(callback: (time: number) => void): number;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`Chromium is required in CI (${CHROMIUM}): apt-get install chromium`);
if (!available) console.warn(`Skipping the dashboard browser tests: no Chromium at ${CHROMIUM}`);

let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  return page;
}

/** Waits until the list shows `count` rows (it is redrawn on the next frame). */
async function rows(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('#rows tr').length === n, count);
}

describe.skipIf(!available)('the dashboard in Chromium', () => {
  it('shows executions live, streams the selected output, and cancels', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const page = await open(`${server.url}?access_token=${server.token}`);
    await page.waitForSelector('#app:not([hidden])');
    expect(new URL(page.url()).search).toBe(''); // the token leaves the address bar
    const id = await engine.execute({ command: exec('cat'), stdin: 'pipe', group: 'tools' });
    const row = page.locator(`tr[data-id="${id}"]`);
    await row.locator('.status-running').waitFor();
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('tools');
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden])');
    // A long command is cut in its cell: the table never runs under the output pane.
    await engine.execute({ command: shell(`sleep 30 # ${'x'.repeat(300)}`) });
    await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 2);
    const edges = await page.evaluate(() => ({
      table: document.querySelector('main > section table')!.getBoundingClientRect().right,
      detail: document.querySelector('#detail')!.getBoundingClientRect().left,
    }));
    expect(edges.table).toBeLessThanOrEqual(edges.detail);
    await engine.writeInput(id, 'hello from stdin\n');
    await page.locator('#visible div', { hasText: 'hello from stdin' }).waitFor();
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await cancel.click();
    await row.locator('.status-cancelled').waitFor();
    expect(engine.getStatus(id)).toBe('cancelled');
    expect(await cancel.isDisabled()).toBe(true);
  }, 60_000);

  it('lists pipelines with their steps, states and dependencies, updated live', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const page = await open(`${server.url}?access_token=${server.token}`);
    await page.waitForSelector('#app:not([hidden])');
    expect(await page.locator('#pipelines-section').isHidden()).toBe(true);
    await engine.startPipeline({
      id: 'release',
      steps: [
        { key: 'build', request: { command: exec('sleep', ['30']) } },
        { key: 'deploy', request: { command: exec('true') }, dependsOn: ['build'] },
      ],
    });
    const item = page.locator('#pipelines > li[data-id="release"]');
    await item.locator('li[data-step="build"] .status-running').waitFor();
    await expect(item.locator('li[data-step="deploy"]').textContent()).resolves.toBe(
      'deploy pending after build',
    );
    await engine.cancelPipeline('release');
    await item.locator('li[data-step="deploy"] .status-skipped').waitFor();
    await item.locator('li[data-step="build"] .status-cancelled').waitFor();
    await expect(item.locator('> div').textContent()).resolves.toBe('release cancelled 2/2 steps ended');
  }, 60_000);

  it('tells stderr from stdout, filters, and stays responsive at 100,000 lines', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const page = await open(`${server.url}?access_token=${server.token}`);
    await page.waitForSelector('#app:not([hidden])');
    const big = await engine.execute({ command: exec(node, [fixture('print-lines.js'), '100000']) });
    const mixed = await engine.execute({
      command: exec(node, [fixture('print-then-wait.js'), '3']),
      group: 'g2',
    });
    await page.locator(`tr[data-id="${mixed}"]`).click();
    await page.locator('#visible div.stderr', { hasText: 'err 3' }).waitFor();
    expect(await page.locator('#visible div:not(.stderr)', { hasText: 'line 3' }).count()).toBe(1);
    await page.locator(`tr[data-id="${big}"] .status-completed`).waitFor();
    await page.locator(`tr[data-id="${big}"]`).click();
    await page.locator('#detail-lines', { hasText: '100000 lines' }).waitFor();
    // Windowed: a few dozen rows in the DOM, whatever the count, and the last line in view.
    expect(await page.locator('#visible div').count()).toBeLessThan(200);
    await page.locator('#visible div', { hasText: 'line 100000' }).waitFor();
    const took = await page.evaluate(async () => {
      const box = document.getElementById('output')!;
      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        box.scrollTop = (i * box.scrollHeight) / 20;
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return performance.now() - started;
    });
    expect(took).toBeLessThan(5000); // 20 scroll jumps, each drawn in its own frame
    await page.locator('#visible div', { hasText: /^line 95001$/ }).waitFor();
    await page.getByLabel('Group').selectOption('g2');
    await rows(page, 1);
    await page.getByLabel('Group').selectOption('');
    await page.getByLabel('Search').fill(big.slice(-8));
    await rows(page, 1);
    await page.getByLabel('Status').selectOption('running');
    await rows(page, 0);
  }, 90_000);

  it('asks for the token once when the URL has none, and keeps it for the tab', async () => {
    const engine = createEngine();
    const server = await startServer(engine, { basePath: '/ui' });
    const page = await open(server.url.replace(/\/$/, '')); // redirected to the base path with a slash
    await page.getByLabel('Access token').fill('wrong-token-wrong-token');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.locator('#login-error', { hasText: 'refused' }).waitFor();
    await page.getByLabel('Access token').fill(server.token!);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#app:not([hidden])');
    await page.reload();
    await page.waitForSelector('#app:not([hidden])'); // no question the second time
    expect(await page.locator('#login').isHidden()).toBe(true);
  }, 60_000);
});

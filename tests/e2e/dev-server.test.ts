// `npm run dev` serves a working app too: the README's first command.
// Starts Vite's dev server on a free port and types into a terminal.
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { freePort } from '../support/ports.ts';
import { waitFor } from '../support/wait.ts';

const root = path.resolve(import.meta.dirname, '../..');
let vite: ChildProcess | undefined;
let exited = false;
let browser: Browser | undefined;
let url = '';

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}/`;
  vite = spawn(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: root,
    stdio: 'ignore',
  });
  vite.once('exit', () => (exited = true));
  await waitFor('the Vite dev server', async () => {
    if (exited) throw new Error('vite exited');
    try {
      return (await fetch(url)).ok;
    } catch {
      return false;
    }
  }, 60_000);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (vite && !exited) {
    vite.kill('SIGTERM');
    await waitFor('vite to exit', () => exited, 10_000).catch(() => vite?.kill('SIGKILL'));
  }
});

it('npm run dev shows three terminals, and PING typed into 6381 prints PONG', async () => {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  const text = (p: number) =>
    page.evaluate((port) => (globalThis as { __replscopeTerminalText?: Record<number, () => string> }).__replscopeTerminalText?.[port]?.() ?? '', p);
  for (const port of [6379, 6380, 6381]) {
    await expect.poll(() => text(port), { timeout: 30_000, interval: 100 }).toContain(`127.0.0.1:${port}>`);
  }
  await page.locator('[data-testid="terminal-6381"]').click();
  await page.keyboard.type('PING');
  await page.keyboard.press('Enter');
  await expect.poll(() => text(6381), { timeout: 10_000, interval: 50 }).toContain('PONG');
  expect(errors).toEqual([]);
});

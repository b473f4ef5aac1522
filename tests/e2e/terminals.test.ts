// Browser test on the built app: the page starts the worker, shows a
// redis-cli terminal per node, and a command typed into one is answered
// through the engine. Screenshots go to test-artifacts/e2e/.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { serveStatic } from '../support/static-server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'test-artifacts/e2e');
let browser: Browser;
let page: Page;
let site: Awaited<ReturnType<typeof serveStatic>>;
const pageErrors: string[] = [];

beforeAll(async () => {
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  fs.mkdirSync(artifacts, { recursive: true });
  site = await serveStatic(path.join(root, 'dist'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(site.url);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A node's terminal text, wrapped rows joined (the page's test hook). */
async function terminalText(port: number): Promise<string> {
  return page.evaluate(
    (p) => (globalThis as { __replscopeTerminalText?: Record<number, () => string> }).__replscopeTerminalText?.[p]?.() ?? '',
    port,
  );
}

async function waitForTerminal(port: number, text: string): Promise<void> {
  await expect.poll(() => terminalText(port), { timeout: 10_000, interval: 50 }).toContain(text);
}

async function typeLine(port: number, line: string): Promise<void> {
  await page.locator(`[data-testid="terminal-${port}"]`).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe('the page', () => {
  it('shows a region and a connected terminal for each of the three nodes', async () => {
    for (const port of [6379, 6380, 6381]) {
      await expect.poll(() => page.getByRole('region', { name: `Node ${port}` }).count(), { timeout: 10_000 }).toBe(1);
      await waitForTerminal(port, `127.0.0.1:${port}>`);
    }
    await page.screenshot({ path: path.join(artifacts, '01-three-terminals.png') });
  });

  it('answers PING typed into the 6380 terminal with PONG', async () => {
    await typeLine(6380, 'PING');
    await waitForTerminal(6380, 'PONG');
    await page.screenshot({ path: path.join(artifacts, '02-ping-6380.png') });
  });

  it('prints ECHO "a b" as redis-cli does, quoted', async () => {
    await typeLine(6380, 'ECHO "a b"');
    await waitForTerminal(6380, '"a b"');
  });

  it('prints an unknown command error as redis-cli does', async () => {
    await typeLine(6379, 'FOO bar');
    await waitForTerminal(6379, "(error) ERR unknown command 'FOO', with args beginning with: 'bar'");
    await page.screenshot({ path: path.join(artifacts, '03-errors.png') });
  });

  it('kills 6380 with its button: the terminal cannot connect, as redis-cli shows it; Start brings it back', async () => {
    await page.getByRole('button', { name: 'Kill 6380' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Start 6380' }).count(), { timeout: 10_000 }).toBe(1);
    // As redis-cli: the dead connection shows at the next command, then connecting is refused.
    await typeLine(6380, 'PING');
    await waitForTerminal(6380, '127.0.0.1:6380> PING\nError: Server closed the connection\nnot connected>');
    await typeLine(6380, 'PING');
    await waitForTerminal(6380, 'not connected> PING\nCould not connect to Redis at 127.0.0.1:6380: Connection refused\nnot connected>');
    await page.screenshot({ path: path.join(artifacts, '04-killed-6380.png') });
    await page.getByRole('button', { name: 'Start 6380' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Kill 6380' }).count(), { timeout: 10_000 }).toBe(1);
    await typeLine(6380, 'ECHO back');
    await waitForTerminal(6380, 'not connected> ECHO back\n"back"\n127.0.0.1:6380>');
  });

  it('adds a node with Add node: 6382 gets a region and a terminal that answers', async () => {
    await page.getByRole('button', { name: 'Add node' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Node 6382' }).count(), { timeout: 10_000 }).toBe(1);
    await waitForTerminal(6382, '127.0.0.1:6382>');
    await typeLine(6382, 'PING');
    await waitForTerminal(6382, 'PONG');
    // The other terminals kept what they showed.
    await waitForTerminal(6379, "(error) ERR unknown command 'FOO'");
    await page.screenshot({ path: path.join(artifacts, '05-added-6382.png'), fullPage: true });
  });

  it('raised no error in the page or the worker', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

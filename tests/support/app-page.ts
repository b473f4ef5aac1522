// The built app in Debian's Chromium, for browser tests: vite build, the
// dist/ folder served on a free port, one page, and the terminal helpers
// (the page's test hook for what a terminal shows, typing a line into one).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { serveStatic } from './static-server.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const ARTIFACTS = path.join(root, 'test-artifacts/e2e');

export interface AppPage {
  page: Page;
  /** Uncaught errors the page reported. */
  pageErrors: string[];
  /** The paths the page and its worker fetched so far. */
  served: readonly string[];
  close(): Promise<void>;
}

export async function openBuiltApp(viewport: { width: number; height: number }): Promise<AppPage> {
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const site = await serveStatic(path.join(root, 'dist'));
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(site.url);
    const opened = browser;
    return {
      page,
      pageErrors,
      served: site.served,
      close: async () => {
        await opened.close();
        await site.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await site.close();
    throw e;
  }
}

/** A node's terminal text, wrapped rows joined (the page's test hook). */
export function terminalText(page: Page, port: number): Promise<string> {
  return page.evaluate(
    (p) => (globalThis as { __replscopeTerminalText?: Record<number, () => string> }).__replscopeTerminalText?.[p]?.() ?? '',
    port,
  );
}

export async function typeLine(page: Page, port: number, line: string): Promise<void> {
  await page.locator(`[data-testid="terminal-${port}"]`).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Drops a file on an element as a user dragging it from their desktop would (dragover, then drop, with a DataTransfer holding it). */
export async function dropFile(target: Locator, name: string, bytes: Uint8Array): Promise<void> {
  const data = await target.page().evaluateHandle(
    ({ name, bytes }) => {
      // Runs in the page (these tests are type-checked without the DOM's types).
      const page = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
      };
      const transfer = new page.DataTransfer();
      transfer.items.add(new page.File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' }));
      return transfer;
    },
    { name, bytes: [...bytes] },
  );
  await target.dispatchEvent('dragenter', { dataTransfer: data });
  await target.dispatchEvent('dragover', { dataTransfer: data });
  await target.dispatchEvent('drop', { dataTransfer: data });
  await data.dispose();
}

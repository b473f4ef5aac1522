// Browser test on the built app: the page starts the worker, shows a
// redis-cli terminal per node, and a command typed into one is answered
// through the engine. Screenshots go to test-artifacts/e2e/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openBuiltApp, terminalText as textOf, typeLine as typeInto, type AppPage } from '../support/app-page.ts';

const artifacts = ARTIFACTS;
let app: AppPage;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  // A common desktop screen.
  app = await openBuiltApp({ width: 1440, height: 900 });
  page = app.page;
  pageErrors = app.pageErrors;
});

afterAll(async () => {
  await app?.close();
});

const terminalText = (port: number) => textOf(page, port);

async function waitForTerminal(port: number, text: string): Promise<void> {
  await expect.poll(() => terminalText(port), { timeout: 10_000, interval: 50 }).toContain(text);
}

const typeLine = (port: number, line: string) => typeInto(page, port, line);

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

  it('replicates: REPLICAOF typed into 6381 draws a link to 6379 that reaches connected, and a SET on 6379 is read on 6381', async () => {
    await typeLine(6381, 'REPLICAOF 127.0.0.1 6379');
    await waitForTerminal(6381, 'REPLICAOF 127.0.0.1 6379\nOK');
    const link = page.locator('[data-testid="link-6381-6379"]');
    await expect.poll(() => link.count(), { timeout: 10_000 }).toBe(1);
    // The diskless fork waits 5 s of virtual time; the page runs at wall-clock speed.
    await expect.poll(() => link.getAttribute('aria-label'), { timeout: 20_000, interval: 100 }).toBe('Link 6381 to 6379: connected');
    await typeLine(6379, 'SET replicated yes');
    await waitForTerminal(6379, 'SET replicated yes\nOK');
    await expect
      .poll(async () => {
        await typeLine(6381, 'GET replicated');
        return terminalText(6381);
      }, { timeout: 10_000, interval: 500 })
      .toContain('GET replicated\n"yes"');
    await typeLine(6381, 'ROLE');
    await waitForTerminal(6381, '1) "slave"\n2) "127.0.0.1"\n3) (integer) 6379\n4) "connected"');
    await page.screenshot({ path: path.join(artifacts, '06-replica-6381.png'), fullPage: true });
  });

  it('raised no error in the page or the worker', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

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

  it('fetches a lazy part of the engine on first use: the geo commands, and the replica runs the GEOSEARCHSTORE it gets', async () => {
    const geoChunks = () => app.served.filter((p) => /^\/assets\/geo-.*\.js$/.test(p));
    expect(geoChunks()).toEqual([]);
    await typeLine(6379, 'GEOADD places 13.361389 38.115556 Palermo 15.087269 37.502669 Catania');
    await waitForTerminal(6379, 'Catania\n(integer) 2');
    expect(geoChunks()).toHaveLength(1);
    await typeLine(6379, 'GEOSEARCHSTORE near places FROMLONLAT 15 37 BYRADIUS 200 km ASC');
    await waitForTerminal(6379, 'ASC\n(integer) 2');
    await expect
      .poll(async () => {
        await typeLine(6381, 'ZRANGE near 0 -1');
        return terminalText(6381);
      }, { timeout: 10_000, interval: 500 })
      .toContain('ZRANGE near 0 -1\n1) "Palermo"\n2) "Catania"');
    await typeLine(6381, 'MEMORY USAGE near');
    await waitForTerminal(6381, 'MEMORY USAGE near\n(integer) ');
  });

  it('prints INFO raw, as redis-cli prints it, not as a quoted string', async () => {
    await typeLine(6381, 'INFO replication');
    await waitForTerminal(6381, 'INFO replication\n# Replication\nrole:slave\nmaster_host:127.0.0.1\nmaster_port:6379\n');
  });

  it('streams SUBSCRIBE on the replica: a PUBLISH on its master reaches it; Ctrl-C gives the prompt back', async () => {
    await typeLine(6381, 'SUBSCRIBE news');
    await waitForTerminal(6381, 'SUBSCRIBE news\nReading messages... (press Ctrl-C to quit)\n1) "subscribe"\n2) "news"\n3) (integer) 1');
    await typeLine(6379, 'PUBLISH news hello');
    await waitForTerminal(6379, 'PUBLISH news hello\n(integer) 0');
    await waitForTerminal(6381, '1) "message"\n2) "news"\n3) "hello"');
    await page.locator('[data-testid="terminal-6381"]').click();
    await page.keyboard.press('Control+C');
    await expect.poll(() => terminalText(6381), { timeout: 10_000, interval: 50 }).toMatch(/3\) "hello"\n(\^C(\(\d+\.\d\ds\)\n)?)?127\.0\.0\.1:6381> ?$/);
    await typeLine(6381, 'PING');
    await waitForTerminal(6381, '127.0.0.1:6381> PING\nPONG');
    await page.screenshot({ path: path.join(artifacts, '07-subscribe-6381.png'), fullPage: true });
  });

  it('answers help as redis-cli does, without a server round trip for help alone', async () => {
    await typeLine(6380, 'help');
    await waitForTerminal(6380, 'redis-cli 7.0.15\nTo get help about Redis commands type:');
  });

  it('shows redis-cli\'s hint while a command is typed, and TAB completes a command name', async () => {
    await page.locator('[data-testid="terminal-6380"]').click();
    await page.keyboard.type('SET k ');
    await waitForTerminal(6380, '127.0.0.1:6380> SET k value [NX|XX] [GET]');
    await page.keyboard.press('Control+U');
    await page.keyboard.type('zrangest');
    await page.keyboard.press('Tab');
    await waitForTerminal(6380, '127.0.0.1:6380> ZRANGESTORE dst src min max');
    await page.keyboard.press('Enter');
    await waitForTerminal(6380, "ZRANGESTORE\n(error) ERR wrong number of arguments for 'zrangestore' command");
  });

  it('raised no error in the page or the worker', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

// Browser test on the built app: what crosses a replication link. Packets
// labelled with what they carry (the replicated command, REPLCONF ACK),
// the master's side of an RDB transfer on the link's band (bytes sent of
// total and the rate), and a terminal low on the page that stays in view
// when clicked. Screenshots go to test-artifacts/e2e/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openBuiltApp, terminalText, typeLine, type AppPage } from '../support/app-page.ts';

let app: AppPage;
let page: Page;

beforeAll(async () => {
  app = await openBuiltApp({ width: 1280, height: 800 });
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `link-detail-${name}.png`) });

async function run(port: number, line: string, reply: string): Promise<void> {
  await typeLine(page, port, line);
  await expect.poll(() => terminalText(page, port), { timeout: 10_000 }).toContain(`${line}\n${reply}`);
}

async function consoleRun(line: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'World console command' });
  await input.fill(line);
  await input.press('Enter');
}

/** The labels of the packets drawn now. */
const packetLabels = () => page.getByTestId('packets').locator('text').evaluateAll((els) => els.filter((e) => (e as unknown as { style: { display: string } }).style.display !== 'none').map((e) => e.textContent ?? ''));

describe('what crosses a link', () => {
  it('labels packets with what they carry: the replicated command down, REPLCONF ACK up', async () => {
    for (const port of [6379, 6380, 6381]) await expect.poll(() => terminalText(page, port), { timeout: 15_000 }).toContain(`127.0.0.1:${port}>`);
    await run(6380, 'REPLICAOF 127.0.0.1 6379', 'OK');
    await expect.poll(() => page.getByTestId('link-6380-6379').getAttribute('aria-label'), { timeout: 20_000 }).toBe('Link 6380 to 6379: connected');
    // A slow link, so that packets take a while to cross and can be read.
    await consoleRun('SIM LATENCY 6379 6380 600');
    const seen = new Set<string>();
    const collect = async () => {
      for (const l of await packetLabels()) seen.add(l);
      return [...seen];
    };
    await typeLine(page, 6379, 'SET x 1');
    await page.evaluate('window.scrollTo(0, 0)');
    await expect.poll(collect, { timeout: 10_000, interval: 50 }).toContainEqual(expect.stringMatching(/^(SET|SELECT, SET)$/));
    await shot('01-labelled-packet');
    await expect.poll(collect, { timeout: 10_000, interval: 50 }).toContain('REPLCONF ACK');
    await consoleRun('SIM LATENCY 6379 6380 0.1');
  });

  it('shows the master\'s side of a diskless transfer on the band: bytes sent, the rate, then the total', async () => {
    // A payload of some 400 KB that LZF cannot shrink, over 100 KB/s.
    await run(6379, 'CONFIG SET rdbcompression no', 'OK');
    await run(6379, 'SETRANGE big 400000 x', '(integer) 400001');
    await consoleRun('SIM BANDWIDTH 6379 6381 100000');
    await run(6381, 'REPLICAOF 127.0.0.1 6379', 'OK');
    const band = page.getByTestId('transfer-6381');
    await expect.poll(() => band.getAttribute('data-phase'), { timeout: 10_000 }).toBe('send');
    const sent = async () => Number(await band.getAttribute('data-sent'));
    const first = await sent();
    await expect.poll(sent, { timeout: 10_000 }).toBeGreaterThan(first + 50_000);
    const chip = page.getByTestId('link-6381-6379');
    await expect.poll(() => chip.textContent(), { timeout: 5_000 }).toMatch(/RDB sent [\d.]+ KB.*diskless.*KB\/s/);
    await page.evaluate('window.scrollTo(0, 0)');
    await shot('02-transfer');
    // The size is known once the child finished writing into the pipe.
    await expect.poll(async () => Number(await band.getAttribute('data-total')), { timeout: 15_000 }).toBeGreaterThan(400_000);
    expect(await chip.textContent()).toMatch(/RDB sent [\d.]+ KB \/ [\d.]+ KB/);
    await expect.poll(() => chip.getAttribute('aria-label'), { timeout: 20_000 }).toBe('Link 6381 to 6379: connected');
    await consoleRun('SIM BANDWIDTH 6379 6381 0');
  });

  it('brings a terminal\'s prompt out from under the sticky header when the terminal is clicked', async () => {
    await expect.poll(() => terminalText(page, 6381), { timeout: 15_000 }).toContain('127.0.0.1:6381>');
    // Two more nodes and a shorter window: a third row of panels makes the page long enough to scroll the second under the header.
    await page.setViewportSize({ width: 1280, height: 640 });
    await consoleRun('SIM ADD');
    await consoleRun('SIM ADD');
    await expect.poll(() => page.getByRole('region', { name: 'Node 6383' }).count(), { timeout: 10_000 }).toBe(1);
    const headerBottom = async () => {
      const h = (await page.getByRole('banner').boundingBox())!;
      return h.y + h.height;
    };
    const terminal = page.getByTestId('terminal-6381');
    const prompt = terminal.locator('.xterm-helper-textarea');
    // Scrolled so that the prompt's row sits under the sticky header (the rest of the terminal below it).
    const row = (await prompt.boundingBox())!.y;
    await page.evaluate(`window.scrollBy(0, ${row - (await headerBottom()) + 24})`);
    await expect.poll(async () => (await prompt.boundingBox())!.y).toBeLessThan(await headerBottom());
    // A click on the part still in view: the textarea xterm focuses sits on the prompt's row.
    const box = (await terminal.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 20);
    await expect.poll(async () => (await prompt.boundingBox())!.y, { timeout: 2_000 }).toBeGreaterThanOrEqual(await headerBottom());
    await page.keyboard.type('ECHO visible');
    await shot('03-terminal-in-view');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page, 6381)).toContain('"visible"');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('raised no error in the page or the worker', async () => {
    expect(app.pageErrors).toEqual([]);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

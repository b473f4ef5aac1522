// Browser test on the built app: what a node holds. The key browser of a
// node (read by the worker without running commands), its redis.conf as
// CONFIG REWRITE writes it, its dump.rdb downloaded and loaded into another
// node (file picker, and dropped on a panel or a topology card; a bad file
// stops the node with Redis's log lines), the world kept across a page
// reload, and Reset world. Screenshots go to test-artifacts/e2e/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, dropFile, openBuiltApp, terminalText, typeLine, type AppPage } from '../support/app-page.ts';

let app: AppPage;
let page: Page;

beforeAll(async () => {
  app = await openBuiltApp({ width: 1280, height: 800 });
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `node-data-${name}.png`) });
const panel = (port: number) => page.getByRole('region', { name: `Node ${port}` });
const tab = (name: string) => page.getByRole('tab', { name, exact: true });
const keyRows = (port: number) => page.getByTestId(`keys-${port}`).locator('tbody tr');
/** The key browser's rows as "key type ttl len value" lines. */
const keyTable = async (port: number) => (await keyRows(port).allInnerTexts()).map((r) => r.replace(/\t/g, ' '));

/** Waits for a command's reply in a terminal: the reply after the line typed. */
async function run(port: number, line: string, reply: string): Promise<void> {
  await typeLine(page, port, line);
  await expect.poll(() => terminalText(page, port), { timeout: 10_000 }).toContain(`${line}\n${reply}`);
}

/** The node restarted under an idle terminal: as redis-cli, its next command finds the connection gone, the one after reconnects. */
async function reconnect(port: number): Promise<void> {
  await run(port, 'PING', 'Error: Server closed the connection\nnot connected>');
  await run(port, 'PING', 'PONG');
}

let rdb: Buffer;

describe('a node\'s data in the page', () => {
  it('lists 6379\'s keys with type, TTL, length and value, and follows writes without being asked', async () => {
    for (const port of [6379, 6380, 6381]) await expect.poll(() => terminalText(page, port), { timeout: 15_000 }).toContain(`127.0.0.1:${port}>`);
    await run(6379, 'SET greeting "hello world"', 'OK');
    await run(6379, 'RPUSH queue a b c d e f', '(integer) 6');
    await run(6379, 'HSET user:1 name ann', '(integer) 1');
    await run(6379, 'SET session x EX 3600', 'OK');
    await tab('Keys 6379').click();
    await expect.poll(() => keyTable(6379)).toEqual([
      'greeting string embstr - 11 "hello world"',
      'queue list quicklist - 6 "a", "b", "c", "d", … (2 more)',
      'user:1 hash listpack - 1 "name": "ann"',
      expect.stringMatching(/^session string embstr (3600|3599) s 1 "x"$/),
    ]);
    // Every type: sets, sorted sets, streams.
    await tab('Terminal 6379').click();
    await run(6379, 'SADD ids 3 1 2', '(integer) 3');
    await run(6379, 'ZADD board 2.5 bob 1 ann', '(integer) 2');
    await run(6379, 'XADD events 1-1 kind login', '"1-1"');
    await tab('Keys 6379').click();
    await expect.poll(() => keyTable(6379)).toEqual(
      expect.arrayContaining([
        'ids set intset - 3 "1", "2", "3"',
        'board zset listpack - 2 "ann" (1), "bob" (2.5)',
        'events stream stream - 1 1-1 {"kind": "login"}',
      ]),
    );
    await tab('Terminal 6379').click();
    await run(6379, 'DEL ids board events', '(integer) 3');
    await tab('Keys 6379').click();
    // A write shows up by itself; the terminal stays where it was (hidden) meanwhile.
    await tab('Terminal 6379').click();
    await run(6379, 'DEL queue', '(integer) 1');
    await tab('Keys 6379').click();
    await expect.poll(() => keyTable(6379)).not.toContainEqual(expect.stringMatching(/^queue /));
    // Many keys: pages of 50, and a glob.
    const pairs = Array.from({ length: 60 }, (_, i) => `k:${i} ${i}`).join(' ');
    await tab('Terminal 6379').click();
    await run(6379, `MSET ${pairs}`, 'OK');
    await tab('Keys 6379').click();
    await expect.poll(() => page.getByTestId('keys-range-6379').innerText()).toBe('1–50 of 63');
    await page.getByRole('button', { name: 'Next keys of 6379' }).click();
    await expect.poll(() => page.getByTestId('keys-range-6379').innerText()).toBe('51–63 of 63');
    await page.getByRole('searchbox', { name: 'Key pattern of 6379' }).fill('k:5?');
    await expect.poll(() => page.getByTestId('keys-range-6379').innerText()).toBe('1–10 of 10');
    await shot('01-keys');
    await page.getByRole('searchbox', { name: 'Key pattern of 6379' }).fill('');
  });

  it('reads keys without running commands: INFO\'s counters do not move', async () => {
    await tab('Terminal 6379').click();
    await typeLine(page, 6379, 'INFO stats');
    const processed = async () => {
      const all = [...(await terminalText(page, 6379)).matchAll(/total_commands_processed:(\d+)/g)];
      return Number(all.at(-1)?.[1]);
    };
    await expect.poll(processed).toBeGreaterThan(0);
    const before = await processed();
    // The browser reads the keys several times meanwhile.
    await tab('Keys 6379').click();
    await page.getByRole('searchbox', { name: 'Key pattern of 6379' }).fill('k:1*');
    await expect.poll(() => page.getByTestId('keys-range-6379').innerText()).toBe('1–11 of 11');
    await tab('Terminal 6379').click();
    await typeLine(page, 6379, 'INFO stats');
    // One more command between the two: the first INFO itself.
    await expect.poll(processed).toBe(before + 1);
  });

  it('shows 6380\'s redis.conf, read again after CONFIG REWRITE', async () => {
    await tab('Config 6380').click();
    const config = page.getByTestId('config-6380');
    await expect.poll(() => config.innerText()).toContain('Empty');
    await tab('Terminal 6380').click();
    await run(6380, 'CONFIG SET maxmemory 10mb', 'OK');
    await run(6380, 'CONFIG REWRITE', 'OK');
    await tab('Config 6380').click();
    await expect.poll(() => config.innerText()).toContain('maxmemory 10mb');
    expect(await config.innerText()).toContain('# Generated by CONFIG REWRITE');
    await shot('02-config');
  });

  it('downloads 6379\'s dump.rdb after SAVE', async () => {
    await tab('Terminal 6379').click();
    await run(6379, 'SAVE', 'OK');
    await tab('Actions 6379').click();
    await expect.poll(() => page.getByTestId('disk-files-6379').innerText()).toMatch(/dump\.rdb/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download dump.rdb of 6379' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('6379-dump.rdb');
    rdb = fs.readFileSync((await file.path())!);
    expect(rdb.subarray(0, 9).toString('latin1')).toBe('REDIS0010');
    expect(rdb.includes(Buffer.from('hello world'))).toBe(true);
    await shot('03-actions-disk');
  });

  it('loads it into 6381 with the file picker: a new process that starts from it', async () => {
    const pid = async () => (await panel(6381).locator('header').innerText()).match(/pid (\d+)/)?.[1];
    const before = await pid();
    await tab('Actions 6381').click();
    await page.getByTestId('rdb-input-6381').setInputFiles({ name: 'dump.rdb', mimeType: 'application/octet-stream', buffer: rdb });
    await expect.poll(() => page.getByTestId('action-result-6381').innerText(), { timeout: 10_000 }).toMatch(/SIM LOAD 6381 <dump\.rdb, \d+ bytes>\nOK/);
    await expect.poll(pid).not.toBe(before);
    await tab('Terminal 6381').click();
    await reconnect(6381);
    await run(6381, 'GET greeting', '"hello world"');
  });

  it('stops 6380 on a bad file dropped on its panel, with Redis\'s log lines; a good one dropped on its card brings it back', async () => {
    await dropFile(panel(6380), 'broken.rdb', Buffer.from('not an rdb file'));
    await expect.poll(() => page.getByTestId('load-result-6380').innerText(), { timeout: 10_000 }).toContain('ERR node 6380 exited during start-up (see its log)');
    await expect.poll(() => page.getByTestId('topology-node-6380').getAttribute('data-role')).toBe('down');
    await tab('Log 6380').click();
    const log = page.getByTestId('log-6380');
    await expect.poll(() => log.innerText()).toMatch(/# Wrong signature trying to load DB from file\n.*# Fatal error loading the DB: Invalid argument\. Exiting\./);
    await shot('04-bad-rdb');
    // The others went on.
    await tab('Terminal 6379').click();
    await run(6379, 'PING', 'PONG');
    await dropFile(page.getByTestId('topology-node-6380'), 'dump.rdb', rdb);
    await expect.poll(() => page.getByTestId('topology-node-6380').getAttribute('data-role'), { timeout: 10_000 }).toBe('master');
    await tab('Keys 6380').click();
    await expect.poll(() => keyTable(6380)).toContainEqual('greeting string embstr - 11 "hello world"');
    // Its redis.conf was kept: the load replaced dump.rdb only.
    await tab('Config 6380').click();
    await expect.poll(() => page.getByTestId('config-6380').innerText()).toContain('maxmemory 10mb');
  });

  it('keeps the nodes and their disks across a page reload', async () => {
    await page.getByRole('button', { name: 'Add node', exact: true }).click();
    await expect.poll(() => panel(6382).count(), { timeout: 10_000 }).toBe(1);
    await tab('Terminal 6379').click();
    await run(6379, 'SET after-save 1', 'OK');
    // Saved a moment after the last write; the reload waits a little longer than that.
    await page.waitForTimeout(1500);
    await page.reload();
    for (const port of [6379, 6380, 6381, 6382]) await expect.poll(() => terminalText(page, port), { timeout: 15_000 }).toContain(`127.0.0.1:${port}>`);
    await expect.poll(() => page.getByTestId('storage-state').innerText()).toBe('restored');
    // 6379 starts from its dump.rdb: what was saved is there, the later write (never saved) is not.
    await run(6379, 'GET greeting', '"hello world"');
    await run(6379, 'EXISTS after-save', '(integer) 0');
    await tab('Config 6380').click();
    await expect.poll(() => page.getByTestId('config-6380').innerText()).toContain('maxmemory 10mb');
    await tab('Log 6379').click();
    await expect.poll(() => page.getByTestId('log-6379').innerText()).toContain('DB loaded from disk');
    // The log goes on after the earlier visit's lines: 6380's refusal of the bad file is still there, before its new start.
    await tab('Log 6380').click();
    await expect.poll(() => page.getByTestId('log-6380').innerText()).toMatch(/# Wrong signature trying to load DB from file[^]*Redis is starting[^]*Ready to accept connections/);
    await shot('05-restored');
  });

  it('forgets them with Reset world: three empty nodes, also after the next reload', async () => {
    await page.getByRole('button', { name: 'Reset world', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm reset world', exact: true }).click();
    await expect.poll(() => panel(6382).count(), { timeout: 10_000 }).toBe(0);
    await tab('Terminal 6379').click();
    // Every server of the old world went away.
    await reconnect(6379);
    await run(6379, 'DBSIZE', '(integer) 0');
    await page.waitForTimeout(1500);
    await page.reload();
    await expect.poll(() => terminalText(page, 6379), { timeout: 15_000 }).toContain('127.0.0.1:6379>');
    expect(await panel(6382).count()).toBe(0);
    await run(6379, 'DBSIZE', '(integer) 0');
    await tab('Config 6380').click();
    await expect.poll(() => page.getByTestId('config-6380').innerText()).toContain('Empty');
  });

  it('reads well in the light theme at 1920x1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await tab('Terminal 6379').click();
    await run(6379, 'MSET a 1 b 2 c 3', 'OK');
    await run(6379, 'EXPIRE a 90', '(integer) 1');
    await tab('Keys 6379').click();
    await expect.poll(() => keyRows(6379).count()).toBe(3);
    await expect.poll(() => page.evaluate<number>('document.getAnimations().length'), { timeout: 5_000 }).toBe(0);
    await shot('06-light-1920');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('raised no error in the page or the worker', async () => {
    expect(app.pageErrors).toEqual([]);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

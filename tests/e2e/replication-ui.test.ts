// Browser test on the built app: replication made visible and controllable.
// 6380 replicates 6379 (with the world sped up), the PSYNC answer shows on
// the link and in the timeline, 6379's backlog ring shows 6380's offset,
// the Partition action marks the link, the world console heals it, the
// panels show log and INFO, the keyboard drives time, the theme switches.
// Screenshots go to test-artifacts/e2e/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openBuiltApp, terminalText as textOf, typeLine as typeInto, type AppPage } from '../support/app-page.ts';

const artifacts = ARTIFACTS;
let app: AppPage;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  // The smallest screen the page is made for.
  app = await openBuiltApp({ width: 1280, height: 800 });
  page = app.page;
  pageErrors = app.pageErrors;
});

afterAll(async () => {
  await app?.close();
});

const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `replication-ui-${name}.png`) });

const terminalText = (port: number) => textOf(page, port);

const typeLine = (port: number, line: string) => typeInto(page, port, line);

async function consoleRun(line: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'World console command' });
  await input.fill(line);
  await input.press('Enter');
}

const consoleText = () => page.getByTestId('world-console-output').innerText();
const link = () => page.getByTestId('link-6380-6379');
const simSeconds = async () => parseFloat((await page.getByRole('timer', { name: 'Simulation time' }).innerText()).replace(/\s*s$/, ''));

describe('replication in the page', () => {
  it('runs the world faster with the speed control', async () => {
    for (const port of [6379, 6380]) {
      await expect.poll(() => terminalText(port), { timeout: 10_000 }).toContain(`127.0.0.1:${port}>`);
    }
    const speed = page.getByRole('combobox', { name: 'Speed', exact: true });
    await speed.selectOption('10');
    // The select mirrors the worker's speed, so this value came back in a snapshot.
    await expect.poll(() => speed.inputValue(), { timeout: 5_000 }).toBe('10');
    const t0 = await simSeconds();
    await page.waitForTimeout(500);
    expect((await simSeconds()) - t0).toBeGreaterThan(2);
  });

  it('shows the full sync of 6380 from 6379: the link reaches connected with +FULLRESYNC on it, and the timeline lists it', async () => {
    await typeLine(6379, 'SET before-sync 1');
    await typeLine(6380, 'REPLICAOF 127.0.0.1 6379');
    await expect.poll(() => terminalText(6380), { timeout: 10_000 }).toContain('REPLICAOF 127.0.0.1 6379\nOK');
    await expect.poll(() => link().count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => link().getAttribute('aria-label'), { timeout: 20_000, interval: 100 }).toBe('Link 6380 to 6379: connected');
    expect(await link().textContent()).toMatch(/\+FULLRESYNC [0-9a-f]{8} \d+/);
    expect(await link().getAttribute('data-answer')).toBe('fullresync');
    expect(await link().textContent()).toContain('RDB loaded, 1 keys');
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.innerText(), { timeout: 5_000 }).toMatch(/FULLRESYNC\s+6379 → 6380: \+FULLRESYNC [0-9a-f]{8} \d+/);
    for (const kind of ['role', 'handshake', 'psync', 'bgsave', 'fullresync', 'rdb-loaded', 'link-up']) {
      expect(await timeline.locator(`[data-kind="${kind}"]`).count(), kind).toBeGreaterThan(0);
    }
    // The role and offset on the cards.
    expect(await page.getByTestId('topology-node-6380').getAttribute('data-role')).toBe('replica');
    await shot('01-full-sync');
  });

  it('selects the nodes of an event picked in the timeline', async () => {
    await page.getByTestId('timeline').locator('[data-kind="fullresync"]').first().click();
    await expect.poll(() => page.getByTestId('topology-node-6380').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('topology-node-6379').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('topology-node-6381').getAttribute('aria-pressed')).toBe('false');
  });

  it("draws 6379's backlog ring with 6380's offset on it, which could +CONTINUE", async () => {
    await page.getByTestId('topology-node-6379').click();
    const backlog = page.getByTestId('backlog');
    await expect.poll(() => backlog.getAttribute('aria-label')).toBe('Backlog of 6379');
    await typeLine(6379, 'SET k v');
    const row = page.getByTestId('backlog-replica-6380');
    // 6380's offset catches up with master_repl_offset.
    await expect
      .poll(async () => [await row.getAttribute('data-offset'), (await page.getByTestId('backlog-offset').innerText()).replace(/,/g, '')], { timeout: 10_000 })
      .toSatisfy(([replica, master]) => replica === master && Number(master) > 0);
    expect(await row.getAttribute('data-verdict')).toBe('continue');
    expect(await page.getByTestId('ring-marker-6380').count()).toBe(1);
    expect(await page.getByTestId('backlog-size').innerText()).toBe('1.00 MB');
    await shot('02-backlog');
  });

  it('partitions 6380 from 6379 with the Partition action: the link is marked partitioned', async () => {
    await page.getByRole('tab', { name: 'Actions 6380' }).click();
    await page.getByRole('combobox', { name: 'Peer of 6380' }).selectOption('6379');
    await page.getByRole('button', { name: 'Partition 6380', exact: true }).click();
    await expect.poll(() => link().getAttribute('data-partitioned'), { timeout: 5_000 }).toBe('yes');
    expect(await link().textContent()).toContain('partitioned');
    expect(await page.getByTestId('action-result-6380').innerText()).toContain('SIM PARTITION 6380 6379\nOK');
    // Writes made now stay on the master: 6380's offset falls behind, still inside the backlog.
    await typeLine(6379, 'SET during-partition 1');
    await expect.poll(() => page.getByTestId('backlog-replica-6380').getAttribute('data-verdict')).toBe('continue');
    await shot('03-partitioned');
  });

  it('draws every node\'s offset over time', async () => {
    await page.getByRole('tab', { name: 'Offsets over time' }).click();
    const chart = page.getByTestId('offsets-chart');
    await expect.poll(() => chart.innerText()).toMatch(/6379\s+\d+/);
    expect(await chart.innerText()).toMatch(/6380\s+\d+/);
    expect(await chart.locator('path[stroke]').count()).toBeGreaterThanOrEqual(3);
    await shot('04-offsets');
    await page.getByRole('tab', { name: 'Backlog ring' }).click();
  });

  it('heals and lists the nodes from the world console', async () => {
    await consoleRun('SIM HEAL');
    await expect.poll(consoleText, { timeout: 5_000 }).toContain('sim> SIM HEAL\nOK');
    await expect.poll(() => link().getAttribute('data-partitioned'), { timeout: 5_000 }).toBe('no');
    expect(await link().textContent()).not.toContain('partitioned');
    await consoleRun('SIM NODES');
    await expect.poll(consoleText, { timeout: 5_000 }).toMatch(/1\) "port=6379 role=master state=up pid=\d+ run_id=[0-9a-f]{40} master=-"/);
    expect(await consoleText()).toMatch(/2\) "port=6380 role=replica state=up pid=\d+ run_id=[0-9a-f]{40} master=127\.0\.0\.1:6379"/);
    // An error is printed as redis-cli prints it, and is no alert.
    await consoleRun('SIM NOPE');
    await expect.poll(consoleText).toContain("(error) ERR unknown subcommand 'NOPE'. Try SIM HELP.");
    expect(await page.getByRole('alert').count()).toBe(0);
    await shot('05-console');
  });

  it("shows 6379's log coloured and searchable, and 6380's INFO replication", async () => {
    await page.getByRole('tab', { name: 'Log 6379' }).click();
    const log = page.getByTestId('log-6379');
    await expect.poll(() => log.innerText()).toContain('Synchronization with replica 127.0.0.1:6380 succeeded');
    await page.getByRole('searchbox', { name: 'Search log 6379' }).fill('replica 127.0.0.1:6380');
    await expect.poll(async () => (await log.innerText()).split('\n').every((l) => l.toLowerCase().includes('replica 127.0.0.1:6380'))).toBe(true);
    expect(await log.locator('mark').count()).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'INFO 6380' }).click();
    const info = page.getByTestId('info-6380');
    await expect.poll(() => info.innerText()).toContain('role:slave');
    expect(await info.innerText()).toContain('master_port:6379');
    await expect.poll(() => info.innerText(), { timeout: 10_000 }).toContain('master_link_status:up');
    await shot('06-log-and-info');
    // Back to the terminals, which kept their screens.
    await page.getByRole('tab', { name: 'Terminal 6379' }).click();
    await page.getByRole('tab', { name: 'Terminal 6380' }).click();
    expect(await terminalText(6380)).toContain('REPLICAOF 127.0.0.1 6379\nOK');
  });

  it('pauses with space and steps with "." when no field has the focus, but not while typing in a terminal', async () => {
    await page.getByRole('heading', { name: /Replscope/ }).click();
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByRole('button', { name: 'Resume', exact: true }).count()).toBe(1);
    const t0 = await simSeconds();
    await page.keyboard.press('.');
    await expect.poll(simSeconds).toBeCloseTo(t0 + 0.1, 3);
    // Typed into a terminal, space and '.' are the terminal's.
    await typeLine(6381, 'ECHO "a. b"');
    await expect.poll(() => terminalText(6381)).toContain('"a. b"');
    expect(await simSeconds()).toBeCloseTo(t0 + 0.1, 3);
    await page.getByRole('heading', { name: /Replscope/ }).click();
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(1);
  });

  it('moves a node by dragging it', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    const node = page.getByTestId('topology-node-6381');
    const place = () => node.evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);
    const before = await place();
    const box = (await node.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 6 });
    await page.mouse.up();
    await expect.poll(place).not.toBe(before);
    await page.getByRole('button', { name: 'Reset layout' }).click();
    await expect.poll(place).toBe(before);
  });

  it('switches to the light theme and back', async () => {
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    expect(await page.evaluate<string>('document.documentElement.className')).toBe('light');
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    // The terminals follow the page's theme (xterm draws its own colours).
    await expect
      .poll(() => page.evaluate<string>('getComputedStyle(document.querySelector("[data-testid=terminal-6379] .xterm-scrollable-element")).backgroundColor'))
      .toBe('rgb(251, 252, 254)');
    // The screenshot once the colour transitions have ended.
    await expect.poll(() => page.evaluate<number>('document.getAnimations().length'), { timeout: 5_000 }).toBe(0);
    await shot('07-light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate<string>('document.documentElement.className')).toBe('dark');
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).not.toBe(background);
  });

  it('adds a node; a killed replica keeps its link, drawn down, and its last offset on the ring; a removed node goes', async () => {
    await page.getByRole('button', { name: 'Add node', exact: true }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Node 6382' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('topology-node-6382').count()).toBe(1);
    await page.getByRole('button', { name: 'Kill 6380', exact: true }).click();
    await expect.poll(() => link().getAttribute('aria-label'), { timeout: 5_000 }).toBe('Link 6380 to 6379: down');
    expect(await page.getByTestId('topology-node-6380').getAttribute('data-role')).toBe('down');
    const row = page.getByTestId('backlog-replica-6380');
    await expect.poll(() => row.innerText()).toContain('down');
    expect(await row.getAttribute('data-verdict')).toBe('continue');
    await page.evaluate('window.scrollTo(0, 0)');
    await shot('08-replica-killed');
    // Started again without CONFIG REWRITE, it comes back a master: no link.
    await page.getByRole('button', { name: 'Start 6380', exact: true }).click();
    await expect.poll(() => link().count(), { timeout: 5_000 }).toBe(0);
    await page.getByRole('tab', { name: 'Actions 6382' }).click();
    // SHUTDOWN NOSAVE on a connection of its own: the server closes it and stays down until started.
    await page.getByRole('button', { name: 'Shutdown NOSAVE 6382', exact: true }).click();
    await expect.poll(() => page.getByTestId('action-result-6382').innerText(), { timeout: 5_000 }).toContain('SHUTDOWN NOSAVE\nthe server closed the connection');
    await expect.poll(() => page.getByTestId('topology-node-6382').getAttribute('data-role')).toBe('down');
    await page.getByRole('button', { name: 'Remove 6382', exact: true }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Node 6382' }).count(), { timeout: 5_000 }).toBe(0);
    expect(await page.getByTestId('topology-node-6382').count()).toBe(0);
  });

  it('raised no error in the page or the worker', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

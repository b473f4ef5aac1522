// A redis-cli terminal for one node: xterm draws, LineEditor edits the
// line, CliSession does what redis-cli does with it.
import { useEffect, useRef } from 'react';
import { Terminal as XTerm } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { CliSession } from '../../cli/session.ts';
import { LineEditor } from '../../cli/line-editor.ts';
import { hintSequence } from '../../cli/help.ts';
import { fromLatin1 } from '../../engine/bytes.ts';
import { workerClient } from '../worker-client.ts';
import { useAppStore, type Theme } from '../store.ts';

const HISTORY_KEY = (port: number) => `replscope.history.${port}`;

/** The text of a terminal's buffer with wrapped rows joined back into lines. */
function bufferText(term: XTerm): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buffer.length; i++) {
    const row = buffer.getLine(i);
    if (!row) continue;
    const text = row.translateToString(true);
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  return lines.join('\n').trimEnd();
}

declare global {
  interface Window {
    /** Test hook (DESIGN.md 2.4): each terminal's text by port, wrapped rows joined. */
    __replscopeTerminalText?: Record<number, () => string>;
  }
}

function loadHistory(port: number): string[] {
  try {
    const raw = localStorage.getItem(HISTORY_KEY(port));
    const list = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? list.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** xterm colours for each page theme (xterm draws on a canvas, so the page's CSS does not reach it). */
const TERMINAL_THEMES: Record<Theme, { background: string; foreground: string; cursor: string; selectionBackground: string }> = {
  dark: { background: '#0b1020', foreground: '#d7dcef', cursor: '#d7dcef', selectionBackground: '#3b4a72' },
  light: { background: '#fbfcfe', foreground: '#1d2433', cursor: '#1d2433', selectionBackground: '#c8d3ea' },
};

export function Terminal({ port, host = '127.0.0.1' }: { port: number; host?: string }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const term = new XTerm({
      convertEol: true,
      cursorBlink: true,
      fontSize: 13,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      theme: TERMINAL_THEMES[useAppStore.getState().theme],
    });
    // The page's theme switch reaches the terminal too.
    const unsubscribeTheme = useAppStore.subscribe((state, prev) => {
      if (state.theme !== prev.theme) term.options.theme = TERMINAL_THEMES[state.theme];
    });
    // Columns and rows follow the panel's size, so long replies wrap as in a real terminal.
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(container.current!);
    fit.fit();
    // xterm focuses its textarea, which sits on the cursor's row, without scrolling; when that row is
    // under the sticky header the prompt would stay hidden while typing. Brought into view, it stops
    // below the header (the page's scroll-padding-top).
    const revealPrompt = () => requestAnimationFrame(() => term.textarea?.scrollIntoView({ block: 'nearest' }));
    term.textarea?.addEventListener('focus', revealPrompt);
    const resize = new ResizeObserver(() => fit.fit());
    (window.__replscopeTerminalText ??= {})[port] = () => bufferText(term);
    resize.observe(container.current!);
    const editor = new LineEditor(loadHistory(port));
    let session = 0;
    let waiting = true; // no prompt until the first connect is answered

    // TAB completion as linenoise's completeLine: TAB shows the next candidate (then the typed line
    // again), Esc goes back to the typed line, any other key takes the candidate shown and acts.
    let completing: { candidates: string[]; index: number } | null = null;

    const redraw = (withHint = true) => {
      const line = completing && completing.index < completing.candidates.length ? completing.candidates[completing.index] : editor.line;
      const prompt = cli.prompt();
      const length = [...line].length;
      // The hint of what is left to type, in grey after the line (linenoise's refreshShowHints).
      const hint = withHint ? hintSequence(cli.hint(line), term.cols, prompt.length, length) : '';
      term.write('\r\x1b[K' + prompt + line + hint);
      const shownHint = hint === '' ? 0 : [...hint.replace(/\x1b\[[0-9;]*m/g, '')].length;
      const back = shownHint + (completing ? 0 : length - editor.cursorPos);
      if (back > 0) term.write(`\x1b[${back}D`);
    };

    const cli: CliSession = new CliSession(host, port, {
      connect: (toHost, toPort) => {
        // The world's nodes listen on 127.0.0.1; any other address refuses, as a closed port does.
        if (toHost !== '127.0.0.1' && toHost !== 'localhost') {
          queueMicrotask(() => cli.refusedEvent());
          return;
        }
        session = workerClient.openSession(toPort, {
          opened: () => cli.connectedEvent(),
          refused: () => cli.refusedEvent(),
          data: (bytes) => cli.dataEvent(bytes),
          closed: () => cli.closedEvent(),
        });
      },
      send: (bytes) => workerClient.send({ type: 'session.write', session, bytes }),
      disconnect: () => {
        workerClient.send({ type: 'session.close', session });
        workerClient.forget(session);
      },
      // Output is bytes; the terminal decodes UTF-8 as a real one does.
      print: (text) => term.write(fromLatin1(text)),
      // Virtual time as the page knows it: the last snapshot's, run forward at the current speed (within a frame or so).
      nowUs: () => {
        const { snapshot, snapshotWallMs } = useAppStore.getState();
        if (!snapshot) return 0;
        const ahead = snapshot.paused ? 0 : Math.min(performance.now() - snapshotWallMs, 50) * 1000 * snapshot.speed;
        return snapshot.timeUs + Math.max(0, ahead);
      },
      ready: () => {
        waiting = false;
        redraw();
      },
    });

    const onKey = term.onData((data) => {
      if (waiting) {
        // Ctrl-C abandons a blocking command or MONITOR; other keys wait for the prompt.
        if (data === '\x03') {
          term.write('^C');
          cli.interrupt();
        }
        return;
      }
      if (completing) {
        const { candidates, index } = completing;
        if (data === '\t') {
          completing.index = (index + 1) % (candidates.length + 1);
          return redraw();
        }
        completing = null;
        // Esc (an arrow key's sequence starts with it) shows the typed line again; the key then acts on it.
        if (data === '\x1b') return redraw();
        if (!data.startsWith('\x1b') && index < candidates.length) {
          editor.clear();
          editor.insert(candidates[index]);
        }
      }
      switch (data) {
        case '\t': {
          const candidates = cli.completions(editor.line);
          if (candidates.length === 0) return;
          completing = { candidates, index: 0 };
          break;
        }
        case '\r': {
          // linenoise draws the line once more without its hint before the newline.
          editor.end();
          redraw(false);
          const line = editor.accept(cli.keepsInHistory(editor.line));
          try {
            localStorage.setItem(HISTORY_KEY(port), JSON.stringify(editor.entries));
          } catch {
            /* storage may be unavailable (private mode); history stays in memory */
          }
          term.write('\r\n');
          waiting = true;
          cli.submit(line);
          return;
        }
        case '\x7f':
        case '\b':
          editor.backspace();
          break;
        case '\x1b[A':
          editor.up();
          break;
        case '\x1b[B':
          editor.down();
          break;
        case '\x1b[C':
          editor.right();
          break;
        case '\x1b[D':
          editor.left();
          break;
        case '\x1b[H':
        case '\x01':
          editor.home();
          break;
        case '\x1b[F':
        case '\x05':
          editor.end();
          break;
        case '\x1b[3~':
          editor.deleteForward();
          break;
        case '\x15':
          editor.clear();
          break;
        case '\x03': // Ctrl-C on a line abandons it, as linenoise does
          editor.clear();
          term.write('^C\r\n');
          break;
        case '\x0c': // Ctrl-L clears the screen
          term.clear();
          break;
        default:
          if (data.startsWith('\x1b')) return;
          editor.insert(data.replace(/[\x00-\x1f]/g, ''));
      }
      redraw();
    });

    cli.start();
    return () => {
      unsubscribeTheme();
      term.textarea?.removeEventListener('focus', revealPrompt);
      onKey.dispose();
      resize.disconnect();
      delete window.__replscopeTerminalText?.[port];
      if (session) workerClient.send({ type: 'session.close', session });
      term.dispose();
    };
  }, [port, host]);

  const theme = useAppStore((s) => s.theme);
  return (
    <div
      ref={container}
      data-testid={`terminal-${port}`}
      className="h-full w-full overflow-hidden rounded-md p-1"
      style={{ backgroundColor: TERMINAL_THEMES[theme].background }}
    />
  );
}

// The world console: one line that runs SIM commands (the leading SIM may
// be left out), split as redis-cli splits a line, with the RESP reply
// printed as redis-cli prints it. Up and down walk the history.
import { useLayoutEffect, useRef, useState } from 'react';
import { splitArgs } from '../../engine/resp/split-args.ts';
import { lowerAscii, utf8 } from '../../engine/bytes.ts';
import { LineEditor } from '../../cli/line-editor.ts';
import { runSimArgv } from '../sim.ts';
import { replyText } from '../format.ts';

interface Entry {
  readonly id: number;
  readonly line: string;
  readonly reply: string;
  readonly bad: boolean;
}

const MAX_ENTRIES = 200;

export function WorldConsole() {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [line, setLine] = useState('');
  const history = useRef(new LineEditor([]));
  const out = useRef<HTMLDivElement>(null);
  const nextId = useRef(1);

  useLayoutEffect(() => {
    if (out.current) out.current.scrollTop = out.current.scrollHeight;
  }, [entries]);

  const print = (entry: Omit<Entry, 'id'>) => setEntries((list) => [...list, { ...entry, id: nextId.current++ }].slice(-MAX_ENTRIES));

  const run = async (text: string) => {
    const args = splitArgs(utf8(text));
    if (args === null) return print({ line: text, reply: 'Invalid argument(s)', bad: true });
    if (args.length === 0) return;
    const argv = lowerAscii(args[0]) === 'sim' ? args.slice(1) : args;
    if (argv.length === 0) return print({ line: text, reply: "(error) ERR wrong number of arguments for 'sim' command", bad: true });
    const reply = await runSimArgv(argv);
    print({ line: text, reply: replyText(reply), bad: reply.type === 'error' });
  };

  return (
    <div className="flex min-h-0 flex-col gap-1" role="group" aria-label="World console">
      <h2 className="text-sm font-semibold">
        World console <span className="font-normal text-muted">· SIM commands (try SIM HELP)</span>
      </h2>
      <div
        ref={out}
        data-testid="world-console-output"
        role="log"
        aria-label="World console output"
        className="h-24 overflow-y-auto rounded-md border border-line bg-panel-2/40 px-2 py-1 font-mono text-[11.5px] leading-[1.45]"
      >
        {entries.map((e) => (
          <div key={e.id}>
            <div className="text-muted">sim&gt; {e.line}</div>
            <pre className={`whitespace-pre-wrap break-all ${e.bad ? 'text-bad' : ''}`}>{e.reply}</pre>
          </div>
        ))}
      </div>
      <form
        className="flex items-center gap-1 font-mono text-xs"
        onSubmit={(e) => {
          e.preventDefault();
          const editor = history.current;
          editor.clear();
          editor.insert(line);
          const text = editor.accept();
          setLine('');
          void run(text);
        }}
      >
        <span className="text-muted" aria-hidden="true">sim&gt;</span>
        <input
          className="field min-w-0 flex-1 font-mono"
          value={line}
          onChange={(e) => setLine(e.target.value)}
          onKeyDown={(e) => {
            const editor = history.current;
            if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
            e.preventDefault();
            editor.clear();
            editor.insert(line);
            if (e.key === 'ArrowUp') editor.up();
            else editor.down();
            setLine(editor.line);
          }}
          placeholder="SIM NODES"
          aria-label="World console command"
          spellCheck={false}
          autoComplete="off"
        />
        <button className="btn" type="submit" aria-label="Run SIM command">Run</button>
      </form>
    </div>
  );
}

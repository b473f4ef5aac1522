// LineEditor: the line being typed at the prompt and its history.
import { describe, expect, it } from 'vitest';
import { LineEditor } from '../../src/cli/line-editor.ts';

function typed(text: string, history: string[] = []): LineEditor {
  const e = new LineEditor(history);
  e.insert(text);
  return e;
}

describe('LineEditor: editing', () => {
  it('starts empty with the cursor at 0', () => {
    const e = new LineEditor();
    expect(e.line).toBe('');
    expect(e.cursorPos).toBe(0);
  });

  it('inserts at the cursor and moves it past the text', () => {
    const e = typed('PING');
    expect(e.line).toBe('PING');
    expect(e.cursorPos).toBe(4);
    e.left();
    e.left();
    e.insert('xy');
    expect(e.line).toBe('PIxyNG');
    expect(e.cursorPos).toBe(4);
  });

  it('deletes the char before the cursor with backspace, and does nothing at the start', () => {
    const e = typed('abc');
    e.backspace();
    expect(e.line).toBe('ab');
    expect(e.cursorPos).toBe(2);
    e.home();
    e.backspace();
    expect(e.line).toBe('ab');
    expect(e.cursorPos).toBe(0);
  });

  it('deletes in the middle of the line', () => {
    const e = typed('abcd');
    e.left();
    e.backspace();
    expect(e.line).toBe('abd');
    expect(e.cursorPos).toBe(2);
  });

  it('deletes the char under the cursor with deleteForward, and does nothing at the end', () => {
    const e = typed('abc');
    e.deleteForward();
    expect(e.line).toBe('abc');
    e.home();
    e.deleteForward();
    expect(e.line).toBe('bc');
    expect(e.cursorPos).toBe(0);
  });

  it('keeps the cursor within the line when moving left and right', () => {
    const e = typed('ab');
    e.right();
    expect(e.cursorPos).toBe(2);
    e.left();
    e.left();
    e.left();
    expect(e.cursorPos).toBe(0);
    e.right();
    expect(e.cursorPos).toBe(1);
  });

  it('jumps to the start and end with home and end', () => {
    const e = typed('hello');
    e.home();
    expect(e.cursorPos).toBe(0);
    e.insert('> ');
    expect(e.line).toBe('> hello');
    e.end();
    expect(e.cursorPos).toBe(7);
    e.insert('!');
    expect(e.line).toBe('> hello!');
  });

  it('clears the whole line', () => {
    const e = typed('SET k v');
    e.clear();
    expect(e.line).toBe('');
    expect(e.cursorPos).toBe(0);
  });

  it('treats an astral character as one position', () => {
    const e = typed('a😀b');
    expect(e.cursorPos).toBe(3);
    e.left();
    e.backspace();
    expect(e.line).toBe('ab');
  });
});

describe('LineEditor: accept and history', () => {
  it('returns the line on accept, adds it to history and starts a new line', () => {
    const e = typed('PING');
    expect(e.accept()).toBe('PING');
    expect(e.line).toBe('');
    expect(e.cursorPos).toBe(0);
    expect(e.entries).toEqual(['PING']);
  });

  it('does not add an empty line to history', () => {
    const e = new LineEditor();
    expect(e.accept()).toBe('');
    expect(e.entries).toEqual([]);
  });

  it('does not add a line equal to the previous entry', () => {
    const e = new LineEditor();
    for (const line of ['PING', 'PING', 'GET a', 'PING', 'PING']) {
      e.insert(line);
      e.accept();
    }
    expect(e.entries).toEqual(['PING', 'GET a', 'PING']);
  });

  it('keeps at most maxHistory entries, dropping the oldest', () => {
    const e = new LineEditor([], 3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) {
      e.insert(line);
      e.accept();
    }
    expect(e.entries).toEqual(['c', 'd', 'e']);
  });

  it('starts from the history it was given', () => {
    const e = new LineEditor(['one', 'two']);
    e.up();
    expect(e.line).toBe('two');
    e.up();
    expect(e.line).toBe('one');
  });

  it('walks history up and down, the cursor at the end of each entry', () => {
    const e = new LineEditor(['first', 'second', 'third']);
    e.up();
    expect(e.line).toBe('third');
    expect(e.cursorPos).toBe(5);
    e.up();
    expect(e.line).toBe('second');
    e.up();
    expect(e.line).toBe('first');
    e.up();
    expect(e.line).toBe('first');
    e.down();
    expect(e.line).toBe('second');
    e.down();
    expect(e.line).toBe('third');
  });

  it('restores the line being typed after walking history and coming back down', () => {
    const e = new LineEditor(['old']);
    e.insert('half typ');
    e.up();
    expect(e.line).toBe('old');
    e.down();
    expect(e.line).toBe('half typ');
    expect(e.cursorPos).toBe(8);
    e.down();
    expect(e.line).toBe('half typ');
  });

  it('does nothing on up with an empty history, or on down at the new line', () => {
    const e = typed('x');
    e.up();
    expect(e.line).toBe('x');
    e.down();
    expect(e.line).toBe('x');
  });

  it('starts a walk from the newest entry again after accept, with an empty draft', () => {
    const e = new LineEditor(['a', 'b']);
    e.up();
    e.up();
    expect(e.accept()).toBe('a');
    expect(e.entries).toEqual(['a', 'b', 'a']);
    e.up();
    expect(e.line).toBe('a');
    e.down();
    expect(e.line).toBe('');
  });

  it('does not change the history array it was given', () => {
    const given = ['x'];
    const e = new LineEditor(given);
    e.insert('y');
    e.accept();
    expect(given).toEqual(['x']);
  });
});

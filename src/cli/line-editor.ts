// The line being typed at a redis-cli prompt: insert, delete, move, and a
// history walked with up and down, as linenoise does. Pure: the terminal
// renders what render() returns.

export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private history: string[];
  /** Index into history while walking it; history.length means "the new line". */
  private historyIndex: number;
  private draft = '';

  constructor(history: readonly string[] = [], private readonly maxHistory = 1000) {
    this.history = [...history];
    this.historyIndex = this.history.length;
  }

  get line(): string {
    return this.chars.join('');
  }

  get cursorPos(): number {
    return this.cursor;
  }

  get entries(): readonly string[] {
    return this.history;
  }

  insert(text: string): void {
    const add = [...text];
    this.chars.splice(this.cursor, 0, ...add);
    this.cursor += add.length;
  }

  backspace(): void {
    if (this.cursor === 0) return;
    this.chars.splice(this.cursor - 1, 1);
    this.cursor--;
  }

  deleteForward(): void {
    if (this.cursor < this.chars.length) this.chars.splice(this.cursor, 1);
  }

  left(): void {
    if (this.cursor > 0) this.cursor--;
  }

  right(): void {
    if (this.cursor < this.chars.length) this.cursor++;
  }

  home(): void {
    this.cursor = 0;
  }

  end(): void {
    this.cursor = this.chars.length;
  }

  /** Ctrl-U: delete the whole line. */
  clear(): void {
    this.chars = [];
    this.cursor = 0;
  }

  up(): void {
    if (this.historyIndex === 0) return;
    if (this.historyIndex === this.history.length) this.draft = this.line;
    this.historyIndex--;
    this.set(this.history[this.historyIndex]);
  }

  down(): void {
    if (this.historyIndex >= this.history.length) return;
    this.historyIndex++;
    this.set(this.historyIndex === this.history.length ? this.draft : this.history[this.historyIndex]);
  }

  /** Enter: returns the line, adds it to history (not twice in a row, and only when asked), starts a new one. */
  accept(keep = true): string {
    const line = this.line;
    if (keep && line !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > this.maxHistory) this.history.shift();
    }
    this.historyIndex = this.history.length;
    this.draft = '';
    this.clear();
    return line;
  }

  private set(line: string): void {
    this.chars = [...line];
    this.cursor = this.chars.length;
  }
}

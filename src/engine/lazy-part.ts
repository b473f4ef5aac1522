// Parts of the engine the browser fetches on first use, so that the first
// load downloads less: each is a dynamic import that the bundler makes a
// chunk of its own. The engine runs synchronously, so a part must be there
// when a command needs it: Node entry points and tests install every part
// at start (eager-parts.ts); in the browser the client that needs one waits
// while the host fetches it (NodeHost.loadPart), virtual time held, and
// its command runs again once it is in (commands/lazy.ts).

export class LazyPart<T> {
  private value: T | null = null;
  private loading: Promise<T> | null = null;

  constructor(
    /** For messages and tests: what the part holds. */
    readonly name: string,
    private readonly importer: () => Promise<T>,
  ) {
    parts.push(this as LazyPart<unknown>);
  }

  /** The part, when it is loaded. */
  get(): T | null {
    return this.value;
  }

  /** Installs it (at start, where nothing is lazy), or takes it away (a test of the lazy path). */
  install(value: T | null): void {
    this.value = value;
    if (value === null) this.loading = null;
  }

  /** Fetches it (once) and installs it. */
  load(): Promise<T> {
    this.loading ??= this.importer().then((value) => (this.value = value));
    return this.loading;
  }

  /** True while its chunk is being fetched. */
  get isLoading(): boolean {
    return this.loading !== null && this.value === null;
  }
}

const parts: LazyPart<unknown>[] = [];

/** Every part, fetched and installed (a host about to load AOF files, which may use any command). */
export function loadAllParts(): Promise<unknown> {
  return Promise.all(parts.map((p) => p.load()));
}

/** A part is being fetched: hosts hold virtual time meanwhile. */
export function partsLoading(): boolean {
  return parts.some((p) => p.isLoading);
}

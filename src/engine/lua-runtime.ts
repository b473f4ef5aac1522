// Where the Lua runtime (src/engine/lua/, loaded through its api.ts) is
// found. The engine runs synchronously, so the runtime must be there when a
// script runs: Node entry points and tests install it at start
// (lua-eager.ts); in the browser it is a separate chunk, fetched by a
// dynamic import on the first script, while the host holds virtual time
// (NodeHost.loadLua) and the client that asked waits.

import type * as LuaApi from './lua/api.ts';

export type LuaRuntime = typeof LuaApi;

let runtime: LuaRuntime | null = null;
let loading: Promise<LuaRuntime> | null = null;

/** The runtime, when it is loaded. */
export function luaRuntime(): LuaRuntime | null {
  return runtime;
}

export function installLuaRuntime(api: LuaRuntime | null): void {
  runtime = api;
}

/** True while the runtime's chunk is being fetched (hosts hold virtual time meanwhile). */
export function luaLoading(): boolean {
  return loading !== null && runtime === null;
}

/** Fetches the runtime's chunk (once) and installs it. */
export function importLuaRuntime(): Promise<LuaRuntime> {
  loading ??= import('./lua/api.ts').then((api) => {
    runtime = api;
    return api;
  });
  return loading;
}

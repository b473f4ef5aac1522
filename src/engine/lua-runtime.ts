// Where the Lua runtime (src/engine/lua/, loaded through its api.ts) is
// found: a lazy part (lazy-part.ts), fetched by the browser on the first
// script. Loading it loads the lazy command groups too, so that a command a
// script calls never meets a part that is not there (a script cannot wait).

import type * as LuaApi from './lua/api.ts';
import { LazyPart } from './lazy-part.ts';
import { LAZY_GROUPS } from './commands/lazy-groups.ts';

export type LuaRuntime = typeof LuaApi;

export const luaPart = new LazyPart<LuaRuntime>('the Lua runtime', () =>
  Promise.all([import('./lua/api.ts'), ...LAZY_GROUPS.map(([part]) => part.load())]).then(([api]) => api),
);

/** The runtime, when it is loaded. */
export function luaRuntime(): LuaRuntime | null {
  return luaPart.get();
}

export function installLuaRuntime(api: LuaRuntime | null): void {
  luaPart.install(api);
}

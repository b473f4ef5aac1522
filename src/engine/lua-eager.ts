// Installs the Lua runtime at once: imported by the Node entry points and
// the test setup, where loading it lazily buys nothing.
import * as api from './lua/api.ts';
import { installLuaRuntime } from './lua-runtime.ts';

installLuaRuntime(api);

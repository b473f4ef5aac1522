// MODULE (moduleCommand in module.c of 7.0.15) on a server without
// modules: LIST is empty, HELP as Redis's, and LOAD/LOADEX fail as dlopen
// fails for a library the simulated machine does not have (LOADEX parses
// its CONFIG and ARGS first); UNLOAD finds no such module. LOAD, LOADEX
// and UNLOAD are protected commands (enable-module-command, node.ts).
import type { CommandContext, Handler } from './context.ts';
import { writeHelp } from './help.ts';
import { Err } from '../errors.ts';
import { cString, latin1, lowerAscii } from '../bytes.ts';

/** moduleLoad of a path: the disk's own files are not executable; anything else is not there. */
function loadFails(ctx: CommandContext, path: string): void {
  const { node, reply } = ctx;
  const inDir = !path.includes('/') && node.disk.exists(path);
  if (inDir) node.options.log.warning(`Module ${path} failed to load: It does not have execute permissions.`);
  else node.options.log.warning(`Module ${path} failed to load: ${path}: cannot open shared object file: No such file or directory`);
  reply.error(Err.moduleLoadFailed);
}

const load: Handler = (ctx) => loadFails(ctx, latin1(cString(ctx.argv[2])));

/** parseLoadexArguments: CONFIG name value pairs, then ARGS and the module's arguments. */
const loadex: Handler = (ctx) => {
  const args = ctx.argv.slice(3);
  for (let i = 0; i < args.length; i++) {
    const word = lowerAscii(cString(args[i]));
    if (word === 'config') {
      if (i + 2 >= args.length) {
        ctx.node.options.log.notice('CONFIG specified without name value pair');
        return ctx.reply.error(Err.moduleLoadFailed);
      }
      i += 2;
    } else if (word === 'args') {
      break;
    } else {
      ctx.node.options.log.notice(`Syntax Error from arguments to loadex around ${latin1(cString(args[i]))}.`);
      return ctx.reply.error(Err.moduleLoadFailed);
    }
  }
  loadFails(ctx, latin1(cString(ctx.argv[2])));
};

const HELP = [
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
];

export const moduleHandlers: Record<string, Handler> = {
  'module|list': ({ reply }) => reply.arrayHeader(0),
  'module|load': load,
  'module|loadex': loadex,
  'module|unload': ({ reply }) => reply.error(Err.moduleUnloadNoSuch),
  'module|help': ({ argv, reply }) => writeHelp(reply, argv[0], HELP),
};

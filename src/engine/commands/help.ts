// addReplyHelp (networking.c): what every container's HELP subcommand answers;
// addReplySubcommandSyntaxError, what a subcommand answers to a wrong count.
import type { ReplyWriter } from '../resp/reply-writer.ts';
import { cString, latin1 } from '../bytes.ts';
import { Err } from '../errors.ts';

/** A header naming the command as typed (upper-cased), the lines, then HELP's own. */
export function writeHelp(reply: ReplyWriter, command: Uint8Array, lines: readonly string[]): void {
  reply.arrayHeader(lines.length + 3);
  reply.status(`${latin1(cString(command)).toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) reply.status(line);
  reply.status('HELP');
  reply.status('    Prints this help.');
}

/** addReplySubcommandSyntaxError: a known subcommand given a count of arguments it does not take. */
export function subcommandSyntaxError(argv: readonly Uint8Array[]): string {
  return Err.subcommandSyntax(latin1(cString(argv[1])).slice(0, 128), latin1(cString(argv[0])).toUpperCase());
}

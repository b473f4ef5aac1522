// AUTH (acl.c authCommand of Redis 7.0.15): AUTH <password> for the default
// user, AUTH <username> <password> for any ACL user. HELLO's AUTH option
// authenticates the same way (Acl.authenticate); a failure is logged in the
// ACL log as reason "auth".
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { USER_FLAG } from '../acl/user.ts';

const DEFAULT = Uint8Array.from([0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74]);

const auth: Handler = ({ node, client, argv, reply }) => {
  if (argv.length > 3) return reply.error(Err.syntax);
  // The password (and a user name) never reach MONITOR.
  client.redacted = argv.length === 3 ? [1, 2] : [1];
  // The old form: an error when the default user has no password (acl.c checks only the nopass flag, on or off).
  if (argv.length === 2 && node.acl.defaultUser.has(USER_FLAG.NOPASS)) return reply.error(Err.authWithoutPassword);
  const user = argv.length === 2 ? DEFAULT : argv[1];
  // ACLAuthenticateUser (acl/acl.ts); argv[0] as typed is the log entry's object on failure.
  if (node.acl.authenticate(client, user, argv[argv.length - 1], argv[0])) return reply.ok();
  reply.error(Err.wrongPass);
};

export const authHandlers: Record<string, Handler> = { auth };

// AUTH for the default user and requirepass (acl.c authCommand). ACL users
// beyond "default" do not exist yet: any other user name is refused as an
// unknown user is (WRONGPASS). HELLO's AUTH option authenticates the same way.
import type { Handler } from './context.ts';
import type { Client } from '../client.ts';
import type { RedisNode } from '../node.ts';
import { Err } from '../errors.ts';
import { latin1 } from '../bytes.ts';

/**
 * ACLAuthenticateUser: true when the user's credentials check (the client
 * is authenticated from now on). A nopass user takes any password;
 * otherwise the SHA-256 of the password is one of the user's.
 */
export function authenticate(node: RedisNode, client: Client, user: string, password: Uint8Array): boolean {
  if (user !== 'default' || !node.defaultUser.check(password)) return false;
  client.authenticated = true;
  return true;
}

const auth: Handler = ({ node, client, argv, reply }) => {
  if (argv.length > 3) return reply.error(Err.syntax);
  // The password (and a user name) never reach MONITOR.
  client.redacted = argv.length === 3 ? [1, 2] : [1];
  // (acl.c checks only the nopass flag here, whether the user is on or off.)
  // The old form: an error when no password is configured.
  if (argv.length === 2 && node.defaultUser.nopass) return reply.error(Err.authWithoutPassword);
  const user = argv.length === 2 ? 'default' : latin1(argv[1]);
  if (authenticate(node, client, user, argv[argv.length - 1])) return reply.ok();
  reply.error(Err.wrongPass);
};

export const authHandlers: Record<string, Handler> = { auth };

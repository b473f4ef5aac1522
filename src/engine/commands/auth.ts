// AUTH for the default user and requirepass (acl.c authCommand). ACL users
// beyond "default" do not exist yet: any other user name is refused as an
// unknown user is (WRONGPASS).
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { latin1 } from '../bytes.ts';

const auth: Handler = ({ node, client, argv, reply }) => {
  if (argv.length > 3) return reply.error(Err.syntax);
  const nopass = node.defaultUser.nopass;
  // (acl.c checks only the nopass flag here, whether the user is on or off.)
  // The old form: an error when no password is configured.
  if (argv.length === 2 && nopass) return reply.error(Err.authWithoutPassword);
  const user = argv.length === 2 ? 'default' : latin1(argv[1]);
  // A nopass user takes any password; otherwise the SHA-256 of the password is one of the user's.
  if (user === 'default' && node.defaultUser.check(argv[argv.length - 1])) {
    client.authenticated = true;
    return reply.ok();
  }
  reply.error(Err.wrongPass);
};

export const authHandlers: Record<string, Handler> = { auth };

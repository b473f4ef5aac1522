// AUTH for the default user and requirepass (acl.c authCommand). ACL users
// beyond "default" do not exist yet: any other user name is refused as an
// unknown user is (WRONGPASS).
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { latin1 } from '../bytes.ts';
import { configValues } from '../config-values.ts';

const auth: Handler = ({ node, client, argv, reply }) => {
  if (argv.length > 3) return reply.error(Err.syntax);
  const password = configValues(node).text('requirepass');
  const nopass = password === '';
  // The old form: an error when no password is configured.
  if (argv.length === 2 && nopass) return reply.error(Err.authWithoutPassword);
  const user = argv.length === 2 ? 'default' : latin1(argv[1]);
  const given = latin1(argv[argv.length - 1]);
  // A nopass user takes any password.
  if (user === 'default' && (nopass || given === password)) {
    client.authenticated = true;
    return reply.ok();
  }
  reply.error(Err.wrongPass);
};

export const authHandlers: Record<string, Handler> = { auth };

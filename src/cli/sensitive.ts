// isSensitiveCommand of redis-cli 7.0: lines that would put a password in
// the history are not added to it (AUTH, ACL SETUSER, CONFIG SET of the
// password parameters, HELLO ... AUTH, MIGRATE ... AUTH/AUTH2).

const is = (word: string | undefined, name: string) => word !== undefined && word.toLowerCase() === name;

/** The words of a typed line, without its repeat count. */
export function isSensitiveCommand(argv: readonly string[]): boolean {
  const argc = argv.length;
  if (is(argv[0], 'auth')) return true;
  if (argc > 1 && is(argv[0], 'acl') && is(argv[1], 'setuser')) return true;
  if (argc > 2 && is(argv[0], 'config') && is(argv[1], 'set')) {
    return is(argv[2], 'masterauth') || is(argv[2], 'masteruser') || is(argv[2], 'requirepass');
  }
  // HELLO [protover [AUTH username password] [SETNAME clientname]]
  if (argc > 4 && is(argv[0], 'hello')) {
    for (let j = 2; j < argc; j++) {
      const more = argc - 1 - j;
      if (is(argv[j], 'auth') && more >= 2) return true;
      if (is(argv[j], 'setname') && more) j++;
      else return false;
    }
    return false;
  }
  // MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password] [AUTH2 username password] [KEYS key ...]
  if (argc > 7 && is(argv[0], 'migrate')) {
    for (let j = 6; j < argc; j++) {
      const more = argc - 1 - j;
      if (is(argv[j], 'auth') && more) return true;
      if (is(argv[j], 'auth2') && more >= 2) return true;
      if (is(argv[j], 'keys') && more) return false;
    }
  }
  return false;
}

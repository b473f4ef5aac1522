// The ACL user "default", as far as this engine has users: on, every key,
// channel and command, and either nopass or a set of password hashes
// (SHA-256 hex, as acl.c keeps them). requirepass sets it
// (ACLUpdateDefaultUserPassword); a `user default ...` line of redis.conf
// replaces it at start-up (ACLLoadConfiguredUsers runs after the config).
import { sha256Hex } from './sha256.ts';
import { latin1 } from './bytes.ts';

export class DefaultUser {
  /** on (USER_FLAG_ENABLED) or off. */
  enabled = true;
  /** nopass: any password authenticates. */
  nopass = true;
  /** sanitize-payload or skip-sanitize-payload when a rule set it ("reset" sets sanitize-payload). */
  sanitize: 'sanitize-payload' | 'skip-sanitize-payload' | null = null;
  /** SHA-256 hex of each password, in the order they were added. */
  hashes: string[] = [];

  /** A client of this user is authenticated from the start (createClient). */
  get authNotRequired(): boolean {
    return this.nopass && this.enabled;
  }

  /** ACLUpdateDefaultUserPassword: "resetpass", then ">password", or "nopass" for none. */
  setPassword(password: Uint8Array): void {
    this.nopass = password.length === 0;
    this.hashes = this.nopass ? [] : [sha256Hex(password)];
  }

  /** ACLCheckUserCredentials for this user. */
  check(password: Uint8Array): boolean {
    return this.enabled && (this.nopass || this.hashes.includes(sha256Hex(password)));
  }

  /**
   * ACLLoadConfiguredUsers for a `user default` line of redis.conf: "reset",
   * then its rules, of which this engine takes those that keep the user
   * what it models (all keys, channels and commands) and its passwords and
   * flags. Null, or the rule refused.
   */
  loadRules(rules: readonly Uint8Array[]): string | null {
    // reset: resetpass, resetkeys, resetchannels, off, sanitize-payload, -@all (the keys, channels and commands are given back below).
    let enabled = false;
    let nopass = false;
    let sanitize: DefaultUser['sanitize'] = 'sanitize-payload';
    let hashes: string[] = [];
    for (const r of rules) {
      const rule = latin1(r);
      const lower = rule.toLowerCase();
      if (['~*', 'allkeys', '&*', 'allchannels', '+@all', 'allcommands'].includes(lower)) continue;
      if (lower === 'on' || lower === 'off') enabled = lower === 'on';
      else if (lower === 'sanitize-payload' || lower === 'skip-sanitize-payload') sanitize = lower;
      else if (lower === 'nopass') {
        nopass = true;
        hashes = [];
      } else if (lower === 'resetpass') {
        nopass = false;
        hashes = [];
      } else if (rule.startsWith('>') || rule.startsWith('#')) {
        const h = rule.startsWith('>') ? sha256Hex(r.subarray(1)) : rule.slice(1);
        if (!/^[0-9a-f]{64}$/.test(h)) return rule;
        nopass = false;
        if (!hashes.includes(h)) hashes.push(h);
      } else {
        return rule;
      }
    }
    Object.assign(this, { enabled, nopass, sanitize, hashes });
    return null;
  }

  /** ACLDescribeUser: the flags, the password hashes, then the root selector (every key, channel, command). */
  describe(): string {
    const words = [this.enabled ? 'on' : 'off'];
    if (this.nopass) words.push('nopass');
    if (this.sanitize === 'skip-sanitize-payload') words.push('skip-sanitize-payload');
    if (this.sanitize === 'sanitize-payload') words.push('sanitize-payload');
    for (const h of this.hashes) words.push(`#${h}`);
    return `${words.join(' ')} ~* &* +@all`;
  }
}

// The hash encodings OBJECT ENCODING would report, which golden transcripts
// cannot see (the engine has no OBJECT command yet). "Observed" marks what
// redis-server 7.0.15 answered to OBJECT ENCODING after the same commands.
import { describe, expect, it } from 'vitest';
import { hashSession, fieldArgs } from './hash-support.ts';
import { hashDup, hashSet, newHash } from '../../src/engine/keyspace/hash.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

const x = (n: number) => 'x'.repeat(n);

describe('listpack to hashtable at the default thresholds (512 entries, 64 bytes)', () => {
  it('converts on a value or field longer than 64 bytes, not at 64', () => {
    const { run, hash } = hashSession();
    // Observed: listpack, hashtable, hashtable.
    expect(run('HSET', 'h1', 'f', x(64))).toBe(':1\r\n');
    expect(hash('h1')!.encoding).toBe('listpack');
    expect(run('HSET', 'h2', 'f', x(65))).toBe(':1\r\n');
    expect(hash('h2')!.encoding).toBe('hashtable');
    expect(run('HSET', 'h3', x(65), 'v')).toBe(':1\r\n');
    expect(hash('h3')!.encoding).toBe('hashtable');
  });

  it('converts on the 513th field, and never back', () => {
    const { run, hash } = hashSession();
    // Observed: 512 -> listpack; f513 -> hashtable; HDEL of three -> hashtable.
    expect(run('HSET', 'h', ...fieldArgs(512))).toBe(':512\r\n');
    expect(hash('h')!.encoding).toBe('listpack');
    expect(run('HSET', 'h', 'f1', 'again')).toBe(':0\r\n');
    expect(hash('h')!.encoding).toBe('listpack');
    expect(run('HSET', 'h', 'f513', 'v')).toBe(':1\r\n');
    expect(hash('h')!.encoding).toBe('hashtable');
    expect(run('HDEL', 'h', 'f513', 'f1', 'f2')).toBe(':3\r\n');
    expect(hash('h')!.encoding).toBe('hashtable');
    expect(run('HDEL', 'h', ...Array.from({ length: 508 }, (_, i) => `f${i + 3}`))).toBe(':508\r\n');
    expect(hash('h')!.encoding).toBe('hashtable');
    expect(run('HLEN', 'h')).toBe(':2\r\n');
  });

  it('converts 513 new fields in one HSET', () => {
    const { run, hash } = hashSession();
    expect(run('HSET', 'h', ...fieldArgs(513))).toBe(':513\r\n');
    expect(hash('h')!.encoding).toBe('hashtable');
  });

  it('HSET checks every argument before it sets any, even for a field that exists', () => {
    const { run, hash } = hashSession();
    run('HSET', 'h', 'a', '1');
    // Observed: HSET h a 1 b <65 bytes> c is an arity error and changes nothing.
    expect(run('HSET', 'h', 'a', '1', 'b', x(65), 'c')).toBe("-ERR wrong number of arguments for 'hset' command\r\n");
    expect(hash('h')!.encoding).toBe('listpack');
    expect(run('HSET', 'h', 'a', x(65))).toBe(':0\r\n');
    expect(hash('h')!.encoding).toBe('hashtable');
  });

  it('HSETNX converts only when it sets', () => {
    const { run, hash } = hashSession();
    run('HSET', 'h', 'a', '1');
    // Observed: 0 and listpack, then 1 and hashtable.
    expect(run('HSETNX', 'h', 'a', x(65))).toBe(':0\r\n');
    expect(hash('h')!.encoding).toBe('listpack');
    expect(run('HSETNX', 'h', 'b', x(65))).toBe(':1\r\n');
    expect(hash('h')!.encoding).toBe('hashtable');
  });

  it('HINCRBY with a long field and HINCRBYFLOAT to a long result convert', () => {
    const { run, hash } = hashSession();
    run('HSET', 'h5', 'a', '1');
    // Observed: the 81-byte result below, and hashtable.
    expect(run('HINCRBYFLOAT', 'h5', 'a', '1e80')).toBe(
      '$81\r\n100000000000000000000898856000223432128731007703742207457776729552965073551491072\r\n',
    );
    expect(hash('h5')!.encoding).toBe('hashtable');
    run('HSET', 'h6', 'a', '1');
    expect(run('HINCRBY', 'h6', 'y'.repeat(65), '1')).toBe(':1\r\n');
    expect(hash('h6')!.encoding).toBe('hashtable');
    run('HSET', 'h7', 'a', '1');
    expect(run('HINCRBYFLOAT', 'h7', 'a', '1e62')).toMatch(/^\$63\r\n/);
    expect(hash('h7')!.encoding).toBe('listpack');
  });
});

describe('the thresholds follow the node configuration', () => {
  it('hash-max-listpack-entries and hash-max-listpack-value', () => {
    const { node, run, hash } = hashSession();
    node.config.hashMaxListpackEntries = 2;
    node.config.hashMaxListpackValue = 3;
    run('HSET', 'h', 'a', '1', 'b', '2');
    expect(hash('h')!.encoding).toBe('listpack');
    run('HSET', 'h', 'c', '3');
    expect(hash('h')!.encoding).toBe('hashtable');
    run('HSET', 'k', 'abc', 'xyz');
    expect(hash('k')!.encoding).toBe('listpack');
    run('HSET', 'k', 'q', 'wxyz');
    expect(hash('k')!.encoding).toBe('hashtable');
    // With 0 entries allowed, the first field converts.
    node.config.hashMaxListpackEntries = 0;
    run('HSET', 'z', 'a', '1');
    expect(hash('z')!.encoding).toBe('hashtable');
  });
});

describe('the hash value', () => {
  const limits = { hashMaxListpackEntries: 512, hashMaxListpackValue: 64 };

  it('keeps insertion order; an update stays in place', () => {
    const h = newHash();
    for (const f of ['b', 'a', 'c']) hashSet(h, fromLatin1(f), fromLatin1(f.toUpperCase()), limits);
    expect(hashSet(h, fromLatin1('a'), fromLatin1('new'), limits)).toBe(true);
    expect(hashSet(h, fromLatin1('d'), fromLatin1('D'), limits)).toBe(false);
    expect([...h.fields.keys()]).toEqual(['b', 'a', 'c', 'd']);
    expect(latin1(h.fields.get('a')!)).toBe('new');
  });

  it('COPY duplicates it: same encoding, same order, no shared bytes', () => {
    const { run, hash } = hashSession();
    run('HSET', 'src', 'f', 'abc', 'g', 'def');
    run('HSET', 'big', 'f', x(65));
    expect(run('COPY', 'src', 'dst')).toBe(':1\r\n');
    expect(run('COPY', 'big', 'big2')).toBe(':1\r\n');
    const [src, dst] = [hash('src')!, hash('dst')!];
    expect(dst).not.toBe(src);
    expect(dst.fields).not.toBe(src.fields);
    expect(dst.encoding).toBe('listpack');
    expect(hash('big2')!.encoding).toBe('hashtable');
    dst.fields.get('f')![0] = 0x7a;
    expect(run('HGET', 'src', 'f')).toBe('$3\r\nabc\r\n');
    expect(run('HGETALL', 'dst')).toBe('*4\r\n$1\r\nf\r\n$3\r\nzbc\r\n$1\r\ng\r\n$3\r\ndef\r\n');
    const copy = hashDup(src);
    expect([...copy.fields.keys()]).toEqual(['f', 'g']);
  });
});

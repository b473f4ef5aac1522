// Captures COMMAND INFO and COMMAND DOCS from a real redis-server into
// src/engine/commands/captured/, then regenerates the command table.
// Run: npm run capture:commands  (needs redis-server 7.0.15 on PATH)
import fs from 'node:fs';
import path from 'node:path';
import { startRealRedis } from '../tests/support/real-redis.ts';
import { RawClient } from '../tests/support/raw-client.ts';
import type { Reply } from '../src/engine/resp/reply-reader.ts';
import { generateCommandTable } from './gen-command-table.ts';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'src/engine/commands/captured');

type Json = string | number | null | boolean | Json[] | { [k: string]: Json };

function toJson(r: Reply): Json {
  switch (r.type) {
    case 'status':
    case 'error':
      return Buffer.from(r.text).toString('latin1');
    case 'bulk':
    case 'verbatim':
      return Buffer.from(r.value).toString('latin1');
    case 'integer':
      return Number(r.value);
    case 'nil':
      return null;
    case 'bool':
      return r.value;
    case 'double':
    case 'bignum':
      return r.text;
    case 'map': {
      const o: { [k: string]: Json } = {};
      for (let i = 0; i < r.items.length; i += 2) o[String(toJson(r.items[i]))] = toJson(r.items[i + 1]);
      return o;
    }
    default:
      return r.items.map(toJson);
  }
}

const server = await startRealRedis();
try {
  const c = await RawClient.connect(server.port);
  const version = toJson((await c.command('INFO', 'server'))) as string;
  const redisVersion = /redis_version:(\S+)/.exec(version)?.[1];
  // RESP3 so COMMAND DOCS comes as maps.
  await c.command('HELLO', '3');
  const info = toJson(await c.command('COMMAND', 'INFO')) as Json[];
  const docs = toJson(await c.command('COMMAND', 'DOCS')) as { [k: string]: Json };
  c.close();
  info.sort((a, b) => String((a as Json[])[0]).localeCompare(String((b as Json[])[0])));
  const sortedDocs = Object.fromEntries(Object.keys(docs).sort().map((k) => [k, docs[k]]));
  fs.mkdirSync(outDir, { recursive: true });
  const header = { captured_from: `redis-server ${redisVersion}`, by: 'scripts/capture-commands.ts' };
  fs.writeFileSync(path.join(outDir, 'command-info.json'), JSON.stringify({ ...header, commands: info }, null, 1) + '\n');
  fs.writeFileSync(path.join(outDir, 'command-docs.json'), JSON.stringify({ ...header, docs: sortedDocs }, null, 1) + '\n');
  console.log(`captured ${info.length} commands from redis-server ${redisVersion}`);
} finally {
  await server.stop();
}
generateCommandTable();

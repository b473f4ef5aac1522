// COMMAND DOCS [command-name ...] (commandDocsCommand and addReplyCommandDocs
// in server.c of 7.0.15), answered from the docs captured from the real
// server (captured/command-docs.json, scripts/capture-commands.ts). JSON
// keeps the fields in the order Redis wrote them but not their RESP types,
// which 7.0.15 fixes: doc_flags and an argument's flags are sets of status
// replies, history a set of [version, change] pairs, key_spec_index an integer, everything else bulk strings; maps
// and sets are arrays in RESP2.
import type { Handler } from './context.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import { lowerAscii } from '../bytes.ts';
import captured from './captured/command-docs.json';

type Json = string | number | Json[] | { [key: string]: Json };
const DOCS = (captured as unknown as { docs: Record<string, Record<string, Json>> }).docs;

/** Every container's docs hold its subcommands by full name ("config|get"). */
function find(name: string): { name: string; docs: Record<string, Json> } | null {
  const [top, sub] = name.split('|');
  const docs = DOCS[top];
  if (!docs || name.split('|').length > 2) return null;
  if (sub === undefined) return { name: top, docs };
  const subs = docs.subcommands as Record<string, Record<string, Json>> | undefined;
  return subs?.[name] ? { name, docs: subs[name] } : null;
}

function writeSet(reply: ReplyWriter, items: readonly Json[]): void {
  reply.setHeader(items.length);
  for (const item of items) reply.status(String(item));
}

function writeArgument(reply: ReplyWriter, arg: Record<string, Json>): void {
  const keys = Object.keys(arg);
  reply.mapHeader(keys.length);
  for (const key of keys) {
    reply.bulkText(key);
    const value = arg[key];
    if (key === 'flags') writeSet(reply, value as Json[]);
    else if (key === 'key_spec_index') reply.integer(value as number);
    else if (key === 'arguments') writeArguments(reply, value as Record<string, Json>[]);
    else reply.bulkText(String(value));
  }
}

function writeArguments(reply: ReplyWriter, args: readonly Record<string, Json>[]): void {
  reply.arrayHeader(args.length);
  for (const arg of args) writeArgument(reply, arg);
}

function writeDocs(reply: ReplyWriter, docs: Record<string, Json>): void {
  const keys = Object.keys(docs);
  reply.mapHeader(keys.length);
  for (const key of keys) {
    reply.bulkText(key);
    const value = docs[key];
    if (key === 'doc_flags') writeSet(reply, value as Json[]);
    else if (key === 'history') {
      const entries = value as string[][];
      reply.setHeader(entries.length);
      for (const [version, change] of entries) {
        reply.arrayHeader(2);
        reply.bulkText(version);
        reply.bulkText(change);
      }
    } else if (key === 'arguments') writeArguments(reply, value as Record<string, Json>[]);
    else if (key === 'subcommands') {
      const subs = value as Record<string, Record<string, Json>>;
      const names = Object.keys(subs);
      reply.mapHeader(names.length);
      for (const name of names) {
        reply.bulkText(name);
        writeDocs(reply, subs[name]);
      }
    } else reply.bulkText(String(value));
  }
}

/** With no name, every command (Redis's dict order is random; the captured order here); else the ones found. */
const docs: Handler = ({ argv, reply }) => {
  const found =
    argv.length === 2
      ? Object.keys(DOCS).map((name) => ({ name, docs: DOCS[name] }))
      : argv.slice(2).flatMap((arg) => find(lowerAscii(arg)) ?? []);
  reply.mapHeader(found.length);
  for (const f of found) {
    reply.bulkText(f.name);
    writeDocs(reply, f.docs);
  }
};

export const commandDocsHandlers: Record<string, Handler> = { 'command|docs': docs };

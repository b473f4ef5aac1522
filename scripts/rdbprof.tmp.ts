import '../src/engine/eager-parts.ts';
import { World } from '../src/sim/world.ts';
import { encodeCommand } from '../src/engine/resp/reply-reader.ts';
const world = new World({ ports: [6379, 6380], directives: [['enable-debug-command', 'yes'], ['save', '']] });
const conn = world.connectExternal(6379, { data() {}, closed() {} })!;
conn.write(encodeCommand([Buffer.from('DEBUG'), Buffer.from('POPULATE'), Buffer.from('1000000')]));
conn.write(encodeCommand([Buffer.from('SAVE')]));
world.runUntil(world.nowUs + 1000);
const file = world.disk(6379).read('dump.rdb')!;
world.crashNode(6379);
for (let i = 0; i < 4; i++) {
  world.crashNode(6380);
  world.disk(6380).write('dump.rdb', file);
  (globalThis as { gc?: () => void }).gc?.();
  const t = performance.now();
  world.startNode(6380);
  console.log('load ms', (performance.now() - t).toFixed(0));
}

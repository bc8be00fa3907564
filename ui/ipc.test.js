import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import assert from 'node:assert/strict';

// Tauri's global API as the window sees it, recording the command each call invokes.
let invoked = [];
class Channel {
  onmessage = null;
}
globalThis.window = {
  __TAURI__: {
    core: {
      invoke: async (command) => {
        invoked.push(command);
        return null;
      },
      Channel,
    },
  },
};
const ipc = await import('./ipc.js');

// What calling each function of ipc.js invokes: { name: [commands] }.
async function commandsOfEachFunction() {
  const used = {};
  for (const [name, value] of Object.entries(ipc)) {
    if (typeof value !== 'function') continue;
    invoked = [];
    await value();
    used[name] = invoked;
  }
  return used;
}

// A granted permission for a command: `allow-queue-add` for queue_add, and for a plugin's
// command (`plugin:opener|open_url`) that plugin's `opener:allow-open-url`.
function permissionFor(command) {
  const plugin = /^plugin:([\w-]+)\|(\w+)$/.exec(command);
  if (plugin) return `${plugin[1]}:allow-${plugin[2].replaceAll('_', '-')}`;
  return `allow-${command.replaceAll('_', '-')}`;
}

test('ipc.js has one function for each command, and uses every command the window may call', async () => {
  const used = await commandsOfEachFunction();
  // previewSource builds an address from what previewBase fetched: it calls nothing.
  assert.deepEqual(used.previewSource, []);
  delete used.previewSource;
  const commands = [];
  for (const [name, invokedBy] of Object.entries(used)) {
    assert.equal(invokedBy.length, 1, `${name} invokes ${invokedBy.join(', ') || 'nothing'}`);
    assert.ok(!commands.includes(invokedBy[0]), `${invokedBy[0]} has two functions`);
    commands.push(invokedBy[0]);
  }
  const capability = JSON.parse(readFileSync(new URL('../src-tauri/capabilities/main.json', import.meta.url), 'utf8'));
  const granted = capability.permissions.map((permission) => (typeof permission === 'string' ? permission : permission.identifier));
  assert.deepEqual(new Set(commands.map(permissionFor)), new Set(granted));
  assert.equal(granted.length, commands.length);
});

test('no other module talks to Rust', () => {
  const modules = readdirSync(new URL('.', import.meta.url))
    .filter((name) => name.endsWith('.js') && !name.endsWith('.test.js') && name !== 'ipc.js');
  assert.ok(modules.includes('app.js'));
  for (const name of modules) {
    const text = readFileSync(new URL(name, import.meta.url), 'utf8');
    assert.ok(!text.includes('__TAURI__') && !text.includes('invoke('), `${name} calls Rust without ipc.js`);
  }
});

// Runs the browser test suite against one server: starts `tandem serve` on a
// fresh demo database (TANDEM names the binary), runs every *.test.mjs file of
// this directory (or those named on the command line) one at a time with
// node's test runner, then stops the server. Exits with the runner's status.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2).length
  ? process.argv.slice(2).map((f) => path.resolve(f))
  : readdirSync(here)
      .filter((f) => f.endsWith('.test.mjs'))
      .sort()
      .map((f) => path.join(here, f));

const server = await startServer();
console.log(`# server under test: ${server.url}`);
let child;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    child?.kill(signal);
    await server.stop();
    process.exit(1);
  });
}
const code = await new Promise((resolve) => {
  child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, TANDEM_URL: server.url },
  });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
await server.stop();
process.exit(code);

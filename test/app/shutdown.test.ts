// Graceful shutdown: on SIGTERM the app stops accepting, finishes the request in flight, closes the database, exits 0.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, get } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

const entry = join(__dirname, '..', '..', 'server', 'index.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (pattern.test(out)) resolve();
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
  });
}

describe('graceful shutdown', function () {
  this.timeout(30_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'shutdown-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lets an in-flight request finish, refuses new connections and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent', SEED_DEMO: 'never', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitForOutput(child, /running at/);

    // A request whose body is still arriving when SIGTERM lands.
    const body = 'email=a%40b.org&password=' + 'x'.repeat(2000);
    const response = new Promise<number>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.write(body.slice(0, 100));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(async () => {
          const refused = await new Promise<boolean>((r) => get({ port, host: '127.0.0.1', path: '/health' }, () => r(false)).on('error', () => r(true)));
          expect(refused, 'a new connection was accepted during shutdown').to.equal(true);
          req.end(body.slice(100));
        }, 300);
      }, 300);
    });
    const status = await response;
    expect(status).to.equal(403); // answered (no CSRF token), not cut off
    expect(await exited).to.equal(0);
  });
});

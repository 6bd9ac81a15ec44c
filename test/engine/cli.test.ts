// `npm run db`: the engine alone in its own process serves mongoose from another, and stops cleanly.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';

const cli = join(__dirname, '..', '..', 'server', 'embedded-mongo', 'cli.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function startCli(port: number, dataDir: string): Promise<{ child: ChildProcess; uri: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli], { env: { ...process.env, EMBEDDED_MONGO_PORT: String(port), DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^(mongodb:\/\/\S+)$/m.exec(out);
      if (m) resolve({ child, uri: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`db exited (${code}): ${out}`)));
  });
}

describe('npm run db', function () {
  this.timeout(30_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'engine-cli-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves mongoose from another process, keeps data across a restart and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const first = await startCli(port, dataDir);
    expect(first.uri).to.equal(`mongodb://127.0.0.1:${port}/`);
    const conn = await mongoose.createConnection(first.uri + 'clitest').asPromise();
    const Note = conn.model('Note', new mongoose.Schema({ text: String }));
    await Note.create({ text: 'kept' });
    await conn.close();
    const code = await new Promise<number | null>((resolve) => {
      first.child.on('exit', (c) => resolve(c));
      first.child.kill('SIGTERM');
    });
    expect(code).to.equal(0);

    const second = await startCli(port, dataDir);
    const conn2 = await mongoose.createConnection(second.uri + 'clitest').asPromise();
    const notes = await conn2.model('Note', new mongoose.Schema({ text: String })).find().lean();
    expect(notes.map((n) => n.text)).to.deep.equal(['kept']);
    await conn2.close();
    second.child.kill('SIGINT');
    await new Promise((resolve) => second.child.on('exit', resolve));
  });
});

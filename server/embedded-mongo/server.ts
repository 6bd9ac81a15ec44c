// The TCP server: reads framed messages per connection, runs them in order, and writes the replies.
import { Server, Socket, createServer } from 'node:net';
import { EngineState } from './commands/context';
import { execute } from './dispatcher';
import { OP_QUERY, ProtocolError, encodeOpMsg, encodeOpReply, messageLength, parseMessage } from './wire';

export interface WireServerOptions {
  host: string;
  port: number;
  /** reports a connection closed for a protocol error (never thrown) */
  onProtocolError?: (err: Error) => void;
}

export class WireServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private connectionIds = 0;
  private readonly engine: EngineState;
  private readonly options: WireServerOptions;

  constructor(engine: EngineState, options: WireServerOptions) {
    this.engine = engine;
    this.options = options;
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : this.options.port);
      });
    });
  }

  private accept(socket: Socket): void {
    const connectionId = ++this.connectionIds;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let chunks: Buffer[] = [];
    let buffered = 0;
    let queue: Promise<void> = Promise.resolve();
    const fail = (err: Error) => {
      // A malformed message closes this connection only; the server goes on.
      this.options.onProtocolError?.(err);
      socket.destroy();
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      buffered += chunk.length;
      try {
        while (buffered >= 4) {
          // Join chunks only once a whole message is there: joining on every chunk made a 16 MB
          // message cost hundreds of full copies.
          if (chunks[0].length < 4) chunks = [Buffer.concat(chunks, buffered)];
          const len = messageLength(chunks[0]);
          if (len === undefined || buffered < len) break;
          let buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
          const msg = buf.subarray(0, len);
          buf = buf.subarray(len);
          chunks = buf.length ? [buf] : [];
          buffered = buf.length;
          queue = queue.then(() => this.handle(socket, msg, connectionId)).catch(fail);
        }
      } catch (err) {
        fail(err as Error);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(socket: Socket, msg: Buffer, connectionId: number): Promise<void> {
    if (socket.destroyed) return;
    const req = parseMessage(msg);
    if (req.opCode === OP_QUERY) {
      const name = Object.keys(req.body)[0]?.toLowerCase();
      if (name !== 'ismaster' && name !== 'hello') throw new ProtocolError('OP_QUERY is only supported for the handshake');
      const reply = await execute(this.engine, { isMaster: 1, ...req.body }, req.db, connectionId);
      if (!socket.destroyed) socket.write(encodeOpReply(req.requestId, reply));
      return;
    }
    const reply = await execute(this.engine, req.body, req.db, connectionId);
    if (!req.moreToCome && !socket.destroyed) socket.write(encodeOpMsg(req.requestId, reply));
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

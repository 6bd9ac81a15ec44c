// Outgoing e-mail: SMTP when configured, else an outbox of JSON files in DATA_DIR that admins can read.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

export interface SentEmail extends Email {
  id: string;
  sentAt: string;
}

export interface Mailer {
  send(email: Email): Promise<void>;
  /** The outbox, newest first (empty when mail goes out by SMTP). */
  list(): Promise<SentEmail[]>;
  readonly kind: 'smtp' | 'outbox' | 'memory';
}

export class OutboxMailer implements Mailer {
  readonly kind = 'outbox' as const;
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'outbox');
  }

  async send(email: Email): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const sentAt = new Date().toISOString();
    const id = `${sentAt.replace(/[:.]/g, '-')}-${randomUUID()}`;
    writeFileSync(join(this.dir, `${id}.json`), JSON.stringify({ id, sentAt, ...email }, null, 2), { mode: 0o600 });
  }

  async list(): Promise<SentEmail[]> {
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    return files.sort().reverse().map((f) => JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as SentEmail);
  }
}

/** Keeps messages in memory: for tests. */
export class MemoryMailer implements Mailer {
  readonly kind = 'memory' as const;
  readonly sent: SentEmail[] = [];

  async send(email: Email): Promise<void> {
    this.sent.push({ id: randomUUID(), sentAt: new Date().toISOString(), ...email });
  }

  async list(): Promise<SentEmail[]> {
    return [...this.sent].reverse();
  }

  /** The last message sent to an address. */
  lastTo(to: string): SentEmail | undefined {
    return [...this.sent].reverse().find((m) => m.to === to);
  }
}

export class SmtpMailer implements Mailer {
  readonly kind = 'smtp' as const;
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(smtp: { host: string; port: number; user?: string; password?: string }, from: string) {
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.port === 465,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    });
    this.from = from;
  }

  async send(email: Email): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: email.to, subject: email.subject, text: email.text });
  }

  async list(): Promise<SentEmail[]> {
    return [];
  }
}

// The in-app scheduler: every interval it runs the jobs that are due at the clock's now (today: deadline
// reminders). Several app processes may run one each; a lease in the database lets only one do the work at a
// time, to save effort. Sending once is guaranteed by the per-send claims in services/reminders.ts, not the lease.
import { randomUUID } from 'node:crypto';
import { trusted } from 'mongoose';
import { ScheduledSend } from '../models/ScheduledSend';
import { Clock } from './clock';
import { Logger } from './logger';
import { Mailer } from './mail/mailer';
import { ReminderSummary, runDueReminders } from './services/reminders';

export type Summary = ({ ran: true } & ReminderSummary) | { ran: false; reason: 'not-my-turn' };

export interface SchedulerDeps {
  clock: Clock;
  mailer: Mailer;
  baseUrl: string;
  logger?: Logger;
}

const LEASE = { job: 'lease', key: 'scheduler' } as const;

export class Scheduler {
  /** this instance's lease holder id */
  readonly holder = randomUUID();
  private intervalMs = 60_000;
  private timer?: NodeJS.Timeout;
  private running?: Promise<Summary>;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Runs the due jobs once at clock.now() (joining a tick already running in this instance). */
  tick(): Promise<Summary> {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Ticks every interval (and once now); the timer does not keep the process alive. */
  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.intervalMs = intervalMs;
    const safeTick = () => {
      this.tick().catch((err) => this.deps.logger?.error({ err }, 'scheduler tick failed'));
    };
    this.timer = setInterval(safeTick, intervalMs);
    this.timer.unref();
    safeTick();
  }

  /** Stops ticking, waits for a running tick to finish, and gives the lease up so another process can take over. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await ScheduledSend.updateOne({ ...LEASE, holder: this.holder }, { $set: { until: this.deps.clock.now() } });
  }

  private async runOnce(): Promise<Summary> {
    if (!(await this.takeLease())) return { ran: false, reason: 'not-my-turn' };
    const summary = await runDueReminders(this.deps.clock, this.deps.mailer, this.deps.baseUrl);
    if (summary.reminders || summary.deadlineNotices || summary.emailFailed.length) {
      this.deps.logger?.info({ event: 'scheduler.sent', ...summary }, 'scheduler sent reminders');
    }
    return { ran: true, ...summary };
  }

  /**
   * One conditional upsert: the lease becomes ours if it is expired or already ours. When another holder's lease
   * is current the filter matches nothing and the upsert's insert hits the unique (job, key): not our turn.
   */
  private async takeLease(): Promise<boolean> {
    const now = this.deps.clock.now();
    const until = new Date(now.getTime() + 2 * this.intervalMs);
    try {
      await ScheduledSend.updateOne(
        { ...LEASE, $or: [{ until: trusted({ $lte: now }) }, { holder: this.holder }] } as any,
        { $set: { holder: this.holder, until, at: now } },
        { upsert: true },
      );
      return true;
    } catch (err: any) {
      if (err?.code === 11000) return false;
      throw err;
    }
  }
}

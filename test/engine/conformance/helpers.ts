// Shared helpers for the conformance suite: one target per suite, and error assertions by code.
import { expect } from 'chai';
import { Db } from 'mongodb';
import { Target, startTarget, uniqueDbName } from '../harness';

export interface Suite {
  target: Target;
  db: Db;
}

/** Registers before/after hooks that start a target and give the suite its own database. */
export function useTarget(prefix: string, options: { ttlMonitorIntervalMs?: number } = {}): Suite {
  const suite = {} as Suite;
  before(async function () {
    this.timeout(20_000);
    suite.target = await startTarget(options);
    suite.db = suite.target.client.db(uniqueDbName(prefix));
  });
  after(async function () {
    this.timeout(20_000);
    if (!suite.target) return;
    await suite.db.dropDatabase().catch(() => undefined);
    await suite.target.stop();
  });
  return suite;
}

/** Awaits a promise that must reject, and returns the error for further checks. */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  expect.fail('expected the operation to fail');
}

/** Awaits a promise that must reject with a server error of the given code. */
export async function expectCode(p: Promise<unknown>, code: number): Promise<any> {
  const err = await rejection(p);
  expect(err.code, `code of ${err.message}`).to.equal(code);
  return err;
}

// What every check shares: the SDK's API module, the emulator, the webhook receiver, the
// suite's own orders, and helpers to make payment requests through the SDK.

import { randomUUID } from 'node:crypto';

import { CheckFailure, describeError, waitFor } from './harness.mjs';

/** The orders the suite adds to the emulator (setup, through `/_emulator/orders`). */
export function suiteOrders() {
  return {
    plain: {
      id: randomUUID(),
      number: '20001',
      currency: 'EUR',
      total: '100.00',
      balance: '100.00',
      status: 'APPROVED',
      subscription: false,
    },
    subscription: {
      id: randomUUID(),
      number: '20002',
      currency: 'EUR',
      total: '30.00',
      balance: '30.00',
      status: 'INITIALIZED',
      subscription: true,
    },
  };
}

/** Shared state and helpers of one run. */
export class Context {
  /**
   * @param api the SDK's `orderPaymentRequests` module, bound to the emulator
   * @param emulator the running emulator
   * @param receiver the webhook receiver
   * @param orders the suite's orders (see `suiteOrders`)
   * @param appId the app (GUID) the requests name as `source.appId` and webhooks come from
   */
  constructor({ api, emulator, receiver, orders, appId }) {
    this.api = api;
    this.appId = appId;
    this.emulator = emulator;
    this.receiver = receiver;
    this.orders = orders;
    this.runId = randomUUID().slice(0, 8);
    this.counter = 0;
  }

  /** A fresh `source.externalId`, unique in this run, starting with `prefix`. */
  externalId(prefix = 'ext') {
    this.counter += 1;
    return `${prefix}-${this.runId}-${this.counter}`;
  }

  /** The fields of a valid new payment request for the plain order, with `fields` on top. */
  draft(fields = {}) {
    return {
      title: 'Balance of order 20001',
      description: 'Conformance suite',
      orderId: this.orders.plain.id,
      amount: { amount: '15.50' },
      source: { appId: this.appId, externalId: this.externalId() },
      ...fields,
    };
  }

  /** Creates a payment request through the SDK and answers what the SDK returns. */
  async create(fields = {}) {
    try {
      return await this.api.createOrderPaymentRequest({ orderPaymentRequest: this.draft(fields) });
    } catch (error) {
      throw new CheckFailure(
        'setup: createOrderPaymentRequest failed',
        'a created payment request',
        describeError(error),
      );
    }
  }

  /** Creates one that expires in an hour of the emulator's clock, then lets it expire. */
  async createExpired(fields = {}) {
    const now = await this.emulator.now();
    const created = await this.create({
      expirationDate: new Date(now.getTime() + 3_600_000),
      ...fields,
    });
    await this.emulator.advanceClock(7_200);
    await this.waitForStatus(created._id, 'EXPIRED');
    return created;
  }

  /** Creates one and pays it with the SDK's charge, waiting until it is `PAID`. */
  async createPaid(fields = {}) {
    const created = await this.create(fields);
    await this.api.chargeOrderPaymentRequest(created._id, { paymentToken: `tok_${randomUUID()}` });
    await this.waitForStatus(created._id, 'PAID');
    return created;
  }

  /** Polls the SDK's get until request `id` has `status`. */
  async waitForStatus(id, status) {
    let last;
    return waitFor(
      `payment request ${id} to become ${status}`,
      async () => {
        last = await this.api.getOrderPaymentRequest(id);
        return last?.status === status ? last : undefined;
      },
      { lastSeen: () => last?.status },
    );
  }
}

/** The SDK call `call` must fail with application error `code` (a 4xx); answers the error. */
export async function expectApplicationError(call, code) {
  let result;
  try {
    result = await call();
  } catch (error) {
    const got = error?.details?.applicationError?.code;
    if (got !== code || !(error.status >= 400 && error.status < 500)) {
      throw new CheckFailure(
        'the SDK surfaced a different error',
        `a 4xx with details.applicationError.code ${code}`,
        describeError(error),
      );
    }
    return error;
  }
  throw new CheckFailure('the call succeeded', `an error with code ${code}`, result);
}

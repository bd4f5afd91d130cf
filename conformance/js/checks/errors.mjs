// Illegal calls and transitions: the documented application error codes, and a validation
// error, as Wix's SDK surfaces them (`error.details.applicationError`, `validationError`).

import { randomUUID } from 'node:crypto';

import { describeError, expectEqual, expectThat, fail } from '../lib/harness.mjs';
import { expectApplicationError } from '../lib/context.mjs';

/** Adds the error checks to `suite`. */
export function register(suite, ctx) {
  suite.check('get: an unknown id → ORDER_PAYMENT_REQUEST_NOT_FOUND (404)', async () => {
    const error = await expectApplicationError(
      () => ctx.api.getOrderPaymentRequest(randomUUID()),
      'ORDER_PAYMENT_REQUEST_NOT_FOUND',
    );
    expectEqual('HTTP status', error.status, 404);
    expectThat(
      'the request id is kept',
      typeof error.requestId === 'string' && error.requestId !== '',
      'X-Wix-Request-Id',
      error.requestId,
    );
  });

  suite.check('create: an unknown order → ORDER_NOT_FOUND (404), with its own text', async () => {
    const error = await expectApplicationError(
      () =>
        ctx.api.createOrderPaymentRequest({
          orderPaymentRequest: ctx.draft({ orderId: randomUUID() }),
        }),
      'ORDER_NOT_FOUND',
    );
    expectEqual('HTTP status', error.status, 404);
    const description = error.details.applicationError.description ?? '';
    expectThat(
      "Create's own description, not Bulk Create's per-item one",
      description !== '' && !description.includes('itemMetadata'),
      "a description of Create's error",
      description,
    );
  });

  suite.check(
    'create: a missing title → 400 naming options.orderPaymentRequest.title',
    async () => {
      const withoutTitle = ctx.draft();
      delete withoutTitle.title;
      try {
        const result = await ctx.api.createOrderPaymentRequest({
          orderPaymentRequest: withoutTitle,
        });
        fail('the call succeeded', 'a validation error', result);
      } catch (error) {
        if (error?.details?.validationError === undefined) {
          fail('the SDK surfaced a different error', 'a validation error', describeError(error));
        }
        expectEqual('HTTP status', error.status, 400);
        expectEqual(
          'violated fields, as the SDK maps them to its arguments',
          error.details.validationError.fieldViolations.map(({ field }) => field),
          ['options.orderPaymentRequest.title'],
        );
      }
    },
  );

  suite.check(
    'create: a partial amount for a subscription order → PARTIAL_PAYMENT_NOT_SUPPORTED_FOR_SUBSCRIPTION',
    async () => {
      await expectApplicationError(
        () =>
          ctx.api.createOrderPaymentRequest({
            orderPaymentRequest: ctx.draft({
              orderId: ctx.orders.subscription.id,
              amount: { amount: '1.00' },
            }),
          }),
        'PARTIAL_PAYMENT_NOT_SUPPORTED_FOR_SUBSCRIPTION',
      );
    },
  );

  suite.check(
    'update: changing the amount → CANNOT_UPDATE_ORDER_PAYMENT_REQUEST_AMOUNT',
    async () => {
      const created = await ctx.create();
      await expectApplicationError(
        () => ctx.api.updateOrderPaymentRequest(created._id, { amount: { amount: '9.99' } }),
        'CANNOT_UPDATE_ORDER_PAYMENT_REQUEST_AMOUNT',
      );
    },
  );

  suite.check('update: a VOIDED request → CANNOT_UPDATE_VOIDED_ORDER_PAYMENT_REQUEST', async () => {
    const created = await ctx.create();
    await ctx.api.voidOrderPaymentRequest(created._id);
    await expectApplicationError(
      () => ctx.api.updateOrderPaymentRequest(created._id, { title: 'Too late' }),
      'CANNOT_UPDATE_VOIDED_ORDER_PAYMENT_REQUEST',
    );
  });

  suite.check('paid request: void, delete, update and charge fail with their codes', async () => {
    const paid = await ctx.createPaid();
    await expectApplicationError(
      () => ctx.api.voidOrderPaymentRequest(paid._id),
      'CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST',
    );
    await expectApplicationError(
      () => ctx.api.deleteOrderPaymentRequest(paid._id),
      'CANNOT_DELETE_PAID_ORDER_PAYMENT_REQUEST',
    );
    await expectApplicationError(
      () => ctx.api.updateOrderPaymentRequest(paid._id, { title: 'Too late' }),
      'CANNOT_UPDATE_PAID_ORDER_PAYMENT_REQUEST',
    );
    await expectApplicationError(
      () => ctx.api.chargeOrderPaymentRequest(paid._id, { paymentToken: `tok_${randomUUID()}` }),
      'CANNOT_CHARGE_PAID_ORDER_PAYMENT_REQUEST',
    );
    expectEqual('still PAID', (await ctx.api.getOrderPaymentRequest(paid._id))?.status, 'PAID');
  });

  suite.check('expired request: void and charge fail with their codes', async () => {
    const expired = await ctx.createExpired();
    await expectApplicationError(
      () => ctx.api.voidOrderPaymentRequest(expired._id),
      'CANNOT_VOID_EXPIRED_ORDER_PAYMENT_REQUEST',
    );
    await expectApplicationError(
      () => ctx.api.chargeOrderPaymentRequest(expired._id, { paymentToken: `tok_${randomUUID()}` }),
      'CANNOT_CHARGE_EXPIRED_ORDER_PAYMENT_REQUEST',
    );
  });

  suite.check('charge: INVALID_PAYMENT_STATUS carries its data', async () => {
    const created = await ctx.create();
    const error = await expectApplicationError(
      () => ctx.api.chargeOrderPaymentRequest(created._id, { paymentToken: 'tok_invalid_status' }),
      'INVALID_PAYMENT_STATUS',
    );
    const data = error.details.applicationError.data;
    expectThat(
      'data.paymentStatus is a string',
      typeof data?.paymentStatus === 'string' && data.paymentStatus !== '',
      '{ paymentStatus, ... }',
      data,
    );
  });
}

// The ten operations, each through Wix's SDK, with what the SDK hands back checked field by field.

import { randomUUID } from 'node:crypto';

import { expectEqual, expectThat } from '../lib/harness.mjs';
import { expectApplicationError } from '../lib/context.mjs';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The fields a user sets on create, as the SDK returns them. */
function userFields(request) {
  const { title, description, orderId, amount, source, expirationDate } = request;
  return { title, description, orderId, amount: amount?.amount, source, expirationDate };
}

/** Adds the operation checks to `suite`. */
export function register(suite, ctx) {
  suite.check('create: returns the new request with the server-filled fields', async () => {
    const now = await ctx.emulator.now();
    const expirationDate = new Date(now.getTime() + 86_400_000);
    const draft = ctx.draft({ expirationDate });
    // The SDK serializes the argument in place (dates become strings): keep a copy.
    const sent = structuredClone(draft);
    const created = await ctx.api.createOrderPaymentRequest({ orderPaymentRequest: draft });
    expectThat('_id is a GUID', GUID.test(created?._id ?? ''), 'a GUID', created?._id);
    expectEqual('status', created.status, 'UNPAID');
    expectEqual('fields sent', userFields(created), { ...userFields(sent), amount: '15.50' });
    expectEqual("currency (the order's)", created.currency, ctx.orders.plain.currency);
    expectEqual("orderNumber (the order's)", created.orderNumber, ctx.orders.plain.number);
    expectThat(
      'amount.formattedAmount is filled',
      typeof created.amount?.formattedAmount === 'string' && created.amount.formattedAmount !== '',
      'a non-empty string',
      created.amount,
    );
    expectThat(
      'paymentGatewayOrderId is filled',
      typeof created.paymentGatewayOrderId === 'string' && created.paymentGatewayOrderId !== '',
      'a non-empty string',
      created.paymentGatewayOrderId,
    );
    for (const field of ['_createdDate', '_updatedDate']) {
      expectThat(
        `${field} is a date the SDK parsed`,
        created[field] instanceof Date && !Number.isNaN(created[field].getTime()),
        'a valid Date',
        created[field],
      );
    }
  });

  suite.check('bulk create: each item succeeds or fails alone (returnEntity: true)', async () => {
    const good = [ctx.draft({ title: 'Bulk one' }), ctx.draft({ title: 'Bulk two' })];
    const unknownOrder = ctx.draft({ title: 'Bulk bad', orderId: randomUUID() });
    const response = await ctx.api.bulkCreateOrderPaymentRequests(
      [good[0], unknownOrder, good[1]],
      { returnEntity: true },
    );
    const results = response?.results ?? [];
    expectEqual('number of results', results.length, 3);
    expectEqual(
      'itemMetadata.originalIndex and success',
      results.map(({ itemMetadata }) => [itemMetadata?.originalIndex, itemMetadata?.success]),
      [
        [0, true],
        [1, false],
        [2, true],
      ],
    );
    expectEqual(
      "the failed item's error code",
      results[1].itemMetadata.error?.code,
      'ORDER_NOT_FOUND',
    );
    for (const index of [0, 2]) {
      const { itemMetadata, item } = results[index];
      expectEqual(
        `item ${index}: title`,
        item?.orderPaymentRequest?.title,
        [good[0], null, good[1]][index].title,
      );
      expectEqual(
        `item ${index}: itemMetadata._id is the entity's`,
        itemMetadata._id,
        item.orderPaymentRequest._id,
      );
      expectEqual(`item ${index}: status`, item.orderPaymentRequest.status, 'UNPAID');
    }
    expectEqual('bulkActionMetadata', response.bulkActionMetadata, {
      totalSuccesses: 2,
      totalFailures: 1,
      undetailedFailures: 0,
    });
  });

  suite.check('bulk create: without returnEntity the items carry ids only', async () => {
    const response = await ctx.api.bulkCreateOrderPaymentRequests([
      ctx.draft({ title: 'Bulk ids' }),
    ]);
    const [result] = response?.results ?? [];
    expectThat('one result', (response?.results ?? []).length === 1, 1, response);
    expectEqual('success', result.itemMetadata?.success, true);
    expectThat(
      'itemMetadata._id is a GUID',
      GUID.test(result.itemMetadata?._id ?? ''),
      'a GUID',
      result.itemMetadata,
    );
    expectEqual('item', result.item, undefined);
    const stored = await ctx.api.getOrderPaymentRequest(result.itemMetadata._id);
    expectEqual("the created request's title", stored?.title, 'Bulk ids');
  });

  suite.check('get: returns the stored request', async () => {
    const created = await ctx.create();
    const got = await ctx.api.getOrderPaymentRequest(created._id);
    expectEqual('the request as created', got, created);
  });

  suite.check('update: changes the fields sent and only those', async () => {
    const created = await ctx.create();
    const updated = await ctx.api.updateOrderPaymentRequest(created._id, {
      title: 'Renamed',
      description: 'New description',
    });
    expectEqual('title', updated?.title, 'Renamed');
    expectEqual('description', updated.description, 'New description');
    expectEqual(
      'unchanged fields',
      {
        ...updated,
        title: created.title,
        description: created.description,
        _updatedDate: created._updatedDate,
      },
      created,
    );
    expectThat(
      '_updatedDate moves forward',
      updated._updatedDate >= created._updatedDate,
      `>= ${created._updatedDate?.toISOString()}`,
      updated._updatedDate,
    );
    const got = await ctx.api.getOrderPaymentRequest(created._id);
    expectEqual('get after update', got, updated);
  });

  suite.check('delete: removes the request', async () => {
    const created = await ctx.create();
    const answer = await ctx.api.deleteOrderPaymentRequest(created._id);
    expectEqual('delete answers an empty object', answer, {});
    await expectApplicationError(
      () => ctx.api.getOrderPaymentRequest(created._id),
      'ORDER_PAYMENT_REQUEST_NOT_FOUND',
    );
  });

  suite.check('get URL: answers an absolute payment page URL', async () => {
    const created = await ctx.create();
    const answer = await ctx.api.getOrderPaymentRequestUrl(created._id);
    const url = answer?.orderPaymentRequestUrl;
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    expectThat(
      'orderPaymentRequestUrl is an http(s) URL of at most 100 characters',
      parsed !== undefined && /^https?:$/.test(parsed.protocol) && url.length <= 100,
      'an absolute http(s) URL',
      answer,
    );
  });

  suite.check('update extended fields: stores the namespace data', async () => {
    const created = await ctx.create();
    const namespaceData = { note: 'call the customer', attempts: 2 };
    const answer = await ctx.api.updateExtendedFields(created._id, '_user_fields', {
      namespaceData,
    });
    expectEqual(
      'orderPaymentRequest.extendedFields.namespaces._user_fields',
      answer?.orderPaymentRequest?.extendedFields?.namespaces?._user_fields,
      namespaceData,
    );
    expectEqual("the request's id", answer.orderPaymentRequest._id, created._id);
    const got = await ctx.api.getOrderPaymentRequest(created._id);
    expectEqual(
      'get after the update',
      got?.extendedFields?.namespaces?._user_fields,
      namespaceData,
    );
  });

  suite.check('void: an UNPAID request becomes VOIDED', async () => {
    const created = await ctx.create();
    const answer = await ctx.api.voidOrderPaymentRequest(created._id);
    expectEqual('void answers an empty object', answer, {});
    const got = await ctx.api.getOrderPaymentRequest(created._id);
    expectEqual('status', got?.status, 'VOIDED');
  });

  suite.check('void: voiding a VOIDED request succeeds and changes nothing', async () => {
    const created = await ctx.create();
    await ctx.api.voidOrderPaymentRequest(created._id);
    const before = await ctx.api.getOrderPaymentRequest(created._id);
    const answer = await ctx.api.voidOrderPaymentRequest(created._id);
    expectEqual('void answers an empty object', answer, {});
    expectEqual('the request', await ctx.api.getOrderPaymentRequest(created._id), before);
  });

  suite.check('charge: accepted with a payment response token, then PAID', async () => {
    const created = await ctx.create();
    const answer = await ctx.api.chargeOrderPaymentRequest(created._id, {
      paymentToken: `tok_${randomUUID()}`,
    });
    expectThat(
      'paymentResponseToken is a non-empty string',
      typeof answer?.paymentResponseToken === 'string' && answer.paymentResponseToken !== '',
      'a token',
      answer,
    );
    const paid = await ctx.waitForStatus(created._id, 'PAID');
    expectEqual('the amount', paid.amount.amount, created.amount.amount);
  });
}

// The six webhook events: delivered by the emulator to the suite's receiver, verified by Wix's
// SDK (`AppStrategy({ appId, publicKey })` and `webhooks.process()`), handed to the module's
// typed handlers with the entity's fields. Forged deliveries must be refused by the SDK.

import { randomUUID } from 'node:crypto';

import { expectEqual, expectThat, waitFor } from '../lib/harness.mjs';
import { readJwt, resignedWithStrangerKey, unsigned, withTamperedClaims } from '../lib/forge.mjs';

const RENAMED = 'Webhook renamed';

/** Adds the webhook checks to `suite`. */
export function register(suite, ctx) {
  // One lifecycle through the SDK that causes all six events.
  let scenario;
  const run = () => {
    scenario ??= (async () => {
      const created = await ctx.create({ title: 'Webhook flow' });
      await ctx.api.updateOrderPaymentRequest(created._id, { title: RENAMED });
      await ctx.api.voidOrderPaymentRequest(created._id);
      const paid = await ctx.createPaid({ title: 'Webhook paid' });
      const expired = await ctx.createExpired({ title: 'Webhook expired' });
      await ctx.api.deleteOrderPaymentRequest(expired._id);
      return { created, paid, expired };
    })();
    return scenario;
  };

  /** Waits for a call of `handler` about entity `id` that `matches` (default: any). */
  const eventOf = (handler, id, matches = () => true) =>
    waitFor(
      `${handler} to be called for ${id}`,
      () =>
        ctx.receiver.eventsFor(id).find((call) => call.handler === handler && matches(call.event)),
      {
        lastSeen: () => ({
          handlerCalls: ctx.receiver.eventsFor(id).map(({ handler: name }) => name),
          refusedDeliveries: ctx.receiver.deliveries.filter((d) => !d.accepted).map((d) => d.error),
        }),
      },
    );

  const events = [
    {
      handler: 'onOrderPaymentRequestCreated',
      entityOf: (s) => s.created,
      kind: 'entity',
      status: 'UNPAID',
    },
    {
      handler: 'onOrderPaymentRequestUpdated',
      entityOf: (s) => s.created,
      kind: 'entity',
      status: 'UNPAID',
      title: RENAMED,
    },
    {
      handler: 'onOrderPaymentRequestDeleted',
      entityOf: (s) => s.expired,
      kind: 'entity',
      status: 'EXPIRED',
    },
    { handler: 'onOrderPaymentRequestPaid', entityOf: (s) => s.paid, kind: 'data', status: 'PAID' },
    {
      handler: 'onOrderPaymentRequestExpired',
      entityOf: (s) => s.expired,
      kind: 'data',
      status: 'EXPIRED',
    },
    {
      handler: 'onOrderPaymentRequestVoided',
      entityOf: (s) => s.created,
      kind: 'data',
      status: 'VOIDED',
      title: RENAMED,
    },
  ];

  for (const { handler, entityOf, kind, status, title } of events) {
    suite.check(`webhook ${handler}: delivered, verified by the SDK, metadata filled`, async () => {
      const request = entityOf(await run());
      const { event } = await eventOf(handler, request._id);
      const { metadata } = event;
      expectEqual('metadata.entityId', metadata.entityId, request._id);
      expectEqual('metadata.entityFqdn', metadata.entityFqdn, 'wix.ecom.v1.order_payment_request');
      expectThat(
        'metadata._id (the event id) is set',
        typeof metadata._id === 'string' && metadata._id !== '',
        'an id',
        metadata._id,
      );
      expectThat(
        'metadata.eventTime is a date the SDK parsed',
        metadata.eventTime instanceof Date && !Number.isNaN(metadata.eventTime.getTime()),
        'a valid Date',
        metadata.eventTime,
      );
      expectThat(
        'metadata.instanceId is set',
        typeof metadata.instanceId === 'string' && metadata.instanceId !== '',
        'an instance id',
        metadata.instanceId,
      );
      expectEqual('metadata.identity.identityType', metadata.identity?.identityType, 'APP');
    });

    suite.check(
      `webhook ${handler}: the payload carries the payment request's fields`,
      async () => {
        const request = entityOf(await run());
        await eventOf(handler, request._id);
        const calls = ctx.receiver
          .eventsFor(request._id)
          .filter((call) => call.handler === handler);
        const path = kind === 'entity' ? 'entity' : 'data.orderPaymentRequest';
        const payloads = calls.map(({ event }) => (kind === 'entity' ? event.entity : event.data));
        for (const payload of payloads) {
          const entity = kind === 'entity' ? payload : payload?.orderPaymentRequest;
          expectThat(
            `${path} is an object`,
            entity !== null && typeof entity === 'object',
            'an object',
            payload,
          );
        }
        // One entity may cause several calls of a handler (the rename and the void both update
        // `created`), delivered concurrently in either order: pick the call of this step.
        const entity = payloads
          .map((payload) => (kind === 'entity' ? payload : payload.orderPaymentRequest))
          .find(
            (candidate) =>
              candidate?.status === status && (title === undefined || candidate.title === title),
          );
        expectThat(
          `a ${handler} call carries status ${status}${title === undefined ? '' : ` and title ${title}`}`,
          entity !== undefined,
          { status, title },
          payloads,
        );
        expectEqual(`${path}._id`, entity._id, request._id);
        expectEqual(`${path}.orderId`, entity.orderId, request.orderId);
        expectEqual(`${path}.status`, entity.status, status);
        expectEqual(`${path}.title`, entity.title, title ?? request.title);
        expectEqual(`${path}.amount.amount`, entity.amount?.amount, request.amount.amount);
        expectThat(
          `${path}._createdDate is a date the SDK parsed`,
          entity._createdDate instanceof Date,
          'a Date',
          entity._createdDate,
        );
        expectEqual(`${path}._createdDate`, entity._createdDate, request._createdDate);
      },
    );
  }

  /** A genuine delivery the SDK accepted, as posted by the emulator. */
  const genuineDelivery = async () => {
    const { created } = await run();
    await eventOf('onOrderPaymentRequestCreated', created._id);
    return waitFor(
      'an accepted delivery',
      () => ctx.receiver.deliveries.find((d) => d.accepted)?.body,
    );
  };

  /** Posts `jwt` to the receiver; it must answer 401 and call no handler. */
  const expectRefused = async (jwt) => {
    const calls = ctx.receiver.events.length;
    const response = await fetch(ctx.receiver.url, { method: 'POST', body: jwt });
    const reason = await response.text();
    expectEqual("the receiver's answer (401 = the SDK refused it)", response.status, 401);
    expectEqual('handler calls caused', ctx.receiver.events.length - calls, 0);
    expectThat('the SDK gave a reason', reason !== '', 'a reason', reason);
  };

  suite.check('webhook forgery: the same claims signed with another key are refused', async () => {
    await expectRefused(resignedWithStrangerKey(await genuineDelivery()));
  });

  suite.check(
    'webhook forgery: tampered claims under the genuine signature are refused',
    async () => {
      const genuine = await genuineDelivery();
      const forged = withTamperedClaims(genuine, (claims) => {
        const data = JSON.parse(claims.data);
        return { ...claims, data: JSON.stringify({ ...data, instanceId: randomUUID() }) };
      });
      expectThat(
        'the forgery differs from the genuine delivery',
        readJwt(forged).claims.data !== readJwt(genuine).claims.data,
        'changed claims',
        forged,
      );
      await expectRefused(forged);
    },
  );

  suite.check('webhook forgery: an unsigned (alg none) delivery is refused', async () => {
    await expectRefused(unsigned(await genuineDelivery()));
  });

  suite.check(
    'webhook: the genuine delivery posted again is accepted (control for the forgeries)',
    async () => {
      const calls = ctx.receiver.events.length;
      const response = await fetch(ctx.receiver.url, {
        method: 'POST',
        body: await genuineDelivery(),
      });
      expectEqual("the receiver's answer", response.status, 200);
      expectEqual('handler calls caused', ctx.receiver.events.length - calls, 1);
    },
  );
}

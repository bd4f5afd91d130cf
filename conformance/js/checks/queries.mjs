// Query through the SDK's query builder (filters, sort, limit) and its cursor helpers
// (`next()`, `prev()`, `skipTo()`), and through the typed query overload.

import { expectEqual, expectThat } from '../lib/harness.mjs';

const ids = (items) => items.map((item) => item._id);

/** Adds the query checks to `suite`. */
export function register(suite, ctx) {
  // Seven requests with one externalId prefix, titles in a known order; two of them voided.
  let seeded;
  const seed = () => {
    seeded ??= (async () => {
      const prefix = `query-${ctx.runId}`;
      const created = [];
      for (const letter of ['G', 'C', 'A', 'F', 'B', 'E', 'D']) {
        created.push(
          await ctx.create({
            title: `Query ${letter}`,
            source: { appId: ctx.appId, externalId: ctx.externalId(prefix) },
          }),
        );
      }
      const voided = [created[1], created[4]];
      for (const request of voided) {
        await ctx.api.voidOrderPaymentRequest(request._id);
      }
      const byTitle = [...created].sort((a, b) => a.title.localeCompare(b.title));
      return { prefix, created, byTitle, voided: ids(voided) };
    })();
    return seeded;
  };
  const builder = (prefix) =>
    ctx.api.queryOrderPaymentRequests().startsWith('source.externalId', prefix);

  suite.check('query builder: next() pages through every match in sort order', async () => {
    const { prefix, byTitle } = await seed();
    const first = await builder(prefix).ascending('title').limit(3).find();
    const pages = [first];
    while (pages.at(-1).hasNext() && pages.length < 10) {
      pages.push(await pages.at(-1).next());
    }
    expectEqual(
      'page sizes',
      pages.map((page) => page.length),
      [3, 3, 1],
    );
    expectEqual('pageSize', first.pageSize, 3);
    expectEqual(
      'items across pages, by title',
      ids(pages.flatMap((page) => page.items)),
      ids(byTitle),
    );
    expectEqual('the last page has no next', pages.at(-1).hasNext(), false);
  });

  suite.check('query builder: prev() and skipTo() return to the pages they point at', async () => {
    const { prefix, byTitle } = await seed();
    const first = await builder(prefix).ascending('title').limit(3).find();
    expectThat(
      'the first page has a next cursor',
      first.hasNext(),
      'hasNext() true',
      first.cursors,
    );
    const second = await first.next();
    expectEqual('second page', ids(second.items), ids(byTitle.slice(3, 6)));
    expectThat(
      'the second page has a prev cursor',
      second.hasPrev(),
      'hasPrev() true',
      second.cursors,
    );
    const back = await second.prev();
    expectEqual('prev() of the second page', ids(back.items), ids(byTitle.slice(0, 3)));
    const skipped = await builder(prefix)
      .ascending('title')
      .limit(3)
      .skipTo(first.cursors.next)
      .find();
    expectEqual(
      'skipTo(next cursor of the first page)',
      ids(skipped.items),
      ids(byTitle.slice(3, 6)),
    );
  });

  suite.check('query builder: eq, in, ne and descending combine', async () => {
    const { prefix, byTitle, voided } = await seed();
    const onlyVoided = await builder(prefix)
      .eq('orderId', ctx.orders.plain.id)
      .in('status', ['VOIDED'])
      .ascending('title')
      .find();
    expectEqual(
      'in status [VOIDED]',
      ids(onlyVoided.items),
      ids(byTitle.filter((r) => voided.includes(r._id))),
    );
    const notVoided = await builder(prefix).ne('status', 'VOIDED').descending('title').find();
    expectEqual(
      'ne status VOIDED, by title descending',
      ids(notVoided.items),
      ids(byTitle.filter((r) => !voided.includes(r._id)).reverse()),
    );
    const exact = await builder(prefix).eq('title', byTitle[0].title).find();
    expectEqual('eq title', ids(exact.items), [byTitle[0]._id]);
  });

  suite.check('query builder: ranges on _createdDate and exists', async () => {
    const { prefix, created } = await seed();
    const since = created[0]._createdDate;
    const from = await builder(prefix).ge('_createdDate', since).exists('description', true).find();
    expectEqual(
      "ge _createdDate (the first one's) and exists description",
      ids(from.items).sort(),
      ids(created).sort(),
    );
    const before = await builder(prefix).lt('_createdDate', since).find();
    expectEqual("lt _createdDate (the first one's)", ids(before.items), []);
  });

  suite.check('typed query: $nin on status, sorted, with cursorPaging', async () => {
    const { prefix, byTitle, voided } = await seed();
    const answer = await ctx.api.queryOrderPaymentRequests({
      filter: {
        'source.externalId': { $startsWith: prefix },
        status: { $nin: ['VOIDED'] },
      },
      sort: [{ fieldName: 'title', order: 'ASC' }],
      cursorPaging: { limit: 100 },
    });
    expectEqual(
      'orderPaymentRequests, by title',
      ids(answer?.orderPaymentRequests ?? []),
      ids(byTitle.filter((r) => !voided.includes(r._id))),
    );
    expectEqual('pagingMetadata.count', answer.pagingMetadata?.count, 5);
  });
}

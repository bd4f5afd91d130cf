//! The query planner: which records a query looks at, when the store keeps indexes.
//!
//! A store that implements [`IndexedRecords`] can answer two questions besides "every record":
//! which records have a field equal to one of some values (an equality index), and the records
//! in order of a field (an ordered index). For a query, in this order:
//!
//! 0. **Short walk**: when the filter has tests a lookup could use, each with more candidates
//!    than the page holds (`limit + 1`; counted in the index no further), and the
//!    page's sort is one key with an ordered index (read forward), the index is walked first
//!    for at most twice `limit + 1` records; if that fills the page (the matches lie close
//!    together, as every request of one order or every unpaid one do), it is the page, found
//!    for less than counting candidates up to the lookup bound would cost. Otherwise:
//! 1. **Lookup**: each `$eq` or `$in` test that the whole filter requires (a top-level test, or
//!    one inside a top-level `$and`) on an indexed field gives a candidate set, counted in the
//!    index first; the smallest is used when it is small enough (below). The candidates then
//!    go through the same filter, bound and bounded heap as the linear pass.
//! 2. **Walk**: when the first sort key has an ordered index, the index is walked in sort
//!    order from the cursor's position; records with equal first keys are taken as a group and
//!    ordered by the whole sort (not needed for a one-key sort read forward: ties come in id
//!    order, the sort's own tie-break), and the walk stops once `limit + 1` matching records
//!    are in hand. Whether records lie before the page is found by walking the other way from the
//!    same position until one matches.
//! 3. **Linear pass** over every record otherwise ([`Query::run`]).
//!
//! "Small enough": with no walk possible, at most a sixteenth of the tenant (counting a larger
//! set in the index costs more than it saves; measured with the `store_capacity` bench). With
//! a walk possible, a lookup of `c` candidates out of `n` records costs about `c` record reads;
//! a walk about
//! `(limit + 1) · n / c` (if the test is what makes records rare), so the lookup is used when
//! `c² < (limit + 1) · n` (`lookup_cap`).
//!
//! Every path tests every record it returns against the whole filter, so an index only
//! narrows what is looked at; the pages are the same as the linear pass gives (tested with
//! random filters in the store's tests).

use std::cmp::Ordering;

use super::cursor::Dir;
use super::fields::FieldSpec;
use super::filter::{CmpOp, Filter, Test};
use super::scalar::{total_cmp, Scalar};
use super::sort::Order;
use super::{Page, Query, QueryRecord};

use lookup_cap as plan_cap;

/// How many records per record of the page a short walk may read before the planner counts
/// the lookups' candidates instead ([`Query::run_indexed`]).
const SHORT_WALK_READS: usize = 2;

/// Largest candidate set a lookup may give and still be preferred to a walk in sort order,
/// for a page of `limit` over `records` records: `√((limit + 1) · records)`.
pub fn lookup_cap(limit: usize, records: usize) -> usize {
    limit.saturating_add(1).saturating_mul(records).isqrt()
}

/// What a store with indexes offers the query planner.
///
/// [`Query::run_indexed`] uses it to read fewer records: the records matching an `$eq` or `$in`
/// test the whole filter requires, when few enough (`lookup_cap`); else, when the first sort
/// key has an ordered index, a walk in sort order that stops after `limit + 1` matches; else
/// every record. Every record read is tested against the whole filter.
pub trait IndexedRecords {
    /// The stored record.
    type Record: QueryRecord;

    /// Every record, in any order (the linear pass).
    fn all(&self) -> impl Iterator<Item = &Self::Record> + '_;

    /// How many records there are.
    fn len(&self) -> usize;

    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many records have `field` equal to one of `values`, counting no further than just
    /// past `cap` (an index that knows its size may give more than `cap + 1`); `None` when
    /// `field` has no equality index (or not for a value of this form). Reads only the index.
    fn count_equal(&self, field: &str, values: &[Scalar<'_>], cap: usize) -> Option<usize>;

    /// The records whose `field` equals one of `values`, each once, in any order (empty when
    /// [`IndexedRecords::count_equal`] gives `None`).
    fn equal_to(&self, field: &str, values: &[Scalar<'_>]) -> Vec<&Self::Record>;

    /// The records in ascending (or `descending`) order of `field`, starting at the records
    /// whose value is `from` (inclusive) when given; records with equal values in ascending
    /// order of id, either way.
    /// `None` when `field` has no ordered index. Every record has a value for an ordered field.
    fn ordered(
        &self,
        field: &str,
        descending: bool,
        from: Option<&Scalar<'_>>,
    ) -> Option<Box<dyn Iterator<Item = &Self::Record> + '_>>;
}

/// The `$eq` and `$in` tests that every match of `filter` must pass.
fn lookups(filter: &Filter) -> Vec<(&'static FieldSpec, &[Scalar<'static>])> {
    match filter {
        Filter::Test(field, Test::Cmp(CmpOp::Eq, value)) => {
            vec![(*field, std::slice::from_ref(value))]
        }
        Filter::Test(field, Test::AnyOf(values)) => vec![(*field, values.as_slice())],
        Filter::And(parts) => parts.iter().flat_map(lookups).collect(),
        _ => Vec::new(),
    }
}

impl Query {
    /// Runs the query over a tenant's records using the store's indexes where they help (see
    /// the planner's description on `IndexedRecords`); gives the same page as [`Query::run`]
    /// over every record.
    #[must_use]
    pub fn run_indexed<'r, S: IndexedRecords>(&self, records: &'r S) -> Page<&'r S::Record> {
        self.run_planned(records, None)
    }

    /// [`Query::run_indexed`] with another bound on the lookup preferred to a walk than
    /// `lookup_cap` (`Some(0)`: walk whenever possible), so tests can take every path.
    pub fn run_planned<'r, S: IndexedRecords>(
        &self,
        records: &'r S,
        lookup_cap: Option<usize>,
    ) -> Page<&'r S::Record> {
        let (items, outside) = self.select_indexed(records, lookup_cap);
        self.page(items, outside)
    }

    fn select_indexed<'r, S: IndexedRecords>(
        &self,
        records: &'r S,
        lookup_cap: Option<usize>,
    ) -> (Vec<&'r S::Record>, bool) {
        let walk_of = || {
            self.order.keys.first().and_then(|key| {
                let descending = key.desc != (self.dir() == Dir::Before);
                records
                    .ordered(key.field.name, descending, self.bound_value())
                    .map(|walk| (walk, descending))
            })
        };
        let lookups = lookups(&self.filter);
        if lookup_cap.is_none()
            && !lookups.is_empty()
            && self.walk_keeps_sort_order()
            && !self.has_few_candidates(records, &lookups)
        {
            if let Some((first_steps, descending)) = walk_of() {
                if let Some(items) = self.short_walk(first_steps) {
                    return (items, self.lies_outside(records, descending));
                }
            }
        }
        let walk = walk_of();
        let n = records.len();
        // The most candidates a lookup may give and still be used.
        let mut cap = match walk {
            Some(_) => lookup_cap.unwrap_or_else(|| plan_cap(self.limit, n)),
            // Past a sixteenth of the tenant, counting in the index and reading the records by
            // id cost more than the linear pass saves.
            None => n / 16,
        };
        let mut best = None;
        for (field, values) in lookups {
            match records.count_equal(field.name, values, cap) {
                Some(count) if count <= cap => {
                    best = Some((field, values));
                    cap = count.saturating_sub(1);
                    if count == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        match (best, walk) {
            (Some((field, values)), _) => self.select(records.equal_to(field.name, values)),
            (None, Some((walk, descending))) => {
                let items = self.walk(walk);
                (items, self.lies_outside(records, descending))
            }
            (None, None) => self.select(records.all()),
        }
    }

    /// Whether a walk reads records in the page's order as they come: a one-key sort read
    /// forward (ties come in id order, the sort's own tie-break), so no group needs sorting.
    fn walk_keeps_sort_order(&self) -> bool {
        self.order.keys.len() == 1 && self.dir() != Dir::Before
    }

    /// Whether a lookup has at most a page of candidates (`limit + 1`, counted no further):
    /// then it is the cheapest path, and no short walk is tried.
    fn has_few_candidates<S: IndexedRecords>(
        &self,
        records: &S,
        lookups: &[(&'static FieldSpec, &[Scalar<'static>])],
    ) -> bool {
        let want = self.limit.saturating_add(1);
        lookups.iter().any(|(field, values)| {
            records
                .count_equal(field.name, values, want)
                .is_some_and(|count| count <= want)
        })
    }

    /// The page from a walk that reads at most [`SHORT_WALK_READS`] times what the page holds,
    /// when that is enough: the matching records lie close together in sort order (every
    /// request of an order, every unpaid one), and reading them costs less than counting the
    /// lookups' candidates. `None` when the reads ran out first. Only for a walk that keeps
    /// the sort's order ([`Query::walk_keeps_sort_order`]).
    fn short_walk<'r, R: QueryRecord + 'r>(
        &self,
        walk: impl Iterator<Item = &'r R>,
    ) -> Option<Vec<&'r R>> {
        let want = self.limit.saturating_add(1);
        let budget = want.saturating_mul(SHORT_WALK_READS);
        let mut read = 0usize;
        let items: Vec<&'r R> = walk
            .take(budget)
            .inspect(|_| read += 1)
            .filter(|r| self.is_inside(*r))
            .take(want)
            .collect();
        // Complete when the page is full, or when the walk ended before the budget did.
        (items.len() == want || read < budget).then_some(items)
    }

    /// Whether matching records lie before a page found by a walk (only a page after a cursor
    /// can have them): a walk the other way from the cursor's position, until one matches.
    fn lies_outside<S: IndexedRecords>(&self, records: &S, descending: bool) -> bool {
        self.bound.is_some()
            && self.key_field().is_some_and(|field| {
                records
                    .ordered(field, !descending, self.bound_value())
                    .is_some_and(|mut back| back.any(|r| self.is_outside(r)))
            })
    }

    /// The first sort key's field name.
    fn key_field(&self) -> Option<&'static str> {
        self.order.keys.first().map(|k| k.field.name)
    }

    /// The cursor position's value of the first sort key, if there is a cursor.
    fn bound_value(&self) -> Option<&Scalar<'static>> {
        self.bound
            .as_ref()
            .and_then(|b| b.pos.values.first())
            .and_then(Option::as_ref)
    }

    /// Whether a record matches and lies on the other side of the bound from the page.
    fn is_outside<R: QueryRecord + ?Sized>(&self, record: &R) -> bool {
        self.bound.as_ref().is_some_and(|b| {
            self.filter.matches(record) && !b.admits(self.order.cmp_position(record, &b.pos))
        })
    }

    /// Whether a record matches and lies on the page's side of the bound.
    fn is_inside<R: QueryRecord + ?Sized>(&self, record: &R) -> bool {
        self.filter.matches(record)
            && self
                .bound
                .as_ref()
                .is_none_or(|b| b.admits(self.order.cmp_position(record, &b.pos)))
    }

    /// The first `limit + 1` matching records of a walk in first-key order, in walk order.
    fn walk<'r, R: QueryRecord + 'r>(&self, walk: impl Iterator<Item = &'r R>) -> Vec<&'r R> {
        let Some(key) = self.order.keys.first() else {
            return Vec::new();
        };
        let order = &self.order;
        let before = self.dir() == Dir::Before;
        let want = self.limit.saturating_add(1);
        let mut items: Vec<&'r R> = Vec::with_capacity(want);
        let mut group: Vec<&'r R> = Vec::new();
        if self.walk_keeps_sort_order() {
            // Equal values come in id order, which is the sort's own tie-break: the walk's
            // order is the page's.
            items.extend(walk.filter(|r| self.is_inside(*r)).take(want));
            return items;
        }
        let mut group_value: Option<Option<Scalar<'r>>> = None;
        let flush = |group: &mut Vec<&'r R>, items: &mut Vec<&'r R>| {
            group.sort_by(|a, b| {
                let o = order.cmp_records(*a, *b);
                if before {
                    o.reverse()
                } else {
                    o
                }
            });
            items.append(group);
        };
        for record in walk {
            let value = Order::value(key, record);
            let same = group_value
                .as_ref()
                .is_some_and(|g| total_cmp(g.as_ref(), value.as_ref()) == Ordering::Equal);
            if !same {
                flush(&mut group, &mut items);
                if items.len() >= want {
                    break;
                }
                group_value = Some(value);
            }
            if self.is_inside(record) {
                group.push(record);
            }
        }
        flush(&mut group, &mut items);
        items.truncate(want);
        items
    }
}

//! Picks the first `k` items of a stream in a given order without sorting the whole stream:
//! a bounded max-heap of `k` items, `O(n log k)` time and `O(k)` memory.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One heap entry: an item and the order it is ranked by.
struct Ranked<'c, T, C> {
    item: T,
    order: &'c C,
}

impl<T: Copy, C: Fn(T, T) -> Ordering> PartialEq for Ranked<'_, T, C> {
    fn eq(&self, other: &Self) -> bool {
        (self.order)(self.item, other.item) == Ordering::Equal
    }
}

impl<T: Copy, C: Fn(T, T) -> Ordering> Eq for Ranked<'_, T, C> {}

impl<T: Copy, C: Fn(T, T) -> Ordering> PartialOrd for Ranked<'_, T, C> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Copy, C: Fn(T, T) -> Ordering> Ord for Ranked<'_, T, C> {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.order)(self.item, other.item)
    }
}

/// The `k` smallest items of `items` under `cmp`, in ascending order.
pub(crate) fn smallest<T, C>(items: impl IntoIterator<Item = T>, k: usize, cmp: C) -> Vec<T>
where
    T: Copy,
    C: Fn(T, T) -> Ordering,
{
    if k == 0 {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Ranked<'_, T, C>> = BinaryHeap::with_capacity(k + 1);
    for item in items {
        if heap.len() == k {
            // The heap holds the k smallest so far; its top is the largest of them.
            match heap.peek() {
                Some(top) if cmp(item, top.item) == Ordering::Less => {
                    heap.pop();
                }
                _ => continue,
            }
        }
        heap.push(Ranked { item, order: &cmp });
    }
    heap.into_sorted_vec().into_iter().map(|r| r.item).collect()
}

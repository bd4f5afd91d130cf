//! Following a query's cursors: [`pages`] sends a [`Query`]'s first page and then each
//! `pagingMetadata.cursors.next`, and [`items`] flattens the pages into their entities. The
//! generated crate reads its query answer through [`QueryPage`].

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, Stream, StreamExt};

use crate::query::{CursorQueryWire, Query};

/// An answer of a query operation, as the generated crate reads it: codegen implements this
/// for the answer of the operation whose `200` holds a list of the entity.
pub trait QueryPage {
    /// The entity the page lists.
    type Item;
    /// `pagingMetadata.cursors.next`, if any.
    fn next_cursor(&self) -> Option<&str>;
    /// `pagingMetadata.hasNext`, if sent.
    fn has_next(&self) -> Option<bool>;
    /// The page's entities.
    fn into_items(self) -> Vec<Self::Item>;
}

enum PageState {
    First,
    Next(String),
    Done,
}

/// Every page of `query`, each fetched with `fetch`, following `pagingMetadata.cursors.next`.
/// Stops after a page with `hasNext == false` or no next cursor, when a cursor repeats (a
/// server that loops would otherwise never end), or after yielding an error.
pub fn pages<W, P, E, F, Fut>(query: Query<W>, fetch: F) -> impl Stream<Item = Result<P, E>> + Send
where
    W: CursorQueryWire + Send,
    P: QueryPage + Send,
    E: Send,
    F: Fn(W) -> Fut + Send,
    Fut: Future<Output = Result<P, E>> + Send,
{
    let seen: HashSet<String> = HashSet::new();
    stream::unfold(
        (query, fetch, PageState::First, seen),
        |(query, fetch, state, mut seen)| async move {
            let body = match &state {
                PageState::Done => return None,
                PageState::First => query.to_cursor_query(),
                PageState::Next(cursor) => W::next_page(cursor, query.page_size())?,
            };
            match fetch(body).await {
                Err(error) => Some((Err(error), (query, fetch, PageState::Done, seen))),
                Ok(page) => {
                    let next = page
                        .next_cursor()
                        .filter(|c| !c.is_empty())
                        .map(str::to_string);
                    let has_next = page.has_next().unwrap_or(next.is_some());
                    let state = match next {
                        Some(cursor) if has_next && seen.insert(cursor.clone()) => {
                            PageState::Next(cursor)
                        }
                        _ => PageState::Done,
                    };
                    Some((Ok(page), (query, fetch, state, seen)))
                }
            }
        },
    )
}

/// The entities of `pages`, page after page. Items already yielded stay yielded when a later
/// page fails; the error is the stream's last item.
pub fn items<P, E>(
    pages: impl Stream<Item = Result<P, E>> + Send,
) -> impl Stream<Item = Result<P::Item, E>> + Send
where
    P: QueryPage + Send,
    P::Item: Send,
    E: Send,
{
    pages.flat_map(|page| match page {
        Ok(page) => stream::iter(page.into_items().into_iter().map(Ok).collect::<Vec<_>>()),
        Err(error) => stream::iter(vec![Err(error)]),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use futures::StreamExt as _;
    use serde_json::{Map, Value};

    use super::*;
    use crate::query::SortKey;

    /// A request body: the cursor it carries, if any.
    #[derive(Debug, Clone, PartialEq)]
    struct Body(Option<String>);

    impl CursorQueryWire for Body {
        fn first_page(_: Map<String, Value>, _: &[SortKey], _: Option<i32>) -> Self {
            Body(None)
        }
        fn next_page(cursor: &str, _: Option<i32>) -> Option<Self> {
            (cursor.len() <= 8).then(|| Body(Some(cursor.to_string())))
        }
    }

    struct Page {
        items: Vec<u32>,
        next: Option<&'static str>,
        has_next: Option<bool>,
    }

    impl QueryPage for Page {
        type Item = u32;
        fn next_cursor(&self) -> Option<&str> {
            self.next
        }
        fn has_next(&self) -> Option<bool> {
            self.has_next
        }
        fn into_items(self) -> Vec<u32> {
            self.items
        }
    }

    /// The bodies a test server was sent.
    type Sent = Arc<Mutex<Vec<Body>>>;

    /// Answers by the cursor sent: none → page 1 (next "b"), "b" → page 2 (next `last`).
    fn server(
        last: Option<&'static str>,
        has_next: Option<bool>,
    ) -> (
        Sent,
        impl Fn(Body) -> futures::future::Ready<Result<Page, String>> + Send,
    ) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&sent);
        let fetch = move |body: Body| {
            log.lock().unwrap().push(body.clone());
            futures::future::ready(match body.0.as_deref() {
                None => Ok(Page {
                    items: vec![1, 2],
                    next: Some("b"),
                    has_next: Some(true),
                }),
                Some("b") => Ok(Page {
                    items: vec![3],
                    next: last,
                    has_next,
                }),
                Some(other) => Err(format!("unknown cursor {other}")),
            })
        };
        (sent, fetch)
    }

    #[tokio::test]
    async fn pages_follow_next_cursors_until_has_next_is_false() {
        let (sent, fetch) = server(Some("c"), Some(false));
        let all: Vec<_> = items(pages(Query::<Body>::new(), fetch)).collect().await;
        assert_eq!(all, [Ok(1), Ok(2), Ok(3)]);
        assert_eq!(*sent.lock().unwrap(), [Body(None), Body(Some("b".into()))]);
    }

    #[tokio::test]
    async fn a_repeated_cursor_ends_the_pages() {
        let (sent, fetch) = server(Some("b"), None);
        let all: Vec<_> = items(pages(Query::<Body>::new(), fetch)).collect().await;
        assert_eq!(all, [Ok(1), Ok(2), Ok(3)]);
        assert_eq!(sent.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn an_error_is_the_last_item_after_those_already_yielded() {
        let (_, fetch) = server(Some("zz"), Some(true));
        let all: Vec<_> = items(pages(Query::<Body>::new(), fetch)).collect().await;
        assert_eq!(
            all,
            [Ok(1), Ok(2), Ok(3), Err("unknown cursor zz".to_string())]
        );
    }
}

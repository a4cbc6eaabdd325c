//! Resumable walks over a key prefix, for lists that filter what they list.
//!
//! A Workers KV cursor is opaque and marks the start of a listed page, so a list that stops
//! in the middle of a page (a page of 50 matching sign-ups found 300 keys into a 1,000-key
//! listing) cannot hand out a KV cursor. Its cursor is the page's KV cursor plus the last key
//! handled: resuming lists that page again and skips up to that key.

use crate::store::{Kv, StoreError};

/// Listed keys with their metadata.
pub type Keys = Vec<(String, Option<serde_json::Value>)>;

/// A walk over the keys under one prefix, a listing at a time.
pub struct Scan<'a, K> {
    kv: &'a K,
    prefix: String,
    limit: usize,
    /// The KV cursor the current page was listed from (`None`: the first page).
    from: Option<String>,
    /// On resuming, keys up to and including this one were handled already.
    after: Option<String>,
    /// The KV cursor of the page after the current one; `Some(None)` once the last page is out.
    next: Option<Option<String>>,
    /// Listings made.
    pub lists: usize,
}

impl<'a, K: Kv> Scan<'a, K> {
    /// A walk from `cursor` (one this walk's [`Scan::cursor_after`] or [`Scan::cursor`] gave,
    /// or `None` for the start), listing `limit` keys at a time.
    pub fn resume(kv: &'a K, prefix: &str, cursor: Option<&str>, limit: usize) -> Scan<'a, K> {
        let (after, from) = match cursor.and_then(|c| c.split_once('|')) {
            Some((after, from)) => (
                Some(after.to_string()).filter(|a| !a.is_empty()),
                Some(from.to_string()).filter(|f| !f.is_empty()),
            ),
            None => (None, None),
        };
        Scan {
            kv,
            prefix: prefix.to_string(),
            limit,
            from,
            after,
            next: None,
            lists: 0,
        }
    }

    /// The next listing's keys (those after the resume point), or `None` past the last page.
    pub async fn page(&mut self) -> Result<Option<Keys>, StoreError> {
        match self.next.take() {
            None => {}
            Some(None) => {
                self.next = Some(None);
                return Ok(None);
            }
            Some(Some(next)) => {
                self.from = Some(next);
                self.after = None;
            }
        }
        let page = self
            .kv
            .list(&self.prefix, self.from.as_deref(), self.limit)
            .await?;
        self.lists += 1;
        self.next = Some(page.cursor);
        let after = self.after.clone();
        Ok(Some(
            page.keys
                .into_iter()
                .filter(|(name, _)| after.as_ref().is_none_or(|a| name > a))
                .collect(),
        ))
    }

    /// Where to resume after `key` of the current page.
    pub fn cursor_after(&self, key: &str) -> String {
        format!("{key}|{}", self.from.as_deref().unwrap_or_default())
    }

    /// Where to resume after the whole current page; `None` when it was the last.
    pub fn cursor(&self) -> Option<String> {
        match &self.next {
            Some(Some(next)) => Some(format!("|{next}")),
            Some(None) => None,
            None => Some(format!(
                "{}|{}",
                self.after.as_deref().unwrap_or_default(),
                self.from.as_deref().unwrap_or_default()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryKv;

    fn store(n: usize) -> MemoryKv {
        let kv = MemoryKv::new();
        for i in 0..n {
            kv.insert(&format!("k:{i:04}"), "v", None);
        }
        kv
    }

    /// Walks `kv` taking `take` keys per request, listing `limit` at a time.
    fn walk(kv: &MemoryKv, take: usize, limit: usize) -> Vec<String> {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut scan = Scan::resume(kv, "k:", cursor.as_deref(), limit);
            let mut taken = Vec::new();
            let mut stopped = None;
            'pages: while let Some(keys) = pollster::block_on(scan.page()).unwrap() {
                for (name, _) in keys {
                    taken.push(name.clone());
                    if taken.len() == take {
                        stopped = Some(scan.cursor_after(&name));
                        break 'pages;
                    }
                }
            }
            seen.extend(taken);
            cursor = stopped;
            if cursor.is_none() {
                return seen;
            }
        }
    }

    #[test]
    fn stopping_mid_page_resumes_after_the_last_key_handled() {
        let kv = store(25);
        let expected: Vec<String> = (0..25).map(|i| format!("k:{i:04}")).collect();
        for (take, limit) in [(3, 10), (10, 10), (7, 4), (25, 100), (1, 1)] {
            assert_eq!(
                walk(&kv, take, limit),
                expected,
                "take {take}, limit {limit}"
            );
        }
    }

    #[test]
    fn a_finished_page_hands_out_the_next_pages_cursor_and_none_at_the_end() {
        let kv = store(15);
        let mut scan = Scan::resume(&kv, "k:", None, 10);
        assert_eq!(pollster::block_on(scan.page()).unwrap().unwrap().len(), 10);
        let cursor = scan.cursor().expect("more to come");
        let mut rest = Scan::resume(&kv, "k:", Some(&cursor), 10);
        assert_eq!(pollster::block_on(rest.page()).unwrap().unwrap().len(), 5);
        assert_eq!(rest.cursor(), None);
        assert_eq!(pollster::block_on(rest.page()).unwrap(), None);
        assert_eq!(rest.lists, 1);
    }
}

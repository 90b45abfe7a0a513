//! HTTP plumbing shared by the routes and the OGC API: query strings, format
//! negotiation of the planning endpoints, JSON bodies, serialised responses, encoders and
//! the heavy-work pool.

mod body;
pub mod encode;
mod negotiate;
pub mod pool;
mod respond;

pub use body::Object;
pub use negotiate::Output;
pub use pool::HeavyPool;
pub use respond::respond;

/// Every parameter of a query string, in order. Malformed percent-encoding is replaced.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    })
    .unwrap_or_default()
}

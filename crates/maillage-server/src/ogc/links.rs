//! Absolute links built from the request's `Host` (and `X-Forwarded-Proto`).

use axum::http::HeaderMap;
use axum::http::header::HOST;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

/// Characters escaped in a path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// `http://host:port` of the request (the `Host` header, checked; `localhost` when absent
/// or malformed).
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// A path segment, percent-encoded (feature ids may hold spaces or `|`).
pub fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// A query string from pairs (without the leading `?`).
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// `href` with `?query` appended when not empty.
pub fn with_query(href: &str, query: &str) -> String {
    if query.is_empty() {
        href.to_string()
    } else {
        format!("{href}?{query}")
    }
}

/// A link object.
pub fn link(href: impl Into<String>, rel: &str, media: &str, title: &str) -> Value {
    json!({ "href": href.into(), "rel": rel, "type": media, "title": title })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_gives_the_base_and_odd_hosts_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(base_url(&h), "http://127.0.0.1:8080");
        h.insert(HOST, "evil\"><script>".parse().unwrap());
        assert_eq!(base_url(&h), "http://localhost");
    }

    #[test]
    fn feature_ids_are_percent_encoded_in_paths() {
        assert_eq!(
            segment("charente-2023-a|aidants-connect-3485"),
            "charente-2023-a%7Caidants-connect-3485"
        );
        assert_eq!(
            segment("assembleurs-hdf-2201 - APTIC"),
            "assembleurs-hdf-2201%20-%20APTIC"
        );
    }
}

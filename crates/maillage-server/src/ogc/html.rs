//! Plain HTML views of the OGC API, in French, without scripts.

use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A whole page: title, breadcrumb (label, href) and body.
pub fn page(title: &str, crumbs: &[(&str, String)], body: &str) -> String {
    let mut nav = String::new();
    for (k, (label, href)) in crumbs.iter().enumerate() {
        if k > 0 {
            nav.push_str(" › ");
        }
        let _ = write!(nav, "<a href=\"{}\">{}</a>", esc(href), esc(label));
    }
    format!(
        r#"<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — Maillage, API OGC</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; color: #1e1e1e; line-height: 1.45; }}
nav {{ font-size: .95rem; margin-bottom: 1rem; }}
a {{ color: #000091; }}
table {{ border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }}
th, td {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f5; }}
code {{ background: #f4f4f4; padding: 0 .2rem; }}
.pager a {{ margin-right: 1rem; }}
</style>
</head>
<body>
<nav aria-label="Fil d'Ariane">{nav}</nav>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"#,
        title = esc(title),
    )
}

/// A link list item.
pub fn link_item(href: &str, label: &str) -> String {
    format!("<li><a href=\"{}\">{}</a></li>", esc(href), esc(label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_is_escaped() {
        assert_eq!(
            esc("<b>\"Café\" & 'thé'</b>"),
            "&lt;b&gt;&quot;Café&quot; &amp; &#39;thé&#39;&lt;/b&gt;"
        );
    }
}

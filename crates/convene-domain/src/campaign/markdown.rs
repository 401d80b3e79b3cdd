//! The safe Markdown subset of campaign updates, rendered to HTML.
//!
//! CommonMark (with strikethrough) through pulldown-cmark, then narrowed: raw HTML in
//! the text is shown as text, never passed through; images are dropped (their
//! description stays as text: photos are attached to an update, checked and stripped,
//! never linked from outside); links keep only `https:`, `http:` and `mailto:`
//! addresses and paths on this site, and open nothing else (`rel="nofollow noopener"`);
//! headings start at level 3 (the page has its own first and second).

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Whether a link may point there.
pub fn safe_link(url: &str) -> bool {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (u.starts_with('/') && !u.starts_with("//") && !u.starts_with("/\\"))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn clamp(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => HeadingLevel::H3,
        HeadingLevel::H4 => HeadingLevel::H4,
        _ => HeadingLevel::H5,
    }
}

/// Renders `src` to HTML within the subset.
pub fn render(src: &str) -> String {
    // Which links were opened as links (true) or dropped (false), innermost last.
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH).filter_map(|ev| match ev {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { dest_url, .. }) => {
            let ok = safe_link(&dest_url);
            links.push(ok);
            ok.then(|| {
                Event::InlineHtml(CowStr::from(format!(
                    "<a href=\"{}\" rel=\"nofollow noopener\">",
                    escape(dest_url.trim())
                )))
            })
        }
        Event::End(TagEnd::Link) => links
            .pop()
            .unwrap_or(false)
            .then(|| Event::InlineHtml(CowStr::from("</a>"))),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: clamp(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(clamp(level)))),
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// The text of `src` without markup, for summaries, feeds and link previews: at most
/// `max` characters, cut at a word with an ellipsis.
pub fn plain(src: &str, max: usize) -> String {
    let mut text = String::new();
    for ev in Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_holds() {
        let h = render("# Title\n\nSome **bold** <script>alert(1)</script> [ok](https://example.org/a?b=1&c=2) [bad](javascript:alert(1)) ![x](https://evil.example/p.png)");
        assert!(h.contains("<h3>Title</h3>"), "{h}");
        assert!(h.contains("<strong>bold</strong>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(!h.contains("<script"), "{h}");
        assert!(
            h.contains(
                "<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow noopener\">ok</a>"
            ),
            "{h}"
        );
        assert!(!h.contains("javascript"), "{h}");
        assert!(h.contains("bad"), "{h}");
        assert!(!h.contains("<img") && !h.contains("evil.example"), "{h}");
        assert_eq!(
            plain("## Talks\n\nThe *second* round opened.", 100),
            "Talks The second round opened."
        );
        assert_eq!(plain("one two three four five", 12), "one two…");
    }
}

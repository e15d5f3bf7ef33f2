//! The markup a rendered template is written in, read line by line.
//!
//! `# Title`, `## Heading`, `- item`, `@ address line` (the envelope window), `| kept line`,
//! `**bold**` inline, `\pagebreak`, `\newletter` (an enclosed letter: new page, letterhead); a blank line ends a paragraph, other lines join into it (an
//! item is one line).

/// A piece of text in one weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

/// One block of a notice, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Title(Vec<Span>),
    Heading(Vec<Span>),
    Para(Vec<Span>),
    Item(Vec<Span>),
    /// A line kept as written (a signature, a contact block); empty for a blank kept line.
    Kept(Vec<Span>),
    /// A line of the recipient's address block.
    Address(String),
    PageBreak,
    /// A second letter in the same PDF (an enclosure): a new page with the letterhead; its own
    /// address block and title follow.
    NewLetter,
}

/// A markup error: the line of the rendered text and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} of the rendered notice: {message}")]
pub struct MarkupError {
    pub line: usize,
    pub message: String,
}

/// Reads rendered markup into blocks.
///
/// # Errors
/// A [`MarkupError`] naming the line: an unclosed `**`, a second title, a title after the body.
pub fn parse(text: &str) -> Result<Vec<Block>, MarkupError> {
    let mut blocks = Vec::new();
    let mut para: Option<(usize, String)> = None; // (first line, text)
    let mut seen_title = false;
    let flush =
        |para: &mut Option<(usize, String)>, blocks: &mut Vec<Block>| -> Result<(), MarkupError> {
            if let Some((line, text)) = para.take() {
                blocks.push(Block::Para(spans(&text, line)?));
            }
            Ok(())
        };
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            flush(&mut para, &mut blocks)?;
            continue;
        }
        // `\` before a marker keeps the line as text (user text is escaped so: `\# 1 in line`).
        if let Some(rest) =
            trimmed.strip_prefix('\\').filter(|r| r.starts_with(['#', '-', '@', '|', '\\']))
        {
            match &mut para {
                Some((_, text)) => {
                    text.push(' ');
                    text.push_str(rest);
                }
                None => para = Some((n, rest.to_owned())),
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("## ") {
            flush(&mut para, &mut blocks)?;
            blocks.push(Block::Heading(spans(rest.trim(), n)?));
        } else if let Some(rest) = trimmed.strip_prefix("# ") {
            flush(&mut para, &mut blocks)?;
            if seen_title {
                return Err(MarkupError { line: n, message: "a second title (`# …`)".into() });
            }
            seen_title = true;
            blocks.push(Block::Title(spans(rest.trim(), n)?));
        } else if let Some(rest) = trimmed.strip_prefix("- ") {
            // An item is one line: the next line without a marker starts a paragraph.
            flush(&mut para, &mut blocks)?;
            blocks.push(Block::Item(spans(rest.trim(), n)?));
        } else if trimmed == "@" || trimmed.starts_with("@ ") {
            flush(&mut para, &mut blocks)?;
            let rest = trimmed[1..].trim();
            if !rest.is_empty() {
                blocks.push(Block::Address(rest.to_owned()));
            }
        } else if trimmed == "|" || trimmed.starts_with("| ") {
            flush(&mut para, &mut blocks)?;
            blocks.push(Block::Kept(spans(trimmed[1..].trim(), n)?));
        } else if trimmed == "\\pagebreak" {
            flush(&mut para, &mut blocks)?;
            blocks.push(Block::PageBreak);
        } else if trimmed == "\\newletter" {
            flush(&mut para, &mut blocks)?;
            blocks.push(Block::NewLetter);
            seen_title = false;
        } else {
            match &mut para {
                Some((_, text)) => {
                    text.push(' ');
                    text.push_str(trimmed);
                }
                None => para = Some((n, trimmed.to_owned())),
            }
        }
    }
    flush(&mut para, &mut blocks)?;
    Ok(blocks)
}

/// Splits `**bold**` runs; whitespace inside a line collapses to single spaces.
fn spans(text: &str, line: usize) -> Result<Vec<Span>, MarkupError> {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let parts: Vec<&str> = collapsed.split("**").collect();
    if parts.len().is_multiple_of(2) {
        return Err(MarkupError {
            line,
            message: "`**` opens bold text that is not closed".into(),
        });
    }
    Ok(parts
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, p)| Span { text: (*p).to_owned(), bold: i % 2 == 1 })
        .collect())
}

/// The plain text of spans.
#[must_use]
pub fn plain(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// The letter as the text of an e-mail: its title first, each paragraph one line (the mail
/// client wraps it), headings and items as such, kept lines as written; no postal address block
/// (the e-mail has its own addressee) and no enclosure.
#[must_use]
pub fn email_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut last_kept = false;
    for b in blocks {
        let (text, kept) = match b {
            Block::NewLetter => break,
            Block::Address(_) | Block::PageBreak => continue,
            Block::Title(s) => (plain(s).to_uppercase(), false),
            Block::Heading(s) => (plain(s), false),
            Block::Para(s) => (plain(s), false),
            Block::Item(s) => (format!("• {}", plain(s)), true),
            Block::Kept(s) => (plain(s), true),
        };
        if !out.is_empty() {
            out.push_str(if kept && last_kept { "\n" } else { "\n\n" });
        }
        out.push_str(&text);
        last_kept = kept;
    }
    out.push('\n');
    out
}

/// The first title of the blocks, as text.
#[must_use]
pub fn title(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|b| if let Block::Title(s) = b { Some(plain(s)) } else { None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_reads_without_the_window_address_and_with_whole_paragraphs() {
        let b = parse("@ Zoë Łukasiewicz\n@ 1 Main St\n\n# Notice of Data Breach\n\nDear Zoë:\n\n## What Happened\nOn **March 3, 2026**\nwe learned.\n\n- one\n- two\n| Maria Chen\n\\newletter\n# Enclosure\n")
            .expect("parses");
        assert_eq!(title(&b).as_deref(), Some("Notice of Data Breach"));
        assert_eq!(
            email_text(&b),
            "NOTICE OF DATA BREACH\n\nDear Zoë:\n\nWhat Happened\n\nOn March 3, 2026 we learned.\n\n• one\n• two\nMaria Chen\n"
        );
    }

    #[test]
    fn blocks_in_order() {
        let b = parse("@ Zoë Łukasiewicz\n@ 1 Main St\n\n# Notice of Data Breach\n\n## What Happened\nOn **March 3, 2026**\nwe learned.\n\n- one\n- two\n| Kept line\n\\pagebreak\n")
            .expect("parses");
        assert_eq!(b[0], Block::Address("Zoë Łukasiewicz".into()));
        assert!(matches!(&b[2], Block::Title(s) if plain(s) == "Notice of Data Breach"));
        assert!(matches!(&b[3], Block::Heading(s) if plain(s) == "What Happened"));
        match &b[4] {
            Block::Para(s) => {
                assert_eq!(plain(s), "On March 3, 2026 we learned.");
                assert!(s[1].bold && !s[0].bold);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&b[5], Block::Item(s) if plain(s) == "one"));
        assert!(matches!(&b[7], Block::Kept(s) if plain(s) == "Kept line"));
        assert_eq!(b[8], Block::PageBreak);
    }

    #[test]
    fn an_escaped_marker_is_text() {
        let b =
            parse("# T\n\n\\# 1 priority\n\\- not an item\n\\@ not an address\n").expect("parses");
        assert_eq!(b.len(), 2);
        assert!(
            matches!(&b[1], Block::Para(s) if plain(s) == "# 1 priority - not an item @ not an address")
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("# T\n\nsome **bold\n").expect_err("unclosed");
        assert_eq!(e.line, 3);
        let e = parse("# T\n\nbody\n\n# Again\n").expect_err("two titles");
        assert_eq!(e.line, 5);
    }
}

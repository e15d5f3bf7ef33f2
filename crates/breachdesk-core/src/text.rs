//! Untrusted text: characters that would act on a terminal or on how text is shown, rather than
//! be shown. C0 and C1 control characters (escape sequences clear screens and retitle windows) and
//! the Unicode direction overrides and isolates (U+202E makes "txt.exe" read "exe.txt").

/// Whether `c` is a control character (tab, line feed and carriage return aside) or a direction
/// override, embedding, isolate or mark.
#[must_use]
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `s` holds a hostile character: a byte scan, as fast as the import's other checks.
#[must_use]
pub fn has_hostile(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r')) || x == 0x7f {
                return true;
            }
            i += 1;
            continue;
        }
        match (x, b.get(i + 1).copied(), b.get(i + 2).copied()) {
            (0xc2, Some(0x80..=0x9f), _) | (0xd8, Some(0x9c), _) => return true, // C1; U+061C
            (0xe2, Some(0x80), Some(0x8e | 0x8f | 0xaa..=0xae))
            | (0xe2, Some(0x81), Some(0xa6..=0xa9)) => return true,
            _ => i += 1,
        }
    }
    false
}

/// `s` with each hostile character written out visibly (`\u{1b}`), for a terminal.
#[must_use]
pub fn escape_hostile(s: &str) -> std::borrow::Cow<'_, str> {
    if !has_hostile(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hostile(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_agrees_with_the_character_test() {
        let samples = [
            "Zoë Łukasiewicz",
            "José Núñez",
            "Đặng Thị Mỹ",
            "a\tb\nc\r",
            "\u{1b}]0;pwned\u{7}",
            "\u{1b}[2J",
            "report\u{202e}txt.exe",
            "x\u{2066}y",
            "\u{85}",
            "\u{7f}",
            "\u{200f}",
            "\u{061c}",
            "plain",
        ];
        for s in samples {
            assert_eq!(has_hostile(s), s.chars().any(is_hostile), "{s:?}");
        }
        assert_eq!(escape_hostile("\u{1b}[2Jhi"), "\\u{1b}[2Jhi");
        assert_eq!(escape_hostile("report\u{202e}txt"), "report\\u{202e}txt");
        assert!(matches!(escape_hostile("Zoë"), std::borrow::Cow::Borrowed(_)));
    }
}

/// `12345` → `12,345`.
#[must_use]
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod thousands_tests {
    #[test]
    fn groups_by_three() {
        for (n, s) in [(0, "0"), (999, "999"), (1000, "1,000"), (-1_234_567, "-1,234,567")] {
            assert_eq!(super::thousands(n), s);
        }
    }
}

//! JSON as AWS's own documentation writes it: `/* … */` and `// …` comments, and a trailing
//! comma before `}` or `]` (tests/fixtures/aws/real/*.jsonc, copied from AWS's pages). Each
//! is overwritten with spaces before the JSON reader sees the text, byte for byte and keeping
//! every line break, so that any other syntax error is still reported at its own line and
//! column. Anything else (a `#` comment, an unclosed `/*`, `[,]`) is left for the JSON reader
//! to refuse as before.

use std::borrow::Cow;

/// `text` with its comments and trailing commas blanked; borrowed when it has none.
pub fn blank(text: &str) -> Cow<'_, str> {
    let mut bytes = Cow::Borrowed(text.as_bytes());
    // Comments first, so that a comma followed by a comment and then `}` is seen as trailing.
    blank_pass(&mut bytes, comment_end);
    blank_pass(&mut bytes, |b, i| trailing_comma(b, i).then_some(i + 1));
    match bytes {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Only ASCII bytes and whole comments (every byte of each character) became spaces.
        Cow::Owned(b) => Cow::Owned(String::from_utf8(b).expect("blanking keeps UTF-8")),
    }
}

/// Walks `bytes` outside strings; where `span(bytes, i)` gives an end, blanks `i..end`
/// (keeping line breaks) and goes on from there.
fn blank_pass(bytes: &mut Cow<'_, [u8]>, span: impl Fn(&[u8], usize) -> Option<usize>) {
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if let Some(end) = span(bytes, i) {
            for c in &mut bytes.to_mut()[i..end] {
                if !matches!(*c, b'\n' | b'\r') {
                    *c = b' ';
                }
            }
            i = end;
            continue;
        }
        i += 1;
    }
}

/// The end of a comment starting at `i`: a line comment stops before its line break; a block
/// comment that is never closed is no comment (the JSON reader says where it stops).
fn comment_end(b: &[u8], i: usize) -> Option<usize> {
    match (b[i], b.get(i + 1)) {
        (b'/', Some(b'/')) => Some(b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n)),
        (b'/', Some(b'*')) => b[i + 2..].windows(2).position(|w| w == b"*/").map(|n| i + 2 + n + 2),
        _ => None,
    }
}

/// Is the byte at `i` a comma after a value and before `}` or `]`?
fn trailing_comma(b: &[u8], i: usize) -> bool {
    b[i] == b','
        && b[i + 1..].iter().find(|c| !c.is_ascii_whitespace()).is_some_and(|c| matches!(c, b'}' | b']'))
        // The end of a string, an object, a list, a number, true, false or null.
        && b[..i].iter().rev().find(|c| !c.is_ascii_whitespace()).is_some_and(|c| matches!(c, b'"' | b'}' | b']') || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_become_spaces_in_place() {
        let text = "{\"a\": 1, /* one\n two */ \"b\": [2, 3,], // end\n}";
        let out = blank(text);
        assert_eq!(out, "{\"a\": 1,       \n        \"b\": [2, 3 ]        \n}");
        assert_eq!(out.len(), text.len());
        assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    }

    #[test]
    fn strings_keep_what_looks_like_comments_and_commas() {
        let text = r#"{"u": "https://x/*y*/,}", "q": "a\"//b"}"#;
        assert!(matches!(blank(text), Cow::Borrowed(_)));
    }

    #[test]
    fn other_syntax_is_left_for_the_json_reader() {
        for text in ["[,]", "{,}", "[1,,]", "{\"a\": ,}", "{\"a\": 1} # hash", "{\"a\": /* open", "{\"a\": 1 /"] {
            assert!(serde_json::from_str::<serde_json::Value>(&blank(text)).is_err(), "{text}");
        }
    }

    #[test]
    fn a_comment_with_other_scripts_stays_utf8_and_a_comma_before_a_comment_is_trailing() {
        let out = blank("[1, /* ❤ */\n]");
        assert_eq!(serde_json::from_str::<Vec<u32>>(&out).unwrap(), [1]);
    }
}

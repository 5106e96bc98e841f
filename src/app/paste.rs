//! Text pasted into the terminal (bracketed paste), made fit for a one-line field: the form's
//! fields, the filter and the pickers take it alike.

/// Pasted text as one line of a field: line breaks (and the spaces around them) become one
/// space, so that pasted lines do not run together; a tab is a space; other control
/// characters go.
pub(crate) fn pasted_line(text: &str) -> String {
    let text = text.replace('\t', " ");
    if !text.contains(['\n', '\r']) {
        return text.chars().filter(|c| !c.is_control()).collect();
    }
    let lines: Vec<String> = text
        .split(['\n', '\r'])
        .map(|l| l.trim().chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|l| !l.is_empty())
        .collect();
    lines.join(" ")
}

#[cfg(test)]
mod tests {
    use super::pasted_line;

    #[test]
    fn a_pasted_line_break_is_a_space() {
        assert_eq!(pasted_line("Contoso\nRetail"), "Contoso Retail");
        assert_eq!(pasted_line("Contoso \r\n  Retail\r\n"), "Contoso Retail");
        assert_eq!(pasted_line("a\tb"), "a b");
        assert_eq!(pasted_line("  as typed "), "  as typed ", "one line stays as it is");
        assert_eq!(pasted_line("x\u{7}y"), "xy");
    }
}

//! (being filled)

/// A confirmation popup's title: ` Release Acme 2026? `.
pub fn popup_title(title: &str) -> String {
    format!(" {title}? ")
}

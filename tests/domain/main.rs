//! The domain's rules without a file: tables of cases (`rules`), property tests (`props`),
//! the rate cards of several durations (`durations`), extensions (`extension`), replacement
//! offers (`replacement`) and customer financing (`financing`). One test binary, one module per subject, so the
//! library is linked once for all of them.

mod durations;
mod extension;
mod financing;
mod props;
mod replacement;
mod rules;

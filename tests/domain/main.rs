//! The domain's rules without a file: tables of cases (`rules`), property tests (`props`)
//! and the rate cards of several durations (`durations`). One test binary, one module per
//! subject, so the library is linked once for all of them.

mod durations;
mod props;
mod rules;

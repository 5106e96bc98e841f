//! Fixture generators, apart from the use cases: the demo marketplace (`demo`) and the
//! synthetic offers of a big file (`scale`). They write only through the use cases and
//! `store::bulk`, so what they make is what a user could have made.

pub mod demo;
pub mod scale;

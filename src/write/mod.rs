//! Writing stories out: as Castline JSON ([`json`]), as a Castline events sheet ([`csv`]),
//! and made-up stories of any size for benchmarks and stress tests ([`generate`]).
//!
//! May import: [`crate::story`], and [`crate::read`] in tests (to read back what was written).

pub mod csv;
pub mod generate;
pub mod json;

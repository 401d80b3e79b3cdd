//! Access: the viewer's scope, the one visibility rule, the one envelope that
//! inserts records, changes their level and writes who is named, and the one
//! access policy. Features call these; none writes its own copy.

pub mod envelope;
pub mod kinds;
pub mod policy;
mod scope;
mod visibility;

pub use envelope::Envelope;
pub use kinds::RecordKind;
pub use scope::Scope;
pub(crate) use visibility::visible;

//! The one confidentiality rule that every read of records passes through.

use crate::access::Scope;
use crate::storage::Bind;

/// The confidentiality rule, as SQL over the alias `r`: the record is in the scope's
/// space and either its level is within what the viewer's role reads, or the viewer
/// wrote it and is still a member, or it is a named-people-only record that names the viewer.
/// Every feature's storage code builds its reads of `records r` from this function,
/// with [`crate::storage::bind_all`].
pub(crate) fn visible(scope: &Scope, binds: &mut Vec<Bind>) -> String {
    let viewer = scope.viewer_id().unwrap_or(-1);
    // Authorship grants nothing once membership ends.
    let author = if scope.role().is_some() { viewer } else { -1 };
    binds.push(Bind::I(scope.space.id));
    let p_space = binds.len();
    binds.push(Bind::I(scope.reads_up_to().as_i64()));
    let p_level = binds.len();
    binds.push(Bind::I(author));
    let p_author = binds.len();
    binds.push(Bind::I(viewer));
    let p_viewer = binds.len();
    format!(
        "r.space_id = ${p_space} AND (r.confidentiality <= ${p_level} OR r.author_id = ${p_author} \
         OR (r.confidentiality = 3 AND EXISTS (SELECT 1 FROM record_grants g WHERE g.record_id = r.id AND g.user_id = ${p_viewer})))"
    )
}

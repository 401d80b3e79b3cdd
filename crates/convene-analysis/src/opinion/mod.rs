//! Opinion mapping: vote matrices, opinion groups, representative and consensus statements.

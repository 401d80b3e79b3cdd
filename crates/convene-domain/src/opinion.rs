//! Opinion mapping: conversations, statements, moderation and votes.

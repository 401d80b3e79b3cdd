//! The integration tests of `convene-web`, one module per part, built as one test binary
//! (one link instead of one per file: faster builds, a fraction of the disk).

mod common;

mod actions_http;
mod activities_http;
mod actors_http;
mod agenda_http;
mod agreements_http;
mod calls_http;
mod campaign_http;
mod dialogues_http;
mod http;
mod invitations_http;
mod opinion;
mod organisations_http;
mod places_http;
mod poll_results;
mod polls_http;
mod representatives_http;
mod threew_http;
mod twilio;
mod ussd;

//! Polling: polls, questions, respondents and answers over web, SMS and USSD.

pub mod xlsform;

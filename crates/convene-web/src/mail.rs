//! The e-mail outbox's sender: takes due messages from the outbox
//! ([`convene_domain::mail`]) and hands them to the configured SMTP server, at most
//! `rate_per_sec` a second over the process.
//!
//! Each message carries the `Message-ID` and `Date` fixed when it was queued, so a
//! message sent again after a crash (the server accepted it, the process died before
//! recording that) is recognisable as the same one. An answer of 5xx, or an address
//! that cannot be parsed, gives the message up; anything else is retried later.

use std::time::{Duration, UNIX_EPOCH};

use convene_domain::mail::OutgoingMail;
use convene_domain::Db;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where and how e-mail is sent (from the server's configuration file only).
#[derive(Debug, Clone, PartialEq)]
pub struct MailConfig {
    /// `smtp://host:port` (plain, for a relay on the same machine or network),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://user:pass@host`.
    pub smtp_url: String,
    /// The sender, e.g. `Convene <convene@example.org>`; its domain ends every
    /// `Message-ID`.
    pub from: String,
    /// Messages a second at most.
    pub rate_per_sec: f64,
    /// Seconds before an SMTP exchange is given up (the claim on a message lasts
    /// this and 10 s more).
    pub timeout_secs: u64,
}

impl MailConfig {
    /// Checks the configuration, naming the bad value.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let from: Mailbox = self
            .from
            .parse()
            .map_err(|e| ("mail_from", format!("{e}")))?;
        if from.email.domain().is_empty() {
            return Err(("mail_from", "has no domain".into()));
        }
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.smtp_url)
            .map_err(|e| ("smtp_url", format!("{e}")))?;
        if !(1..=600).contains(&self.timeout_secs) {
            return Err(("mail_timeout_secs", "must be between 1 and 600".into()));
        }
        if !(self.rate_per_sec > 0.0 && self.rate_per_sec <= 1000.0) {
            return Err((
                "mail_rate_per_sec",
                "must be above 0 and at most 1000".into(),
            ));
        }
        Ok(())
    }
}

/// Why a message was not sent.
#[derive(Debug)]
pub enum SendFailure {
    /// Give up: the address or the message was refused for good.
    Permanent(String),
    /// Try again later.
    Temporary(String),
}

/// The message as sent: its headers fixed by what was queued.
pub fn build(cfg: &MailConfig, m: &OutgoingMail) -> Result<Message, SendFailure> {
    let from: Mailbox = cfg
        .from
        .parse()
        .map_err(|e| SendFailure::Permanent(format!("mail_from: {e}")))?;
    let to: Mailbox =
        m.to.parse()
            .map_err(|_| SendFailure::Permanent("the address cannot be an address".into()))?;
    let domain = from.email.domain().to_string();
    let mut b = Message::builder()
        .message_id(Some(format!("<{}@{domain}>", m.token)))
        .date(UNIX_EPOCH + Duration::from_secs(m.created_at.max(0) as u64))
        .from(from)
        .to(to);
    if let Some(r) = &m.reply_to {
        let r: Mailbox = r
            .parse()
            .map_err(|_| SendFailure::Permanent("the reply address cannot be an address".into()))?;
        b = b.reply_to(r);
    }
    b.subject(m.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| SendFailure::Permanent(format!("the message cannot be built: {e}")))
}

async fn send_one(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    cfg: &MailConfig,
    m: &OutgoingMail,
) -> Result<(), SendFailure> {
    let msg = build(cfg, m)?;
    match transport.send(msg).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => Err(SendFailure::Permanent(e.to_string())),
        Err(e) => Err(SendFailure::Temporary(e.to_string())),
    }
}

/// Sends what is due, pacing to the rate; returns how many were accepted.
pub async fn send_due(
    db: &Db,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    cfg: &MailConfig,
) -> usize {
    let gap = Duration::from_secs_f64(1.0 / cfg.rate_per_sec.max(0.001));
    let mut sent = 0;
    loop {
        let m = match db.claim_mail_for(cfg.timeout_secs as i64 + 10).await {
            Ok(Some(m)) => m,
            Ok(None) => return sent,
            Err(e) => {
                tracing::error!(error = %e, "claiming an e-mail failed");
                return sent;
            }
        };
        let began = std::time::Instant::now();
        let stored = match send_one(transport, cfg, &m).await {
            Ok(()) => {
                sent += 1;
                db.mail_sent(m.id).await
            }
            Err(SendFailure::Permanent(why)) => {
                tracing::warn!(message = m.id, error = %why, "e-mail refused for good");
                db.mail_attempt_failed(&m, &why, true).await
            }
            Err(SendFailure::Temporary(why)) => {
                tracing::warn!(message = m.id, error = %why, "e-mail not sent; retried later");
                db.mail_attempt_failed(&m, &why, false).await
            }
        };
        if let Err(e) = stored {
            tracing::error!(error = %e, "recording an e-mail's outcome failed");
        }
        if let Some(rest) = gap.checked_sub(began.elapsed()) {
            tokio::time::sleep(rest).await;
        }
    }
}

/// Runs the sender until the process stops; once an hour it erases the texts of
/// messages sent more than a week ago.
pub async fn run(db: Db, cfg: MailConfig) {
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&cfg.smtp_url) {
        Ok(b) => b
            .timeout(Some(Duration::from_secs(cfg.timeout_secs)))
            .build(),
        Err(e) => {
            tracing::error!(error = %e, "the e-mail sender cannot start");
            return;
        }
    };
    let mut last_sweep: Option<std::time::Instant> = None;
    loop {
        if last_sweep.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
            last_sweep = Some(std::time::Instant::now());
            match db.sweep_sent_mail().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(messages = n, "texts of sent e-mail erased"),
                Err(e) => tracing::error!(error = %e, "erasing sent e-mail failed"),
            }
        }
        let pause = if send_due(&db, &transport, &cfg).await == 0 {
            500
        } else {
            20
        };
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_fixed_by_the_queued_message() {
        let cfg = MailConfig {
            smtp_url: "smtp://127.0.0.1:2525".into(),
            from: "Convene <convene@example.org>".into(),
            rate_per_sec: 5.0,
            timeout_secs: 30,
        };
        assert!(cfg.check().is_ok());
        let m = OutgoingMail {
            id: 1,
            token: "abc123".into(),
            created_at: 1_800_000_000,
            to: "someone@example.net".into(),
            subject: "Invitation to Serran".into(),
            body: "Open this link.".into(),
            reply_to: None,
            attempts: 1,
        };
        let a = String::from_utf8(build(&cfg, &m).unwrap().formatted()).unwrap();
        let b = String::from_utf8(build(&cfg, &m).unwrap().formatted()).unwrap();
        assert_eq!(a, b, "a resend is the same message");
        assert!(a.contains("Message-ID: <abc123@example.org>"), "{a}");
        assert!(a.contains("Date: Fri, 15 Jan 2027"), "{a}");
        assert!(!a.contains("Reply-To"), "{a}");
        let replied = OutgoingMail {
            reply_to: Some("sender@example.net".into()),
            ..m.clone()
        };
        let r = String::from_utf8(build(&cfg, &replied).unwrap().formatted()).unwrap();
        assert!(r.contains("Reply-To: sender@example.net"), "{r}");
        let bad = OutgoingMail {
            to: "not an address".into(),
            ..m
        };
        assert!(matches!(build(&cfg, &bad), Err(SendFailure::Permanent(_))));
        let wrong = MailConfig {
            smtp_url: "ftp://x".into(),
            ..cfg
        };
        assert_eq!(wrong.check().unwrap_err().0, "smtp_url");
    }
}

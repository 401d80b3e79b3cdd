//! The outbound sender: takes due messages from the queue, at each channel's rate, and
//! hands them to the channel's gateway. Failures are retried with backoff by the queue.

use std::time::Duration;

use convene_domain::sms::{Channel, Claim, Gateway, Outgoing};
use convene_domain::Db;

/// The gateways' public API addresses, used unless the server's configuration
/// file names another.
const TWILIO_API: &str = "https://api.twilio.com/2010-04-01";
const AT_API: &str = "https://api.africastalking.com/version1/messaging";

/// Where outbound texts go, per gateway: from the server's configuration file only.
/// A space's organisers choose a gateway and give its credentials, never an address,
/// so the server posts a channel's secret nowhere but to its gateway.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatewayUrls {
    /// Kannel's `…/cgi-bin/sendsms` (a self-hosted gateway has no public address:
    /// Kannel channels send nothing until it is configured).
    pub kannel: Option<String>,
    /// Twilio's API base, when not the public one.
    pub twilio: Option<String>,
    /// Africa's Talking's messaging address, when not the public one.
    pub africas_talking: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("gateway answered {0}")]
    Status(u16),
    #[error("gateway unreachable: {0}")]
    Transport(String),
    #[error("gateway answer not understood")]
    Answer,
    #[error("the gateway's address is not in the server's configuration file")]
    NotConfigured,
}

/// Sends one message; returns the gateway's id of it when it gives one.
pub async fn send(
    client: &reqwest::Client,
    public_url: Option<&str>,
    urls: &GatewayUrls,
    ch: &Channel,
    m: &Outgoing,
) -> Result<Option<String>, SendError> {
    let transport = |e: reqwest::Error| SendError::Transport(e.without_url().to_string());
    match ch.gateway {
        Gateway::Kannel => {
            let mut query = vec![
                ("username", ch.settings.account.clone()),
                ("password", ch.secret.clone()),
                ("from", ch.number.clone()),
                ("to", m.to.clone()),
                ("text", m.body.clone()),
                ("charset", "UTF-8".into()),
            ];
            // Texts beyond ASCII go as UCS-2 so that any script arrives intact.
            if !m.body.is_ascii() {
                query.push(("coding", "2".into()));
            }
            if let Some(base) = public_url {
                query.push(("dlr-mask", "3".into()));
                query.push((
                    "dlr-url",
                    format!(
                        "{}/hooks/kannel/{}/dlr?out={}&status=%d",
                        base.trim_end_matches('/'),
                        ch.key,
                        m.id
                    ),
                ));
            }
            let Some(sendsms) = urls.kannel.as_deref() else {
                return Err(SendError::NotConfigured);
            };
            let res = client
                .get(sendsms)
                .query(&query)
                .send()
                .await
                .map_err(transport)?;
            if res.status().is_success() {
                Ok(None)
            } else {
                Err(SendError::Status(res.status().as_u16()))
            }
        }
        Gateway::Twilio => {
            let base = urls.twilio.as_deref().unwrap_or(TWILIO_API);
            let mut form = vec![
                ("To", m.to.clone()),
                ("From", ch.number.clone()),
                ("Body", m.body.clone()),
            ];
            if let Some(p) = public_url {
                form.push((
                    "StatusCallback",
                    format!("{}/hooks/twilio/{}/status", p.trim_end_matches('/'), ch.key),
                ));
            }
            let res = client
                .post(format!(
                    "{}/Accounts/{}/Messages.json",
                    base.trim_end_matches('/'),
                    ch.settings.account
                ))
                .basic_auth(&ch.settings.account, Some(&ch.secret))
                .form(&form)
                .send()
                .await
                .map_err(transport)?;
            if !res.status().is_success() {
                return Err(SendError::Status(res.status().as_u16()));
            }
            let v: serde_json::Value = res.json().await.map_err(|_| SendError::Answer)?;
            Ok(v.get("sid").and_then(|s| s.as_str()).map(str::to_string))
        }
        Gateway::AfricasTalking => {
            let url = urls.africas_talking.as_deref().unwrap_or(AT_API);
            let res = client
                .post(url)
                .header("apiKey", &ch.secret)
                .header("Accept", "application/json")
                .form(&[
                    ("username", ch.settings.account.as_str()),
                    ("to", m.to.as_str()),
                    ("message", m.body.as_str()),
                    ("from", ch.number.as_str()),
                ])
                .send()
                .await
                .map_err(transport)?;
            if !res.status().is_success() {
                return Err(SendError::Status(res.status().as_u16()));
            }
            let v: serde_json::Value = res.json().await.map_err(|_| SendError::Answer)?;
            let recipient = v
                .pointer("/SMSMessageData/Recipients/0")
                .ok_or(SendError::Answer)?;
            let status = recipient
                .get("status")
                .and_then(|s| s.as_str())
                .unwrap_or("");
            if !matches!(
                status,
                "Success" | "Sent" | "Queued" | "Submitted" | "Buffered"
            ) {
                return Err(SendError::Answer);
            }
            Ok(recipient
                .get("messageId")
                .and_then(|s| s.as_str())
                .map(str::to_string))
        }
    }
}

/// Sends what is due on every channel, each as fast as its rate allows, and moves on
/// from a channel as soon as its rate says wait, so a slow channel holds up no other.
/// Returns how many messages were handed to a gateway.
pub async fn send_due(
    db: &Db,
    client: &reqwest::Client,
    public_url: Option<&str>,
    urls: &GatewayUrls,
) -> usize {
    let mut sent = 0;
    let channels = match db.sms_channels_with_due().await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "reading the outbound queue failed");
            return 0;
        }
    };
    for ch in channels {
        loop {
            match db.claim_sms(&ch).await {
                Ok(Claim::Message(m)) => {
                    let outcome = send(client, public_url, urls, &ch, &m).await;
                    let stored = match outcome {
                        Ok(gateway_id) => {
                            sent += 1;
                            db.sms_sent(m.id, gateway_id.as_deref()).await
                        }
                        Err(e) => {
                            tracing::warn!(channel = ch.id, message = m.id, error = %e, "sending failed");
                            db.sms_attempt_failed(&m, &e.to_string()).await
                        }
                    };
                    if let Err(e) = stored {
                        tracing::error!(error = %e, "recording a send failed");
                    }
                }
                Ok(Claim::Wait(_)) | Ok(Claim::Empty) => break,
                Err(e) => {
                    tracing::error!(error = %e, "claiming an outbound message failed");
                    break;
                }
            }
        }
    }
    sent
}

/// Runs the sender until the process stops; once a minute it also times out idle
/// poll conversations and queues activity reminders.
pub async fn run(db: Db, public_url: Option<String>, urls: GatewayUrls) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "the SMS sender cannot start");
            return;
        }
    };
    let mut last_sweep = std::time::Instant::now();
    loop {
        // Poll conversations silent for too long are timed out once a minute.
        if last_sweep.elapsed() >= Duration::from_secs(60) {
            last_sweep = std::time::Instant::now();
            match db.sweep_idle_poll_conversations().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(conversations = n, "idle poll conversations timed out"),
                Err(e) => tracing::error!(error = %e, "timing out idle poll conversations failed"),
            }
            // Activity reminders (the day before) and sensitive venues (shortly
            // before) for joiners by SMS.
            match db.sweep_activity_reminders().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(messages = n, "activity reminders queued"),
                Err(e) => tracing::error!(error = %e, "queueing activity reminders failed"),
            }
        }
        // A channel that had to wait is taken up again on the next round.
        let pause = if send_due(&db, &client, public_url.as_deref(), &urls).await == 0 {
            250
        } else {
            10
        };
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use convene_domain::sms::Settings;

    #[tokio::test]
    async fn a_kannel_channel_sends_nowhere_until_the_server_names_kannel() {
        // A channel's address was once free text from the web, so a space owner
        // could make the server post the channel's secret to any address.
        let ch = Channel {
            id: 1,
            space_id: 1,
            gateway: Gateway::Kannel,
            name: "k".into(),
            number: "4040".into(),
            settings: Settings {
                account: "convene".into(),
            },
            secret: "s3cret".into(),
            rate_per_sec: 1.0,
            languages: vec![],
            key: "k".into(),
        };
        let m = Outgoing {
            id: 1,
            channel_id: 1,
            to: "+923001234567".into(),
            body: "hello".into(),
            attempts: 0,
        };
        let client = reqwest::Client::new();
        let r = send(&client, None, &GatewayUrls::default(), &ch, &m).await;
        assert!(matches!(r, Err(SendError::NotConfigured)), "{r:?}");
    }
}

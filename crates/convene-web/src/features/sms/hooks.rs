//! The gateways' requests: inbound messages, delivery reports and opt-outs from
//! Twilio, Africa's Talking and Kannel.
//!
//! Every address carries the channel's secret key. Twilio's requests are also signed
//! (`X-Twilio-Signature`), and a bad signature is refused (403) and logged. A message is
//! acknowledged only after it is committed, so a gateway that got no answer retries,
//! and the retry (same gateway message id) stores nothing twice. Fields a gateway adds
//! about the caller (city, country, carrier) are never read or stored.

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use convene_domain::sms::webhook::{self, Params, WebhookError};
use convene_domain::sms::{Channel, Gateway, ReplyMode};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

use crate::AppState;

/// Why a gateway's request was refused; answered in plain text.
#[derive(Debug)]
pub enum HookError {
    UnknownChannel,
    Malformed,
    BadSignature,
    Missing(&'static str),
    Store(convene_domain::Error),
}

impl From<WebhookError> for HookError {
    fn from(e: WebhookError) -> Self {
        match e {
            WebhookError::Malformed => HookError::Malformed,
            WebhookError::Missing(fields) => HookError::Missing(fields),
        }
    }
}

impl From<convene_domain::Error> for HookError {
    fn from(e: convene_domain::Error) -> Self {
        HookError::Store(e)
    }
}

fn plain(status: StatusCode, msg: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        msg,
    )
        .into_response()
}

impl IntoResponse for HookError {
    fn into_response(self) -> Response {
        use convene_domain::Error as E;
        match self {
            HookError::UnknownChannel | HookError::Store(E::NotFound) => {
                plain(StatusCode::NOT_FOUND, "unknown channel\n".into())
            }
            HookError::Malformed => plain(StatusCode::BAD_REQUEST, "malformed body\n".into()),
            HookError::BadSignature => plain(StatusCode::FORBIDDEN, "bad signature\n".into()),
            HookError::Missing(fields) => {
                plain(StatusCode::BAD_REQUEST, format!("{fields} required\n"))
            }
            HookError::Store(E::Invalid(problems)) => {
                let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
                tracing::info!(?fields, "gateway request with invalid fields");
                plain(
                    StatusCode::BAD_REQUEST,
                    format!("invalid: {}\n", fields.join(", ")),
                )
            }
            HookError::Store(other) => {
                tracing::error!(error = %other, "storing a gateway request failed");
                plain(StatusCode::INTERNAL_SERVER_ERROR, "try again\n".into())
            }
        }
    }
}

type HookResult = Result<Response, HookError>;

async fn channel(state: &AppState, key: &str, gateway: Gateway) -> Result<Channel, HookError> {
    let ch = state.db.sms_channel_by_key(key).await?;
    if ch.gateway == gateway {
        Ok(ch)
    } else {
        Err(HookError::UnknownChannel)
    }
}

fn form(body: &Bytes) -> Result<Params, HookError> {
    Ok(webhook::form(body)?)
}

/// Twilio's request signature: Base64 of HMAC-SHA1, keyed with the auth token, over the
/// full URL Twilio called followed by every POST parameter's name and value, sorted by
/// name.
pub fn twilio_signature(auth_token: &str, url: &str, params: &Params) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut data = String::from(url);
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()) else {
        return String::new();
    };
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The URL the gateway called, as it saw it: the configured public address, or the
/// request's Host.
fn called_url(state: &AppState, headers: &HeaderMap, uri: &axum::http::Uri) -> String {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or_else(|| uri.path());
    match &state.cfg.public_url {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}{path}")
        }
    }
}

fn verify_twilio(
    state: &AppState,
    ch: &Channel,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    params: &Params,
) -> Result<(), HookError> {
    let given = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let expected = twilio_signature(&ch.secret, &called_url(state, headers, uri), params);
    if !given.is_empty() && bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        tracing::warn!(
            channel = ch.id,
            "Twilio request with a bad signature refused"
        );
        Err(HookError::BadSignature)
    }
}

fn twiml(replies: &[String]) -> Response {
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#);
    for r in replies {
        xml.push_str("<Message>");
        xml.push_str(&quick_xml::escape::escape(r.as_str()));
        xml.push_str("</Message>");
    }
    xml.push_str("</Response>");
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// `POST /hooks/twilio/{key}`: an inbound message; replies in TwiML.
pub async fn twilio_inbound(
    State(state): State<AppState>,
    Path(key): Path<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> HookResult {
    let ch = channel(&state, &key, Gateway::Twilio).await?;
    let params = form(&body)?;
    verify_twilio(&state, &ch, &headers, &uri, &params)?;
    let msg = webhook::twilio_inbound(&params)?;
    let receipt = state.db.receive_sms(&ch, &msg, ReplyMode::Inline).await?;
    Ok(twiml(&receipt.inline_replies))
}

/// `POST /hooks/twilio/{key}/status`: a status callback for a message we sent.
pub async fn twilio_status(
    State(state): State<AppState>,
    Path(key): Path<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> HookResult {
    let ch = channel(&state, &key, Gateway::Twilio).await?;
    let params = form(&body)?;
    verify_twilio(&state, &ch, &headers, &uri, &params)?;
    let (sid, delivery) = webhook::twilio_status(&params)?;
    let _ = state.db.sms_delivery(&ch, &sid, true, delivery).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /hooks/at/{key}/sms`: Africa's Talking's inbound callback; replies are queued.
pub async fn at_inbound(
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Bytes,
) -> HookResult {
    let ch = channel(&state, &key, Gateway::AfricasTalking).await?;
    let params = form(&body)?;
    let msg = webhook::at_inbound(&params)?;
    let _ = state.db.receive_sms(&ch, &msg, ReplyMode::Queue).await?;
    Ok(StatusCode::OK.into_response())
}

/// `POST /hooks/at/{key}/ussd`: one step of an Africa's Talking USSD session (form
/// fields `sessionId`, `serviceCode`, `phoneNumber`, `networkCode`, `text`). Answered in
/// plain text: `CON …` (more to come) or `END …`, after the step is committed.
pub async fn at_ussd(
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Bytes,
) -> HookResult {
    let ch = channel(&state, &key, Gateway::AfricasTalking).await?;
    let params = form(&body)?;
    let req = webhook::at_ussd(&params)?;
    let screen = state.db.ussd(&ch, &req).await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        screen.body(),
    )
        .into_response())
}

/// `POST /hooks/at/{key}/delivery`: Africa's Talking's delivery report.
pub async fn at_delivery(
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Bytes,
) -> HookResult {
    let ch = channel(&state, &key, Gateway::AfricasTalking).await?;
    let params = form(&body)?;
    let (id, delivery) = webhook::at_delivery(&params)?;
    let _ = state.db.sms_delivery(&ch, &id, true, delivery).await?;
    Ok(StatusCode::OK.into_response())
}

/// `POST /hooks/at/{key}/optout`: Africa's Talking reports that a number opted out.
pub async fn at_optout(
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Bytes,
) -> HookResult {
    let ch = channel(&state, &key, Gateway::AfricasTalking).await?;
    let params = form(&body)?;
    let phone = webhook::at_optout(&params)?;
    state.db.sms_gateway_opt_out(&ch, &phone).await?;
    Ok(StatusCode::OK.into_response())
}

/// `GET /hooks/kannel/{key}?id=%I&from=%p&text=%a`: Kannel's sms-service get-url. The
/// response body is the reply Kannel sends back (empty: none, with `omit-empty`).
pub async fn kannel_inbound(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(params): Query<Params>,
) -> HookResult {
    let ch = channel(&state, &key, Gateway::Kannel).await?;
    let msg = webhook::kannel_inbound(&params)?;
    let receipt = state.db.receive_sms(&ch, &msg, ReplyMode::Inline).await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        receipt.inline_replies.join("\n"),
    )
        .into_response())
}

/// `GET /hooks/kannel/{key}/dlr?out=N&status=%d`: Kannel's delivery report for the
/// outbound message N.
pub async fn kannel_dlr(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(params): Query<Params>,
) -> HookResult {
    let ch = channel(&state, &key, Gateway::Kannel).await?;
    let (out, delivery) = webhook::kannel_dlr(&params)?;
    let _ = state.db.sms_delivery(&ch, &out, false, delivery).await?;
    Ok(StatusCode::OK.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_signature_matches_the_documented_example() {
        // The example in Twilio's security documentation.
        let params: Params = vec![
            ("CallSid".into(), "CA1234567890ABCDE".into()),
            ("Caller".into(), "+12349013030".into()),
            ("Digits".into(), "1234".into()),
            ("From".into(), "+12349013030".into()),
            ("To".into(), "+18005551212".into()),
        ];
        assert_eq!(
            twilio_signature(
                "12345",
                "https://mycompany.com/myapp.php?foo=1&bar=2",
                &params
            ),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
    }
}

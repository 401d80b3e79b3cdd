//! What the gateways' requests say: the form bodies (and Kannel's query strings) of
//! inbound messages, delivery reports, USSD steps and opt-outs, read into typed values.
//! Pure: the web layer checks the channel's key and Twilio's signature, then stores
//! what these functions read. Fields a gateway adds about the caller (city, country,
//! carrier) are never read.

use crate::polls::ussd::UssdRequest;
use crate::sms::{Delivery, InboundSms};

/// A form body or query string as name–value pairs, in order.
pub type Params = Vec<(String, String)>;

/// Why a gateway's request cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("malformed body")]
    Malformed,
    #[error("{0} required")]
    Missing(&'static str),
}

type Read<T> = Result<T, WebhookError>;

/// The value of the first parameter called `name`.
pub fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A form body or query string; text that is not UTF-8 (raw or percent-encoded)
/// makes it malformed.
pub fn form(body: &[u8]) -> Read<Params> {
    if std::str::from_utf8(body).is_err() {
        return Err(WebhookError::Malformed);
    }
    let params =
        serde_urlencoded::from_bytes::<Params>(body).map_err(|_| WebhookError::Malformed)?;
    if params
        .iter()
        .any(|(k, v)| k.contains('\u{FFFD}') || v.contains('\u{FFFD}'))
    {
        return Err(WebhookError::Malformed);
    }
    Ok(params)
}

fn inbound(
    params: &Params,
    id: &str,
    from: &str,
    text: &str,
    missing: &'static str,
) -> Read<InboundSms> {
    let (Some(gateway_id), Some(sender)) = (param(params, id), param(params, from)) else {
        return Err(WebhookError::Missing(missing));
    };
    Ok(InboundSms {
        gateway_id: gateway_id.to_string(),
        from: sender.to_string(),
        text: param(params, text).unwrap_or("").to_string(),
    })
}

/// Twilio's inbound message (`MessageSid`, `From`, `Body`).
pub fn twilio_inbound(params: &Params) -> Read<InboundSms> {
    inbound(params, "MessageSid", "From", "Body", "MessageSid and From")
}

/// Twilio's status callback: the message's id and what became of it.
pub fn twilio_status(params: &Params) -> Read<(String, Delivery)> {
    let (Some(sid), Some(status)) = (param(params, "MessageSid"), param(params, "MessageStatus"))
    else {
        return Err(WebhookError::Missing("MessageSid and MessageStatus"));
    };
    let delivery = match status {
        "delivered" | "read" => Delivery::Delivered,
        "failed" | "undelivered" | "canceled" => Delivery::Failed,
        _ => Delivery::Sent,
    };
    Ok((sid.to_string(), delivery))
}

/// Africa's Talking's inbound message (`id`, `from`, `text`).
pub fn at_inbound(params: &Params) -> Read<InboundSms> {
    inbound(params, "id", "from", "text", "id and from")
}

/// One step of an Africa's Talking USSD session (`sessionId`, `phoneNumber`, `text`).
pub fn at_ussd(params: &Params) -> Read<UssdRequest> {
    let (Some(session), Some(phone)) = (param(params, "sessionId"), param(params, "phoneNumber"))
    else {
        return Err(WebhookError::Missing("sessionId and phoneNumber"));
    };
    Ok(UssdRequest {
        session_id: session.to_string(),
        phone: phone.to_string(),
        text: param(params, "text").unwrap_or("").to_string(),
    })
}

/// Africa's Talking's delivery report.
pub fn at_delivery(params: &Params) -> Read<(String, Delivery)> {
    let (Some(id), Some(status)) = (param(params, "id"), param(params, "status")) else {
        return Err(WebhookError::Missing("id and status"));
    };
    let delivery = match status {
        "Success" => Delivery::Delivered,
        "Failed" | "Rejected" | "AbsentSubscriber" | "Expired" => Delivery::Failed,
        _ => Delivery::Sent,
    };
    Ok((id.to_string(), delivery))
}

/// Africa's Talking's opt-out report: the number that opted out.
pub fn at_optout(params: &Params) -> Read<String> {
    param(params, "phoneNumber")
        .map(str::to_string)
        .ok_or(WebhookError::Missing("phoneNumber"))
}

/// Kannel's sms-service get-url (`id=%I&from=%p&text=%a`).
pub fn kannel_inbound(params: &Params) -> Read<InboundSms> {
    inbound(params, "id", "from", "text", "id and from")
}

/// Kannel's delivery report (`out=N&status=%d`): our outbound id and its fate.
pub fn kannel_dlr(params: &Params) -> Read<(String, Delivery)> {
    let (Some(out), Some(status)) = (param(params, "out"), param(params, "status")) else {
        return Err(WebhookError::Missing("out and status"));
    };
    // Kannel's %d: 1 delivered, 2 failed, 4 buffered, 8 submitted, 16 rejected.
    let delivery = match status {
        "1" => Delivery::Delivered,
        "2" | "16" => Delivery::Failed,
        _ => Delivery::Sent,
    };
    Ok((out.to_string(), delivery))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_read_and_refused_as_documented() {
        let p = form(b"MessageSid=SM1&From=%2B255700000001&Body=YES%20please&FromCity=X")
            .expect("a valid body");
        let m = twilio_inbound(&p).expect("an inbound message");
        assert_eq!(
            (m.gateway_id.as_str(), m.from.as_str(), m.text.as_str()),
            ("SM1", "+255700000001", "YES please")
        );
        assert_eq!(form(b"a=%FF"), Err(WebhookError::Malformed));
        assert_eq!(form(b"a=\xff"), Err(WebhookError::Malformed));
        let p = form(b"From=1").expect("a valid body");
        assert_eq!(
            twilio_inbound(&p).err(),
            Some(WebhookError::Missing("MessageSid and From"))
        );
        let p = form(b"out=7&status=16").expect("a valid body");
        assert_eq!(kannel_dlr(&p), Ok(("7".to_string(), Delivery::Failed)));
    }
}

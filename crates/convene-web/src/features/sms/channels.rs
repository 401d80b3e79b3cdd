//! The organisers' page of a space's SMS channels: the list with queue counts, and the
//! form that adds a channel and shows its webhook addresses once.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use convene_domain::access::policy::may_organise;
use convene_domain::sms::{Gateway, NewChannel, Settings};
use convene_domain::spaces::Scope;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::SpaceScope;
use crate::features::forms::FormErrors;
use crate::{page_with, AppState};

pub struct ChannelRow {
    pub name: String,
    pub gateway: &'static str,
    pub number: String,
    pub rate: String,
    pub counts: String,
}

/// The addresses to enter at the gateway, shown once after a channel is added.
pub struct Created {
    pub inbound: String,
    pub extra: Vec<String>,
}

#[derive(Template)]
#[template(path = "features/sms/channels.html")]
pub struct ChannelsPage {
    pub ctx: Ctx,
    pub scope: Scope,
    pub channels: Vec<ChannelRow>,
    pub errors: FormErrors,
    pub created: Option<Created>,
    pub gateways: Vec<(&'static str, &'static str)>,
}

fn gateways() -> Vec<(&'static str, &'static str)> {
    vec![
        ("twilio", "Twilio"),
        ("africastalking", "Africa's Talking"),
        ("kannel", "Kannel"),
    ]
}

fn gateway_label(g: Gateway) -> &'static str {
    match g {
        Gateway::Twilio => "Twilio",
        Gateway::AfricasTalking => "Africa's Talking",
        Gateway::Kannel => "Kannel",
    }
}

async fn render(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    errors: FormErrors,
    created: Option<Created>,
) -> AppResult<Response> {
    let mut channels = Vec::new();
    for ch in state.db.sms_channels(&scope).await? {
        let counts = state
            .db
            .sms_outbound_counts(&scope, ch.id)
            .await?
            .into_iter()
            .map(|(status, n)| format!("{}: {n}", ctx.t(&format!("sms-status-{status}"))))
            .collect::<Vec<_>>()
            .join(", ");
        channels.push(ChannelRow {
            name: ch.name,
            gateway: gateway_label(ch.gateway),
            number: ch.number,
            rate: format!("{}", ch.rate_per_sec),
            counts,
        });
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    page_with(
        status,
        &ChannelsPage {
            ctx,
            scope,
            channels,
            errors,
            created,
            gateways: gateways(),
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    render(&state, ctx, scope, FormErrors::default(), None).await
}

#[derive(Deserialize)]
pub struct ChannelForm {
    #[serde(default)]
    gateway: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    rate_per_sec: String,
    #[serde(default)]
    languages: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    SpaceScope(scope): SpaceScope,
    Form(f): Form<ChannelForm>,
) -> AppResult<Response> {
    if !may_organise(&scope) {
        return Err(AppError::Forbidden);
    }
    let Some(gateway) = Gateway::parse(&f.gateway) else {
        let errors = FormErrors::one(&ctx, "gateway", "error-invalid");
        return render(&state, ctx, scope, errors, None).await;
    };
    let new = NewChannel {
        gateway,
        name: f.name,
        number: f.number,
        settings: Settings {
            account: f.account.trim().to_string(),
        },
        secret: f.secret,
        rate_per_sec: f.rate_per_sec.trim().parse().unwrap_or(-1.0),
        languages: f
            .languages
            .split([',', ' '])
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty() && s != "en")
            .collect(),
    };
    match state.db.create_sms_channel(&scope, &new).await {
        Ok(c) => {
            // Absolute addresses come from the configured public address only, never
            // from the request's Host header (which whoever sends the request picks);
            // without one, the paths are shown for the operator to complete.
            let base = state
                .cfg
                .public_url
                .as_deref()
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string();
            let k = &c.key;
            let created = match gateway {
                Gateway::Twilio => Created {
                    inbound: format!("{base}/hooks/twilio/{k}"),
                    extra: vec![format!("{base}/hooks/twilio/{k}/status")],
                },
                Gateway::AfricasTalking => Created {
                    inbound: format!("{base}/hooks/at/{k}/sms"),
                    extra: vec![
                        format!("{base}/hooks/at/{k}/delivery"),
                        format!("{base}/hooks/at/{k}/optout"),
                    ],
                },
                Gateway::Kannel => Created {
                    inbound: format!("{base}/hooks/kannel/{k}?id=%I&from=%p&text=%a"),
                    extra: Vec::new(),
                },
            };
            render(&state, ctx, scope, FormErrors::default(), Some(created)).await
        }
        Err(convene_domain::Error::Invalid(v)) => {
            let errors = FormErrors::from_invalid(&ctx, &v);
            render(&state, ctx, scope, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

//! Configuration: flags, then environment variables (both through clap), then an
//! optional TOML file, then defaults. A bad value stops start-up naming it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {0}: {1}")]
    Read(String, String),
    #[error("configuration file {0}: {1}")]
    Parse(String, String),
    #[error("invalid value for {0}: {1}")]
    Invalid(&'static str, String),
}

/// The keys a TOML configuration file may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub key_file: Option<PathBuf>,
    pub secure_cookies: Option<bool>,
    pub trust_forwarded: Option<bool>,
    pub body_limit_bytes: Option<usize>,
    pub public_url: Option<String>,
    /// Kannel's `…/cgi-bin/sendsms` address (a self-hosted gateway). Gateway
    /// addresses come from this file only, never from the web.
    pub kannel_send_url: Option<String>,
    /// Another Twilio API base than the public one (a sandbox).
    pub twilio_api_base: Option<String>,
    /// Another Africa's Talking messaging address than the public one (a sandbox).
    pub africas_talking_api: Option<String>,
    /// The SMTP server e-mail goes through (`smtp://host:port`,
    /// `smtp://user:pass@host:587?tls=required`, `smtps://user:pass@host`).
    pub smtp_url: Option<String>,
    /// The sender of every e-mail, e.g. `Convene <convene@example.org>`.
    pub mail_from: Option<String>,
    /// E-mails a second at most (default 5).
    pub mail_rate_per_sec: Option<f64>,
    /// Seconds before an SMTP exchange is given up (default 30).
    pub mail_timeout_secs: Option<u64>,
}

/// Values given by flags or environment variables.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub key_file: Option<PathBuf>,
    pub secure_cookies: Option<bool>,
    pub trust_forwarded: Option<bool>,
    pub public_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub key_file: PathBuf,
    pub secure_cookies: bool,
    pub trust_forwarded: bool,
    pub body_limit: usize,
    pub public_url: Option<String>,
    /// Where outbound texts are sent, per gateway.
    pub gateway_urls: convene_web::features::sms::send::GatewayUrls,
    /// E-mail, when an SMTP server and a sender are configured.
    pub mail: Option<convene_web::mail::MailConfig>,
}

fn gateway_url(key: &'static str, v: Option<String>) -> Result<Option<String>, ConfigError> {
    match v {
        Some(u)
            if !(u.starts_with("http://") || u.starts_with("https://"))
                || u.contains(char::is_whitespace) =>
        {
            Err(ConfigError::Invalid(
                key,
                "must start with http:// or https://".into(),
            ))
        }
        other => Ok(other),
    }
}

impl Config {
    pub fn resolve(file: Option<&Path>, o: Overrides) -> Result<Config, ConfigError> {
        let fc = match file {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| ConfigError::Read(p.display().to_string(), e.to_string()))?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| ConfigError::Parse(p.display().to_string(), e.to_string()))?
            }
            None => FileConfig::default(),
        };
        let bind_text = o
            .bind
            .or(fc.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind = bind_text.parse::<SocketAddr>().map_err(|_| {
            ConfigError::Invalid(
                "bind",
                format!("{bind_text:?} is not an address like 127.0.0.1:8080"),
            )
        })?;
        let data_dir = o
            .data_dir
            .or(fc.data_dir)
            .unwrap_or_else(|| PathBuf::from("convene-data"));
        let database_url = match o
            .database_url
            .or(fc.database_url)
            .filter(|u| !u.trim().is_empty())
        {
            Some(u)
                if u.starts_with("postgres://")
                    || u.starts_with("postgresql://")
                    || u.starts_with("sqlite:") =>
            {
                u
            }
            Some(_) => {
                return Err(ConfigError::Invalid(
                    "database_url",
                    "must start with postgres:// or sqlite:".into(),
                ))
            }
            None => convene_domain::storage::sqlite_url(&data_dir),
        };
        let key_file = o
            .key_file
            .or(fc.key_file)
            .unwrap_or_else(|| data_dir.join("convene.key"));
        let body_limit = fc.body_limit_bytes.unwrap_or(1024 * 1024);
        if !(1024..=512 * 1024 * 1024).contains(&body_limit) {
            return Err(ConfigError::Invalid(
                "body_limit_bytes",
                "must be between 1024 and 536870912".into(),
            ));
        }
        let public_url = o.public_url.or(fc.public_url);
        if let Some(u) = &public_url {
            if !(u.starts_with("http://") || u.starts_with("https://"))
                || u.contains(char::is_whitespace)
            {
                return Err(ConfigError::Invalid(
                    "public_url",
                    "must start with http:// or https://".into(),
                ));
            }
        }
        let mail = match (fc.smtp_url, fc.mail_from) {
            (None, None) => None,
            (Some(smtp_url), Some(from)) => {
                let m = convene_web::mail::MailConfig {
                    smtp_url,
                    from,
                    rate_per_sec: fc.mail_rate_per_sec.unwrap_or(5.0),
                    timeout_secs: fc.mail_timeout_secs.unwrap_or(30),
                };
                m.check()
                    .map_err(|(key, why)| ConfigError::Invalid(key, why))?;
                Some(m)
            }
            (Some(_), None) => {
                return Err(ConfigError::Invalid(
                    "mail_from",
                    "is needed with smtp_url".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(ConfigError::Invalid(
                    "smtp_url",
                    "is needed with mail_from".into(),
                ))
            }
        };
        Ok(Config {
            mail,
            bind,
            data_dir,
            database_url,
            key_file,
            secure_cookies: o.secure_cookies.or(fc.secure_cookies).unwrap_or(false),
            trust_forwarded: o.trust_forwarded.or(fc.trust_forwarded).unwrap_or(false),
            body_limit,
            public_url,
            gateway_urls: convene_web::features::sms::send::GatewayUrls {
                kannel: gateway_url("kannel_send_url", fc.kannel_send_url)?,
                twilio: gateway_url("twilio_api_base", fc.twilio_api_base)?,
                africas_talking: gateway_url("africas_talking_api", fc.africas_talking_api)?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_addresses_come_from_the_file_only_and_must_be_web_addresses() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(
            &p,
            "kannel_send_url = \"http://10.0.0.5:13013/cgi-bin/sendsms\"\n",
        )
        .unwrap();
        let c = Config::resolve(Some(&p), Overrides::default()).unwrap();
        assert_eq!(
            c.gateway_urls.kannel.as_deref(),
            Some("http://10.0.0.5:13013/cgi-bin/sendsms")
        );
        assert_eq!(c.gateway_urls.twilio, None);
        std::fs::write(&p, "twilio_api_base = \"file:///etc/passwd\"\n").unwrap();
        let e = Config::resolve(Some(&p), Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("twilio_api_base"), "{e}");
        let none = Config::resolve(None, Overrides::default()).unwrap();
        assert_eq!(none.gateway_urls, Default::default());
    }

    #[test]
    fn flags_beat_file_and_bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "bind = \"0.0.0.0:9000\"\ndata_dir = \"/srv/convene\"\n").unwrap();
        let c = Config::resolve(Some(&p), Overrides::default()).unwrap();
        assert_eq!(c.bind.port(), 9000);
        assert_eq!(c.key_file, PathBuf::from("/srv/convene/convene.key"));
        let c = Config::resolve(
            Some(&p),
            Overrides {
                bind: Some("127.0.0.1:7000".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(c.bind.port(), 7000);
        let e = Config::resolve(
            None,
            Overrides {
                bind: Some("localhost".into()),
                ..Overrides::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("bind"), "{e}");
        std::fs::write(&p, "bnid = \"x\"\n").unwrap();
        let e = Config::resolve(Some(&p), Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("bnid"), "{e}");
        std::fs::write(&p, "bind = 5\n").unwrap();
        let e = Config::resolve(Some(&p), Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("bind"), "{e}");
        let e = Config::resolve(
            None,
            Overrides {
                database_url: Some("mysql://x".into()),
                ..Overrides::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("database_url"), "{e}");
    }
}

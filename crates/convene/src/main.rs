//! `convene`: the web server, the demo, administration and analysis commands.
#![forbid(unsafe_code)]

mod config;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, Overrides};

/// Convene: a platform for people who convene peace processes.
#[derive(Parser, Debug)]
#[command(name = "convene", version, about, long_about = None)]
struct Cli {
    /// Optional TOML configuration file (values there are used when neither a flag nor
    /// an environment variable sets them).
    #[arg(long, global = true, env = "CONVENE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug, Clone, Default)]
struct StoreArgs {
    /// Directory for the embedded database and the key file [default: ./convene-data].
    #[arg(long, env = "CONVENE_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of the embedded SQLite (postgres://user:pass@host/db).
    #[arg(long, env = "CONVENE_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,
    /// Path of the key file that encrypts personal data [default: DATA_DIR/convene.key].
    #[arg(long, env = "CONVENE_KEY_FILE", value_name = "FILE")]
    key_file: Option<PathBuf>,
}

#[derive(clap::Args, Debug, Clone, Default)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "CONVENE_BIND", value_name = "ADDR")]
    bind: Option<String>,
    /// Mark cookies Secure (set when served over https).
    #[arg(long, env = "CONVENE_SECURE_COOKIES")]
    secure_cookies: Option<bool>,
    /// Trust X-Forwarded-For from a reverse proxy for client addresses.
    #[arg(long, env = "CONVENE_TRUST_FORWARDED")]
    trust_forwarded: Option<bool>,
    /// The address the public and SMS gateways reach this server at
    /// (e.g. https://convene.example.org); checks gateways' signatures.
    #[arg(long, env = "CONVENE_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (creates and migrates the database on first start).
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Run the server on a freshly seeded demo database and print the demo logins.
    Demo {
        /// Address to listen on [default: 127.0.0.1:8080].
        #[arg(long, env = "CONVENE_BIND", value_name = "ADDR")]
        bind: Option<String>,
        /// Directory for the demo database; its database is replaced [default: ./convene-demo].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write a consistent copy of the embedded database while the server runs (never
    /// the key file: back that up apart). For PostgreSQL use pg_dump.
    Backup {
        /// The copy to write (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Replace the embedded database by a backup, once the copy passed every check
    /// (intact file, migrations, audit chain, the key opens its data). Stop the
    /// servers first; the replaced database is kept beside it.
    Restore {
        /// The backup to restore.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Rotate the key that seals personal data, while the servers run.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Inspect the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Network analysis of actor maps.
    Network {
        #[command(subcommand)]
        command: NetworkCommand,
    },
    /// Opinion mapping.
    Opinion {
        #[command(subcommand)]
        command: OpinionCommand,
    },
    /// Rake survey weights to population margins: reads respondents (CSV, one column
    /// per variable) and margins (CSV variable,category,share), writes the respondents
    /// with a `weight` column (mean 1) and prints the convergence to stderr. Bad input
    /// exits with code 2, non-convergence with code 1; nothing is written then.
    Rake(RakeArgs),
}

#[derive(clap::Args, Debug)]
struct RakeArgs {
    /// The respondents.
    respondents: PathBuf,
    /// The population margins.
    #[arg(long, value_name = "FILE")]
    margins: PathBuf,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Largest absolute margin error accepted.
    #[arg(long, default_value_t = 1e-6)]
    tol: f64,
    /// Iteration cap.
    #[arg(long, default_value_t = 100)]
    max_iter: usize,
    /// Trim weights to LOWER,UPPER times the mean weight (for example 0.3,3), raking again.
    #[arg(long, value_name = "LOWER,UPPER")]
    trim: Option<String>,
    /// Start from the base (design) weights in this column of the respondents.
    #[arg(long, value_name = "COLUMN")]
    base_weight: Option<String>,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a staff account. The password is read from standard input with
    /// --password-stdin; otherwise a random one is generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        /// Name shown to others [default: the part of the e-mail before @].
        #[arg(long)]
        name: Option<String>,
        /// Make the account a site administrator.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand, Debug)]
enum KeyCommand {
    /// Add a new sealing key to the key file, make it the one that seals, and
    /// re-seal every sealed value under it, in small transactions, while the servers
    /// run (they read the key file again within a second). Run it again after an
    /// interruption: it resumes the rotation under way. Old keys stay in the key file,
    /// readable, until `convene key retire`.
    Rotate {
        /// Values re-sealed per transaction.
        #[arg(long, default_value_t = 200)]
        batch: usize,
        /// Pause between transactions, in milliseconds, to spare a busy server.
        #[arg(long, default_value_t = 0)]
        pause_ms: u64,
        /// Seconds to wait after writing the new key, for every server to read it
        /// (servers on other machines need the new key file copied to them first).
        #[arg(long, default_value_t = 3)]
        grace_seconds: u64,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print the sealing keys, how many values each holds, and the rotation under
    /// way or last finished.
    Status {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Remove from the key file the sealing keys no value uses any more (after a
    /// finished rotation). Keep a copy of the old key file for as long as backups
    /// made before the rotation are kept: they need it.
    Retire {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Recompute the audit chain; exit 1 and name the first bad entry if it was edited,
    /// or if entries were inserted or deleted.
    Verify {
        /// Also check that the log still holds, unchanged, the entry named by a
        /// checkpoint printed earlier by `convene audit checkpoint` (the text
        /// itself, or a file holding it).
        #[arg(long, value_name = "CHECKPOINT")]
        against: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print a keyed checkpoint of the log as it is now (its newest entry), to keep
    /// away from the server; `audit verify --against` checks the log against it.
    Checkpoint {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print the newest entries of a space's log with the account of whoever acted
    /// (for the server's operator: the space's audit page hides it in Chatham House
    /// spaces).
    Show {
        /// The space's address.
        #[arg(long)]
        space: String,
        /// How many entries, newest first.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand, Debug)]
enum NetworkCommand {
    /// Print centralities, communities, constraint, balance, bridges and articulation
    /// points of an edge list (CSV with header source,target and optional sign, weight,
    /// kind) as JSON.
    Metrics {
        /// The edge list.
        edges: PathBuf,
        /// Treat ties as directed.
        #[arg(long)]
        directed: bool,
    },
}

#[derive(Subcommand, Debug)]
enum OpinionCommand {
    /// Analyse a Polis export folder (comments.csv with votes.csv or
    /// participants-votes.csv) and print groups, representative statements and
    /// consensus as JSON.
    Analyze {
        folder: PathBuf,
        /// Seed for the clustering.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Import a Polis export folder (comments.csv with votes.csv or
    /// participants-votes.csv) as a new conversation of a space (audited). A malformed
    /// file is named with its line, and nothing is imported.
    Import {
        folder: PathBuf,
        /// The space's slug.
        #[arg(long)]
        space: String,
        /// E-mail of an organiser or owner of the space, recorded as the importer.
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: String,
        /// Topic of the new conversation.
        #[arg(long)]
        topic: String,
        /// Confidentiality: public, members or organisers.
        #[arg(long, default_value = "members")]
        level: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Domain(#[from] convene_domain::Error),
    #[error("{0}")]
    Message(String),
    /// Bad input to an analysis command (exit code 2).
    #[error("{0}")]
    Input(String),
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CONVENE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(CliError::Input(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn overrides(store: &StoreArgs, serve: Option<&ServeArgs>) -> Overrides {
    Overrides {
        data_dir: store.data_dir.clone(),
        database_url: store.database_url.clone(),
        key_file: store.key_file.clone(),
        bind: serve.and_then(|s| s.bind.clone()),
        secure_cookies: serve.and_then(|s| s.secure_cookies),
        trust_forwarded: serve.and_then(|s| s.trust_forwarded),
        public_url: serve.and_then(|s| s.public_url.clone()),
    }
}

async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let file = cli.config.as_deref();
    match cli.command {
        Command::Serve { store, serve } => {
            let cfg = Config::resolve(file, overrides(&store, Some(&serve)))?;
            let db = serve::open(&cfg, serve::NewKey::Allowed).await?;
            serve::run(db, &cfg).await?;
        }
        Command::Demo { bind, data_dir } => {
            let o = Overrides {
                bind,
                data_dir: Some(data_dir.unwrap_or_else(|| PathBuf::from("convene-demo"))),
                ..Overrides::default()
            };
            let cfg = Config::resolve(file, o)?;
            serve::reset_demo_dir(&cfg)?;
            let db = serve::open(&cfg, serve::NewKey::Allowed).await?;
            convene_domain::demo::seed(&db).await?;
            println!("Convene demo: http://{}/", cfg.bind);
            println!(
                "Every demo account's password: {}",
                convene_domain::demo::DEMO_PASSWORD
            );
            for (email, _, what) in convene_domain::demo::DEMO_USERS {
                println!("  {email:<34} {what}");
            }
            serve::run(db, &cfg).await?;
        }
        Command::Backup { out, store } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Never).await?;
            db.backup_to(&out).await?;
            println!("backup written to {}", out.display());
        }
        Command::Restore { from, store } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let report = serve::restore(&cfg, &from).await?;
            println!("{report}");
        }
        Command::Migrate { store } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let _db = serve::open(&cfg, serve::NewKey::Allowed).await?;
            println!("migrations applied");
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    admin,
                    password_stdin,
                    store,
                },
        } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Allowed).await?;
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| CliError::Message(format!("cannot read the password: {e}")))?;
                (line.trim_end_matches(['\n', '\r']).to_string(), false)
            } else {
                (convene_domain::util::random_token(15)?, true)
            };
            let name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or("user").to_string());
            match db.create_user(&email, &name, &password, admin).await {
                Ok(u) => {
                    println!(
                        "created user {} ({}){}",
                        u.id,
                        u.email,
                        if admin { ", administrator" } else { "" }
                    );
                    if generated {
                        println!("password: {password}");
                    }
                }
                Err(convene_domain::Error::Conflict(_)) => {
                    return Err(CliError::Message(format!(
                        "an account with the e-mail {email} exists already"
                    )))
                }
                Err(convene_domain::Error::Invalid(v)) => {
                    let fields: Vec<&str> = v.iter().map(|i| i.field).collect();
                    return Err(CliError::Message(format!(
                        "invalid {}: e-mail must be an address, password 10 to 200 characters",
                        fields.join(", ")
                    )));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Audit {
            command: AuditCommand::Verify { against, store },
        } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Never).await?;
            let verdict = match against {
                None => db.audit_verify().await?,
                Some(cp) => {
                    let text = match std::fs::read_to_string(&cp) {
                        Ok(t) => t,
                        Err(_) => cp,
                    };
                    db.audit_verify_against(&text).await?
                }
            };
            match verdict {
                convene_domain::audit::Verdict::Intact { entries, head } => {
                    println!("audit log intact: {entries} entries, head {head}");
                }
                convene_domain::audit::Verdict::Broken { seq, reason } => {
                    println!("audit log BROKEN at entry {seq}: {reason}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Key {
            command:
                KeyCommand::Rotate {
                    batch,
                    pause_ms,
                    grace_seconds,
                    store,
                },
        } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Never).await?;
            let opts = convene_domain::rotation::RotateOptions {
                batch: batch.max(1),
                pause: std::time::Duration::from_millis(pause_ms),
                grace: std::time::Duration::from_secs(grace_seconds),
                stop_after: None,
            };
            if let Some(r) = db.rotation().await? {
                if r.finished_at.is_none() {
                    println!(
                        "resuming the rotation to key {} ({} values re-sealed so far)",
                        r.target_key, r.resealed
                    );
                }
            }
            let report = db.rotate_sealing_key(&cfg.key_file, &opts).await?;
            println!(
                "every sealed value is under key {} ({} re-sealed by this run); older keys stay in {} until `convene key retire`",
                report.target_key,
                report.resealed,
                cfg.key_file.display()
            );
        }
        Command::Key {
            command: KeyCommand::Status { store },
        } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Never).await?;
            let active = db.keys().active_key();
            let counts = db.sealed_values_by_key().await?;
            for n in db.keys().key_numbers() {
                let mark = if n == active { " (seals)" } else { "" };
                println!(
                    "key {n}{mark}: {} values",
                    counts.get(&n).copied().unwrap_or(0)
                );
            }
            for (n, c) in &counts {
                if !db.keys().key_numbers().contains(n) {
                    println!("key {n} (NOT in the key file): {c} values");
                }
            }
            match db.rotation().await? {
                None => println!("no rotation yet"),
                Some(r) => match r.finished_at {
                    None => println!(
                        "rotation to key {} under way: {} values re-sealed; run `convene key rotate` to finish it",
                        r.target_key, r.resealed
                    ),
                    Some(_) => println!(
                        "last rotation: to key {}, {} values re-sealed, finished",
                        r.target_key, r.resealed
                    ),
                },
            }
        }
        Command::Key {
            command: KeyCommand::Retire { store },
        } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Never).await?;
            let gone = db.retire_sealing_keys(&cfg.key_file).await?;
            if gone.is_empty() {
                println!("no key to retire");
            } else {
                let list: Vec<String> = gone.iter().map(|n| n.to_string()).collect();
                println!(
                    "retired keys {} from {}",
                    list.join(", "),
                    cfg.key_file.display()
                );
            }
        }
        Command::Audit {
            command: AuditCommand::Checkpoint { store },
        } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Never).await?;
            println!("{}", db.audit_checkpoint().await?);
        }
        Command::Audit {
            command:
                AuditCommand::Show {
                    space,
                    limit,
                    store,
                },
        } => {
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Never).await?;
            let id = db
                .space_id_by_slug(&space)
                .await?
                .ok_or_else(|| CliError::Message(format!("no space at {space}")))?;
            for e in db.audit_for_space(id, limit.clamp(1, 100_000)).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    e.seq,
                    e.at,
                    e.user_email.unwrap_or_default(),
                    e.action,
                    e.target,
                    e.detail
                );
            }
        }
        Command::Network {
            command: NetworkCommand::Metrics { edges, directed },
        } => {
            let f = std::fs::File::open(&edges)
                .map_err(|e| CliError::Message(format!("cannot open {}: {e}", edges.display())))?;
            let v =
                convene_analysis::network::metrics_from_csv(std::io::BufReader::new(f), directed)
                    .map_err(|e| CliError::Message(format!("{}: {e}", edges.display())))?;
            println!(
                "{}",
                serde_json::to_string_pretty(&v).map_err(|e| CliError::Message(e.to_string()))?
            );
        }
        Command::Opinion {
            command: OpinionCommand::Analyze { folder, seed },
        } => {
            let v = convene_analysis::opinion::analyze_polis_folder(&folder, seed)
                .map_err(|e| CliError::Message(e.to_string()))?;
            println!(
                "{}",
                serde_json::to_string_pretty(&v).map_err(|e| CliError::Message(e.to_string()))?
            );
        }
        Command::Opinion {
            command:
                OpinionCommand::Import {
                    folder,
                    space,
                    as_user,
                    topic,
                    level,
                    store,
                },
        } => {
            use convene_domain::opinion::{polis, NewConversation};
            let read = |name: &str| -> Result<Option<Vec<u8>>, CliError> {
                let p = folder.join(name);
                if !p.is_file() {
                    return Ok(None);
                }
                std::fs::read(&p)
                    .map(Some)
                    .map_err(|e| CliError::Message(format!("cannot read {}: {e}", p.display())))
            };
            let comments = read("comments.csv")?.ok_or_else(|| {
                CliError::Message(format!("{} has no comments.csv", folder.display()))
            })?;
            let level = convene_domain::model::Level::parse(&level)
                .ok_or_else(|| CliError::Message(format!("unknown level {level}")))?;
            let data = polis::parse(
                &comments,
                read("votes.csv")?.as_deref(),
                read("participants-votes.csv")?.as_deref(),
            )
            .map_err(|e| {
                CliError::Message(format!(
                    "{}, line {}: {}; nothing was imported",
                    folder.join(e.file).display(),
                    e.line,
                    e.problem.describe()
                ))
            })?;
            let cfg = Config::resolve(file, overrides(&store, None))?;
            let db = serve::open(&cfg, serve::NewKey::Never).await?;
            let user = db
                .user_by_email(&as_user)
                .await?
                .ok_or_else(|| CliError::Message(format!("no account {as_user}")))?;
            let not_organiser =
                || CliError::Message(format!("{as_user} is not an organiser of {space}"));
            let scope = db.scope(Some(&user), &space).await.map_err(|e| match e {
                convene_domain::Error::NotFound => not_organiser(),
                other => other.into(),
            })?;
            let new = NewConversation {
                topic,
                description: String::new(),
                level,
                is_open: true,
                allow_statements: true,
            };
            let id = db
                .import_polis(&scope, &new, &data)
                .await
                .map_err(|e| match e {
                    convene_domain::Error::Forbidden | convene_domain::Error::NotFound => {
                        not_organiser()
                    }
                    other => other.into(),
                })?;
            println!(
                "imported conversation {id}: {} statements, {} votes",
                data.statements.len(),
                data.votes.len()
            );
        }
        Command::Rake(args) => return rake(&args),
    }
    Ok(ExitCode::SUCCESS)
}

fn rake(args: &RakeArgs) -> Result<ExitCode, CliError> {
    use convene_analysis::survey::{self, Input};
    let open = |p: &PathBuf| {
        std::fs::File::open(p)
            .map(std::io::BufReader::new)
            .map_err(|e| CliError::Input(format!("{}: cannot open: {e}", p.display())))
    };
    let name = |i: Input| match i {
        Input::Respondents => args.respondents.display().to_string(),
        Input::Margins => args.margins.display().to_string(),
        Input::Options => "options".to_string(),
    };
    let bad = |p: survey::InputProblem| CliError::Input(format!("{}: {p}", name(p.input)));
    let trim = match &args.trim {
        None => None,
        Some(t) => {
            let parts: Vec<Option<f64>> = t.split(',').map(|x| x.trim().parse().ok()).collect();
            match parts.as_slice() {
                [Some(lower), Some(upper)] => Some(survey::Trim {
                    lower: *lower,
                    upper: *upper,
                }),
                _ => {
                    return Err(CliError::Input(format!(
                        "--trim {t:?}: expected LOWER,UPPER, for example 0.3,3"
                    )))
                }
            }
        }
    };
    let opts = survey::RakeOptions {
        tolerance: args.tol,
        max_iterations: args.max_iter,
        trim,
    };
    let respondents = survey::read_respondents(open(&args.respondents)?).map_err(bad)?;
    let margins = survey::read_margins(open(&args.margins)?).map_err(bad)?;
    let base = match &args.base_weight {
        Some(column) => Some(survey::base_weights(&respondents, column).map_err(bad)?),
        None => None,
    };
    let raked = survey::rake_csv(&respondents, &margins, base.as_deref(), &opts).map_err(bad)?;
    eprintln!("initial: largest margin error {:.3e}", raked.initial_error);
    for (i, e) in raked.history.iter().enumerate() {
        eprintln!("iteration {}: largest margin error {e:.3e}", i + 1);
    }
    if !raked.converged {
        return Err(CliError::Message(format!(
            "raking did not converge to {} within {} iterations; nothing written",
            args.tol, args.max_iter
        )));
    }
    eprintln!(
        "converged after {} iterations ({} respondents)",
        raked.history.len(),
        raked.weights.len()
    );
    let write = |out: &mut dyn std::io::Write| {
        survey::write_weighted(&respondents.respondents, &raked.weights, out)
            .map_err(|e| CliError::Message(e.to_string()))
    };
    match &args.out {
        Some(path) => {
            let f = std::fs::File::create(path).map_err(|e| {
                CliError::Message(format!("{}: cannot create: {e}", path.display()))
            })?;
            write(&mut std::io::BufWriter::new(f))?;
        }
        None => write(&mut std::io::BufWriter::new(std::io::stdout().lock()))?,
    }
    Ok(ExitCode::SUCCESS)
}

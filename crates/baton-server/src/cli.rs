//! The `baton` command line.

use std::path::PathBuf;

use baton_core::user::Role;
use clap::{Args, Parser, Subcommand, ValueEnum};
use tokio::net::TcpListener;

use crate::app::App;
use crate::service::users::{
    NewAccount, create_account, create_first_admin, generate_password, reset_password,
};
use crate::settings::{DEFAULT_CONFIG, LogFormat, Overrides, Settings};

#[derive(Debug, Parser)]
#[command(name = "baton", version, about = "Hands AI chat conversations to humans and back.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Print a commented baton.toml with every setting and its default.
    DefaultConfig,
    /// Measure the trigger engine on labelled conversations and print a JSON report.
    Eval(EvalCommand),
}

#[derive(Debug, Args)]
pub struct EvalCommand {
    /// A policy in TOML (preset, triggers, topics); the default policy when absent.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Also list the misclassified cases.
    #[arg(long)]
    pub errors: bool,
    /// Print one JSON line per case (id, label, predicted, signals) instead of the report;
    /// with --calibrate, each case's held-out probability and what the gate allows (the
    /// classifier is still written to its FILE).
    #[arg(long)]
    pub predictions: bool,
    /// JSON Lines files of cases: {"id", "lang", "messages": [{"author", "text"}], "label"}.
    #[arg(value_name = "FILE.jsonl", required = true)]
    pub files: Vec<PathBuf>,
    /// Also match by meaning, with the OpenAI-compatible embeddings API at this base URL
    /// (e.g. http://127.0.0.1:8091/v1). The other embeddings options default as in
    /// `baton default-config`.
    #[arg(long, value_name = "URL")]
    pub embeddings_url: Option<String>,
    #[arg(long, value_name = "MODEL", requires = "embeddings_url")]
    pub embeddings_model: Option<String>,
    /// How the endpoint tells messages from examples: input_type, prefix or none.
    #[arg(long, value_name = "ROLES", requires = "embeddings_url", value_parser = parse_input_roles)]
    pub embeddings_input_roles: Option<baton_ai::embeddings::InputRoles>,
    /// Cosine similarity at which a message matches a topic.
    #[arg(long, value_name = "SIMILARITY", requires = "embeddings_url")]
    pub topic_threshold: Option<f32>,
    /// Cosine similarity at which a message matches a request for a human.
    #[arg(long, value_name = "SIMILARITY", requires = "embeddings_url")]
    pub explicit_threshold: Option<f32>,
    #[arg(long, env = "BATON_EMBEDDINGS_API_KEY", hide_env_values = true, requires = "embeddings_url")]
    pub embeddings_api_key: Option<String>,
    /// The request classifier to use: a file made with --calibrate, or `off`; by default the
    /// one shipped for the model.
    #[arg(long, value_name = "FILE", requires = "embeddings_url")]
    pub classifier: Option<String>,
    /// Train a request classifier on the cases instead of measuring, write it to FILE and
    /// print its held-out figures (each source of cases held out in turn).
    #[arg(long, value_name = "FILE", requires = "embeddings_url")]
    pub calibrate: Option<PathBuf>,
    /// Ask the judge at this OpenAI-compatible base URL about the cases the triggers are unsure
    /// of (the other judge options default as in `baton default-config`).
    #[arg(long, value_name = "URL", conflicts_with = "calibrate")]
    pub judge_url: Option<String>,
    #[arg(long, value_name = "MODEL", requires = "judge_url")]
    pub judge_model: Option<String>,
    /// How the answer's schema is asked for: json_schema or json_object.
    #[arg(long, value_name = "FORMAT", requires = "judge_url", value_parser = parse_response_format)]
    pub judge_format: Option<baton_ai::judge::ResponseFormat>,
    #[arg(long, value_name = "MS", requires = "judge_url")]
    pub judge_timeout_ms: Option<u64>,
    #[arg(long, value_name = "CONFIDENCE", requires = "judge_url")]
    pub judge_min_confidence: Option<f32>,
    #[arg(long, env = "BATON_JUDGE_API_KEY", hide_env_values = true, requires = "judge_url")]
    pub judge_api_key: Option<String>,
}

impl EvalCommand {
    /// The embeddings settings the flags describe, when `--embeddings-url` is given.
    fn embeddings(&self) -> Option<crate::settings::EmbeddingsSettings> {
        let url = self.embeddings_url.clone()?;
        let defaults = crate::settings::EmbeddingsSettings::default();
        Some(crate::settings::EmbeddingsSettings {
            url,
            model: self.embeddings_model.clone().unwrap_or(defaults.model),
            api_key: self.embeddings_api_key.clone().unwrap_or_default(),
            input_roles: self.embeddings_input_roles.unwrap_or(defaults.input_roles),
            topic_threshold: self.topic_threshold.unwrap_or(defaults.topic_threshold),
            explicit_threshold: self.explicit_threshold.unwrap_or(defaults.explicit_threshold),
            classifier: self.classifier.clone().unwrap_or_default(),
            timeout_ms: defaults.timeout_ms,
        })
    }
}

impl EvalCommand {
    /// The judge settings the flags describe, when `--judge-url` is given.
    fn judge(&self) -> Option<crate::settings::JudgeSettings> {
        let url = self.judge_url.clone()?;
        let defaults = crate::settings::JudgeSettings::default();
        Some(crate::settings::JudgeSettings {
            url,
            model: self.judge_model.clone().unwrap_or_default(),
            api_key: self.judge_api_key.clone().unwrap_or_default(),
            response_format: self.judge_format.unwrap_or(defaults.response_format),
            timeout_ms: self.judge_timeout_ms.unwrap_or(defaults.timeout_ms),
            min_confidence: self.judge_min_confidence.unwrap_or(defaults.min_confidence),
            ..defaults
        })
    }
}

fn parse_response_format(value: &str) -> Result<baton_ai::judge::ResponseFormat, String> {
    use baton_ai::judge::ResponseFormat;
    match value {
        "json_schema" => Ok(ResponseFormat::JsonSchema),
        "json_object" => Ok(ResponseFormat::JsonObject),
        other => Err(format!("{other:?} is not one of json_schema, json_object")),
    }
}

fn parse_input_roles(value: &str) -> Result<baton_ai::embeddings::InputRoles, String> {
    use baton_ai::embeddings::InputRoles;
    match value {
        "input_type" => Ok(InputRoles::InputType),
        "prefix" => Ok(InputRoles::Prefix),
        "none" => Ok(InputRoles::None),
        other => Err(format!("{other:?} is not one of input_type, prefix, none")),
    }
}

#[derive(Debug, Args)]
pub struct Common {
    /// Settings file (default: ./baton.toml if it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB [env: BATON_DATABASE_URL].
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: Common,
    /// Address to listen on [env: BATON_LISTEN] [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user who can log in to the inbox.
    Add(AddUserArgs),
    /// Set a user's password (a lost admin password, say); every session of theirs ends.
    Passwd(PasswdArgs),
}

#[derive(Debug, Args)]
pub struct PasswdArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long)]
    pub email: String,
    /// The new password (at least 8 characters); one is generated and printed when absent.
    #[arg(long)]
    pub password: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddUserArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long)]
    pub email: String,
    /// At least 8 characters.
    #[arg(long)]
    pub password: String,
    #[arg(long, value_enum, default_value = "agent")]
    pub role: RoleArg,
    #[arg(long)]
    pub team: Option<String>,
    /// The display name contacts see (default: from the email).
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Agent,
}

fn settings(common: &Common, listen: Option<String>) -> anyhow::Result<Settings> {
    Settings::load(common.config.as_deref(), Overrides { listen, database_url: common.database_url.clone() })
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::DefaultConfig => {
            print!("{DEFAULT_CONFIG}");
            Ok(())
        }
        Command::Eval(command) => {
            let args = crate::eval::EvalArgs {
                embeddings: command.embeddings(),
                judge: command.judge(),
                policy: command.policy,
                files: command.files,
                errors: command.errors,
                predictions: command.predictions,
                calibrate: command.calibrate,
            };
            crate::eval::run(args, &mut std::io::stdout()).await
        }
        Command::Serve(args) => {
            let settings = settings(&args.common, args.listen)?;
            init_logging(&settings.log, settings.log_format);
            serve(settings).await
        }
        Command::User(UserCommand::Add(args)) => {
            let settings = settings(&args.common, None)?;
            init_logging("warn", LogFormat::Text);
            let app = App::new(settings).await?;
            let role = match args.role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Agent => Role::Agent,
            };
            let account = NewAccount {
                email: &args.email,
                password: &args.password,
                role,
                team: args.team,
                name: args.name.as_deref(),
                routing: None,
                teams: Vec::new(),
            };
            let user =
                create_account(&app.state(), None, account).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("Created {} {} ({})", user.role.as_str(), user.email, user.id);
            Ok(())
        }
        Command::User(UserCommand::Passwd(args)) => {
            let settings = settings(&args.common, None)?;
            init_logging("warn", LogFormat::Text);
            let app = App::new(settings).await?;
            let state = app.state();
            let email = args.email.trim().to_lowercase();
            let Some((user, _)) = state.store.user_credentials(&email).await? else {
                anyhow::bail!("no user has the email {email}");
            };
            let generated = args.password.is_none();
            let password = args.password.unwrap_or_else(generate_password);
            reset_password(&state, None, user.id, &password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if generated {
                println!("New password for {}: {password}", user.email);
                println!("It is shown only once; every session of theirs has ended.");
            } else {
                println!("Password set for {}; every session of theirs has ended.", user.email);
            }
            Ok(())
        }
    }
}

/// Logs go to standard output, coloured only when it is a terminal: a file or a log
/// collector gets plain text, or one JSON object per line with `log_format = "json"` (each
/// with its span's fields: the conversation, the handoff, the consumer).
fn init_logging(filter: &str, format: LogFormat) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| filter.into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(std::io::stdout().is_terminal()).try_init(),
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
    };
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    tracing::info!(?settings, "starting");
    // Listen for the signals before anything is printed, so a Ctrl-C right after start
    // still shuts down gracefully.
    let stop = stop_signal()?;
    let listener = TcpListener::bind(&settings.listen).await?;
    let address = listener.local_addr()?;
    let app = App::new(settings).await?;
    let state = app.state();
    // Instances started together on an empty database: one creates the admin.
    let first = crate::cluster::while_setting_up(state.store.as_ref(), create_first_admin(&state))
        .await?
        .map_err(|e| anyhow::anyhow!("creating the first admin: {e}"))?;
    if let Some(first) = &first {
        println!();
        println!("  Baton's first start: an admin user was created. Log in to the inbox with");
        println!("    email:    {}", first.admin_email);
        println!("    password: {}", first.admin_password);
        println!("  This password is shown only once.");
        println!();
    }
    println!("  Baton is listening on http://{address}");
    println!("    demo page: http://{address}/demo");
    println!("    inbox:     http://{address}/inbox");
    println!("  Press Ctrl-C to stop.");
    app.serve(listener, async {
        stop.await;
        tracing::info!("shutting down");
    })
    .await
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

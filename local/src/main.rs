//! `cargo run -p switchboard-local` starts the local stack;
//! `cargo run -p switchboard-local -- token --operator carol` prints a token.

use clap::{Args, Parser, Subcommand};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use switchboard_app::{Clock, SystemClock};
use switchboard_domain::{Role, TenantId};
use switchboard_local::{bootstrap, seed, Options};

/// Switchboard on 127.0.0.1 with nothing but cargo: the Lambda handlers behind
/// a gateway with API Gateway's semantics, SQLite and in-process queues.
#[derive(Parser)]
#[command(name = "switchboard-local", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Clone)]
struct Common {
    /// Where the store, the signing key and channels.json live.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_DATA_DIR",
        default_value = ".data"
    )]
    data_dir: PathBuf,
    /// The gateway's port on 127.0.0.1.
    #[arg(long, global = true, env = "SWITCHBOARD_PORT", default_value_t = 8787)]
    port: u16,
}

/// `host:port` of an SMTP server, checked when the arguments are parsed.
fn smtp_address(raw: &str) -> Result<(String, u16), String> {
    let (host, port) = raw
        .rsplit_once(':')
        .ok_or_else(|| "expected host:port, e.g. 127.0.0.1:1025".to_string())?;
    let port = port
        .parse::<u16>()
        .map_err(|_| format!("{port:?} is not a port"))?;
    if host.is_empty() {
        return Err("the host is missing".into());
    }
    Ok((host.to_string(), port))
}

#[derive(Subcommand)]
enum Command {
    /// Run the local stack (the default).
    Serve {
        /// Mail offline forms to this SMTP server (host:port, plain SMTP
        /// as a local relay speaks it); without it they are written as
        /// `.eml` files into the data directory's `outbox`.
        #[arg(long, env = "SWITCHBOARD_SMTP", value_parser = smtp_address)]
        smtp: Option<(String, u16)>,
    },
    /// Print an operator token signed with the data directory's key.
    Token {
        #[arg(long)]
        operator: String,
        /// Display name; the operator id if not given.
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = seed::DEMO_TENANT)]
        tenant: String,
        /// Also a tenant admin.
        #[arg(long)]
        admin: bool,
        #[arg(long, default_value_t = seed::TOKEN_HOURS)]
        hours: u64,
    },
    /// Create a tenant (unless it exists) and its first admin, and print the
    /// link that sets the admin's password. Against the data directory, or
    /// with `--table` a deployed stack's DynamoDB table (credentials and
    /// region as the AWS CLI finds them).
    Bootstrap {
        #[arg(long)]
        tenant: String,
        /// The new tenant's display name.
        #[arg(long, default_value = "")]
        tenant_name: String,
        #[arg(long)]
        email: String,
        /// The admin's display name.
        #[arg(long)]
        name: String,
        /// The stack's table (output `TableName` of `sam deploy`).
        #[arg(long)]
        table: Option<String>,
        /// Where the console is (output `ConsoleUrl`); the local stack's by default.
        #[arg(long)]
        console_url: Option<String>,
    },
    /// Store the deployment's channel provider settings (the Meta app, the
    /// Apple MSP, endpoints: `docs/channels.md`) as a secret: in the data
    /// directory, or with `--stack` in a deployed stack's Secrets Manager.
    Providers {
        /// A JSON document with `meta`, `apple` and/or `endpoints`.
        #[arg(long)]
        file: PathBuf,
        /// The stack's name (its secrets are named `{stack}/…`).
        #[arg(long)]
        stack: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let Common { data_dir, port } = cli.common;
    let command = match cli.command {
        Some(command) => Ok(command),
        // No subcommand: serve, with the variable clap would have read.
        None => match std::env::var("SWITCHBOARD_SMTP") {
            Ok(raw) => smtp_address(&raw)
                .map(|smtp| Command::Serve { smtp: Some(smtp) })
                .map_err(|e| format!("SWITCHBOARD_SMTP: {e}")),
            Err(_) => Ok(Command::Serve { smtp: None }),
        },
    };
    let result = match command {
        Err(e) => Err(e),
        Ok(Command::Serve { smtp }) => serve(port, data_dir, smtp).await,
        Ok(Command::Token {
            operator,
            name,
            tenant,
            admin,
            hours,
        }) => token(&data_dir, &operator, name, &tenant, admin, hours),
        Ok(Command::Providers { file, stack }) => {
            bootstrap::providers(&data_dir, &file, stack).await
        }
        Ok(Command::Bootstrap {
            tenant,
            tenant_name,
            email,
            name,
            table,
            console_url,
        }) => {
            let console_url =
                console_url.unwrap_or_else(|| format!("http://127.0.0.1:{port}/console"));
            let req = bootstrap::Request {
                tenant: &tenant,
                tenant_name: &tenant_name,
                email: &email,
                name: &name,
                console_url: &console_url,
            };
            bootstrap::run(&data_dir, table, &req)
                .await
                .map(|done| bootstrap::print(&done, &req))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(port: u16, data_dir: PathBuf, smtp: Option<(String, u16)>) -> Result<(), String> {
    let mut options = Options::new(SocketAddr::from((Ipv4Addr::LOCALHOST, port)), data_dir);
    let mail = match &smtp {
        Some((host, port)) => format!("SMTP {host}:{port}"),
        None => format!("{}", options.data_dir.join("outbox").display()),
    };
    options.smtp = smtp;
    let dir = options.data_dir.clone();
    let running = switchboard_local::start(options)
        .await
        .map_err(|e| e.to_string())?;
    let ws = running.ws_url();
    let s = &running.seed;
    println!("Switchboard local stack is running.");
    println!("  console        {}/console/", running.http_url());
    println!(
        "  demo page      {}/demo/ (the chat widget)",
        running.http_url()
    );
    println!("  WebSocket      {ws}");
    println!(
        "  @connections   {}/@connections/{{connectionId}}",
        running.callback_url()
    );
    println!(
        "  webhooks       {}/webhooks/{{whatsapp,meta,apple/message,vk}} (accounts and secrets: {}/channels.json)",
        running.http_url(),
        dir.display()
    );
    println!("  offline mail   {mail}");
    println!(
        "  data           {}{}",
        dir.display(),
        if s.created {
            " (new: demo tenant created)"
        } else {
            ""
        }
    );
    println!();
    println!("Demo tenant '{}':", s.tenant);
    println!("  visitor        {ws}?widgetId={}", s.widget);
    println!("  alice (admin)  {ws}?token={}", s.admin_token);
    println!("  bob            {ws}?token={}", s.operator_token);
    println!(
        "  console sign-in: {} (admin) or {}, password {} (kept in {})",
        seed::DEMO_ACCOUNTS[0].2,
        seed::DEMO_ACCOUNTS[1].2,
        s.password,
        dir.join("demo-password").display()
    );
    println!();
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    running.stop().await;
    Ok(())
}

fn token(
    data_dir: &Path,
    operator: &str,
    name: Option<String>,
    tenant: &str,
    admin: bool,
    hours: u64,
) -> Result<(), String> {
    let name = name.unwrap_or_else(|| operator.to_string());
    let tenant = TenantId::parse(tenant).map_err(|e| format!("--tenant: {e}"))?;
    let roles: Vec<Role> = if admin {
        vec![Role::Operator, Role::Admin]
    } else {
        vec![Role::Operator]
    };
    let tokens = seed::signing_key(data_dir).map_err(|e| e.to_string())?;
    let token = seed::operator_token(
        &tokens,
        SystemClock.now(),
        seed::OperatorGrant {
            tenant: &tenant,
            operator,
            name: &name,
            roles: &roles,
            hours,
        },
    )
    .map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}

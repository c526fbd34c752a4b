//! `cargo run -p switchboard-local` starts the local stack;
//! `cargo run -p switchboard-local -- token --operator carol` prints a token.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use switchboard_app::{Clock, SystemClock};
use switchboard_domain::{Role, TenantId};
use switchboard_local::{seed, Options};

const USAGE: &str = "\
usage:
  switchboard-local [serve] [--port 8787] [--data-dir .data]
  switchboard-local token --operator ID [--name NAME] [--tenant demo] [--admin] [--hours 168] [--data-dir .data]

environment: SWITCHBOARD_PORT, SWITCHBOARD_DATA_DIR, RUST_LOG";

struct Args {
    command: String,
    flags: std::collections::HashMap<String, String>,
}

fn parse_args() -> Result<Args, String> {
    let mut raw = std::env::args().skip(1).peekable();
    let command = match raw.peek() {
        Some(c) if !c.starts_with("--") => raw.next().unwrap_or_default(),
        _ => "serve".to_string(),
    };
    let mut flags = std::collections::HashMap::new();
    while let Some(flag) = raw.next() {
        let name = flag
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument {flag:?}"))?
            .to_string();
        if name == "admin" {
            flags.insert(name, "true".into());
            continue;
        }
        let value = raw
            .next()
            .ok_or_else(|| format!("--{name} needs a value"))?;
        flags.insert(name, value);
    }
    Ok(Args { command, flags })
}

fn data_dir(args: &Args) -> PathBuf {
    args.flags
        .get("data-dir")
        .cloned()
        .or_else(|| std::env::var("SWITCHBOARD_DATA_DIR").ok())
        .unwrap_or_else(|| ".data".into())
        .into()
}

fn port(args: &Args) -> Result<u16, String> {
    let raw = args
        .flags
        .get("port")
        .cloned()
        .or_else(|| std::env::var("SWITCHBOARD_PORT").ok())
        .unwrap_or_else(|| "8787".into());
    raw.parse()
        .map_err(|_| format!("port {raw:?} is not a number"))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let result = match parse_args() {
        Ok(args) if args.command == "serve" => serve(&args).await,
        Ok(args) if args.command == "token" => token(&args).await,
        Ok(args) => Err(format!("unknown command {:?}", args.command)),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: &Args) -> Result<(), String> {
    let options = Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, port(args)?)),
        data_dir(args),
    );
    let dir = options.data_dir.clone();
    let running = switchboard_local::start(options)
        .await
        .map_err(|e| e.to_string())?;
    let ws = running.ws_url();
    let s = &running.seed;
    println!("Switchboard local stack is running.");
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
    println!();
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    running.stop().await;
    Ok(())
}

async fn token(args: &Args) -> Result<(), String> {
    let operator = args
        .flags
        .get("operator")
        .ok_or("token needs --operator ID")?;
    let name = args
        .flags
        .get("name")
        .cloned()
        .unwrap_or_else(|| operator.clone());
    let tenant = TenantId::parse(
        args.flags
            .get("tenant")
            .cloned()
            .unwrap_or_else(|| seed::DEMO_TENANT.into()),
    )
    .map_err(|e| format!("--tenant: {e}"))?;
    let hours: u64 = match args.flags.get("hours") {
        Some(h) => h
            .parse()
            .map_err(|_| format!("--hours {h:?} is not a number"))?,
        None => seed::TOKEN_HOURS,
    };
    let roles: Vec<Role> = if args.flags.contains_key("admin") {
        vec![Role::Operator, Role::Admin]
    } else {
        vec![Role::Operator]
    };
    let tokens = seed::signing_key(&data_dir(args)).map_err(|e| e.to_string())?;
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

//! `switchboard-local bootstrap`: the first tenant and admin, in the data
//! directory or in a deployed stack's table.

use std::path::Path;
use std::sync::Arc;
use switchboard_app::ports::Store;
use switchboard_app::usecases::admin::{Bootstrap, Bootstrapped};
use switchboard_app::SystemClock;
use switchboard_aws::dynamo::DynamoStore;
use switchboard_embedded::SqliteStore;

pub struct Request<'a> {
    pub tenant: &'a str,
    pub tenant_name: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub console_url: &'a str,
}

/// Creates the tenant and its first admin; what was made, with the link
/// that sets the admin's password.
pub async fn run(
    data_dir: &Path,
    table: Option<String>,
    req: &Request<'_>,
) -> Result<Bootstrapped, String> {
    let store: Arc<dyn Store> = match table {
        Some(table) => {
            let sdk = switchboard_aws::sdk_config().await;
            Arc::new(DynamoStore::new(aws_sdk_dynamodb::Client::new(&sdk), table))
        }
        None => {
            std::fs::create_dir_all(data_dir).map_err(|e| e.to_string())?;
            // The running stack holds the database exclusively.
            Arc::new(SqliteStore::open(data_dir).map_err(|e| {
                format!(
                    "cannot open the store in {} ({e}); if the local stack is running on it, stop it first",
                    data_dir.display()
                )
            })?)
        }
    };
    Bootstrap::over(store, Arc::new(SystemClock))
        .run(
            req.tenant,
            req.tenant_name,
            req.email,
            req.name,
            req.console_url,
        )
        .await
        .map_err(|e| match e.field() {
            Some(_) => e.to_string(),
            None => switchboard_app::error::chain(&e),
        })
}

/// What `run` made, as the command prints it.
pub fn print(done: &Bootstrapped, req: &Request<'_>) {
    if done.tenant_created {
        println!("Created tenant {} ({}).", done.tenant.id, done.tenant.name);
    } else {
        println!("Tenant {} exists.", done.tenant.id);
    }
    println!(
        "Created admin {} <{}> (id {}).",
        done.admin.name, done.admin.email, done.admin.id
    );
    println!("Set the password within 7 days, once, at:\n  {}", done.link);
    println!(
        "Or without the console:\n  curl -X POST {}/admin/invitations/accept -H 'content-type: application/json' \\\n    -d '{{\"token\": \"{}\", \"password\": \"…\"}}'",
        req.console_url.trim_end_matches('/').trim_end_matches("/console"),
        done.link.rsplit("token=").next().unwrap_or_default()
    );
}

/// `switchboard-local providers`: the provider settings, checked, into the
/// secret the channel functions read (`channels/providers`).
pub async fn providers(data_dir: &Path, file: &Path, stack: Option<String>) -> Result<(), String> {
    use switchboard_app::channels::{ChannelsConfig, Secret, PROVIDERS_SECRET};
    use switchboard_app::ports::SecretWriter;
    let doc = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    ChannelsConfig::parse(&doc).map_err(|e| e.to_string())?;
    let secrets: Box<dyn SecretWriter> = match &stack {
        Some(stack) => {
            let sdk = switchboard_aws::sdk_config().await;
            Box::new(switchboard_aws::secrets::SecretsManager::new(
                aws_sdk_secretsmanager::Client::new(&sdk),
                stack.clone(),
            ))
        }
        None => Box::new(switchboard_embedded::FileSecrets::new(
            data_dir.join("secrets"),
        )),
    };
    secrets
        .put_secret(PROVIDERS_SECRET, &Secret::new(doc))
        .await
        .map_err(|e| switchboard_app::error::chain(&e))?;
    match stack {
        Some(stack) => println!(
            "Stored {stack}/{PROVIDERS_SECRET}; the functions read it within five minutes."
        ),
        None => println!(
            "Stored in {}; the local stack reads it within five minutes.",
            data_dir.join("secrets").display()
        ),
    }
    Ok(())
}

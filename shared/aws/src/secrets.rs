//! Secrets in AWS Secrets Manager, each named `{prefix}/{name}` (the prefix
//! is the stack's name, and the functions' policies allow `{prefix}/*` only).

use async_trait::async_trait;
use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use switchboard_app::channels::Secret;
use switchboard_app::ports::{SecretWriter, Secrets, SecretsError};

#[derive(Clone, Debug)]
pub struct SecretsManager {
    client: aws_sdk_secretsmanager::Client,
    prefix: String,
}

impl SecretsManager {
    pub fn new(client: aws_sdk_secretsmanager::Client, prefix: impl Into<String>) -> Self {
        SecretsManager {
            client,
            prefix: prefix.into(),
        }
    }

    fn id(&self, name: &str) -> String {
        format!("{}/{name}", self.prefix)
    }
}

fn not_found<E: ProvideErrorMetadata>(e: &E) -> bool {
    e.code() == Some("ResourceNotFoundException")
}

#[async_trait]
impl Secrets for SecretsManager {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn secret(&self, name: &str) -> Result<Option<Secret>, SecretsError> {
        match self
            .client
            .get_secret_value()
            .secret_id(self.id(name))
            .send()
            .await
        {
            Ok(out) => Ok(out.secret_string.map(Secret::new)),
            Err(e) if e.as_service_error().is_some_and(not_found) => Ok(None),
            Err(e) => Err(SecretsError::backend("GetSecretValue", e)),
        }
    }
}

#[async_trait]
impl SecretWriter for SecretsManager {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn put_secret(&self, name: &str, value: &Secret) -> Result<(), SecretsError> {
        let put = self
            .client
            .put_secret_value()
            .secret_id(self.id(name))
            .secret_string(value.expose())
            .send()
            .await;
        match put {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(not_found) => {
                self.client
                    .create_secret()
                    .name(self.id(name))
                    .secret_string(value.expose())
                    .send()
                    .await
                    .map_err(|e| SecretsError::backend("CreateSecret", e))?;
                Ok(())
            }
            Err(e) => Err(SecretsError::backend("PutSecretValue", e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn delete_secret(&self, name: &str) -> Result<(), SecretsError> {
        // At once, not after a recovery window: the account may be bound
        // again under the same name.
        match self
            .client
            .delete_secret()
            .secret_id(self.id(name))
            .force_delete_without_recovery(true)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(not_found) => Ok(()),
            Err(e) => Err(SecretsError::backend("DeleteSecret", e)),
        }
    }
}

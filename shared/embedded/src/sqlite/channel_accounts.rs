//! Channel accounts bound by admins.

use super::{backend, bodies, to_json, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::params;
use switchboard_app::ports::{
    ChannelAccount, ChannelAccountError, ChannelAccountStore, ChannelAccountWriter, StoreResult,
};
use switchboard_domain::{Channel, TenantId};

#[async_trait]
impl ChannelAccountWriter for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %account.tenant))]
    async fn put_channel_account(
        &self,
        account: &ChannelAccount,
    ) -> Result<(), ChannelAccountError> {
        let (c, a, t, body) = (
            account.channel.as_str(),
            account.account_id.clone(),
            account.tenant.to_string(),
            to_json(account)?,
        );
        self.tx(move |tx| {
            let written = tx
                .execute_cached(
                    "INSERT INTO channel_accounts (channel, account_id, tenant, body) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (channel, account_id) DO UPDATE SET body = excluded.body
                     WHERE tenant = excluded.tenant",
                    params![c, a, t, body],
                )
                .map_err(backend)?;
            if written == 0 {
                return Err(ChannelAccountError::Taken);
            }
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn delete_channel_account(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account_id: &str,
    ) -> StoreResult<Option<ChannelAccount>> {
        let (c, a, t) = (channel.as_str(), account_id.to_string(), tenant.to_string());
        self.tx(move |tx| {
            super::body(
                tx,
                "DELETE FROM channel_accounts WHERE channel = ?1 AND account_id = ?2 AND tenant = ?3
                 RETURNING body",
                params![c, a, t],
            )
        })
        .await
    }
}

#[async_trait]
impl ChannelAccountStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn channel_accounts(&self) -> StoreResult<Vec<ChannelAccount>> {
        self.tx(|tx| {
            bodies(
                tx,
                "SELECT body FROM channel_accounts ORDER BY channel, account_id",
                [],
            )
        })
        .await
    }
}

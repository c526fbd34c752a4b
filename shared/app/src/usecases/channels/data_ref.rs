//! Apple's large interactive replies (`interactiveDataRef`), resolved as
//! they arrive: the referenced blob expires quickly, so the consumer fetches,
//! decrypts and decodes it before storing the reply (reference §6.6). A
//! transport failure fails the record, and SQS delivers it again while the
//! reference may still be good; a reference the gateway refuses is stored
//! as the pending reply it was, and logged.

use super::ingest::Ingest;
use crate::channels::{apple, apple_idr, ChannelsSource};
use crate::error::ActionError;
use crate::ports::{HttpTransport, StoreError};
use serde_json::json;
use std::sync::Arc;
use switchboard_domain::{InboundMessage, ReplyKind};

/// The MSP credentials and HTTP the resolution uses.
#[derive(Clone)]
pub struct DataRefs {
    pub channels: Arc<ChannelsSource>,
    pub http: Arc<dyn HttpTransport>,
}

impl Ingest {
    /// `m` with its reference replaced by the reply it stands for; None when
    /// `m` has no reference, or it could not be resolved for good.
    pub(super) async fn resolve_data_ref(
        &self,
        m: &InboundMessage,
    ) -> Result<Option<InboundMessage>, ActionError> {
        let Some(reply) = m
            .reply
            .as_ref()
            .filter(|r| r.kind == ReplyKind::PendingInteractiveDataRef)
        else {
            return Ok(None);
        };
        let Some(refs) = &self.data_refs else {
            return Ok(None);
        };
        let Some(reference) = reply
            .data
            .as_ref()
            .and_then(apple_idr::DataRef::from_reply_data)
        else {
            tracing::warn!("interactiveDataRef without url, owner, key or signature");
            return Ok(None);
        };
        let now = self.now();
        let channels = refs.channels.current().await.map_err(|e| {
            ActionError::from(StoreError::backend("reading the channel settings", e))
        })?;
        let transport = |e: crate::ports::TransportError| -> ActionError {
            StoreError::backend("fetching an interactiveDataRef", e).into()
        };
        let gave_up = |step: &str, e: &dyn std::fmt::Display| {
            tracing::warn!(step, error = %e, "interactiveDataRef not resolved; kept pending");
            Ok(None)
        };
        let call = match apple_idr::pre_download_call(&channels, &m.account_id, &reference, now) {
            Ok(c) => c,
            Err(e) => return gave_up("preDownload", &e),
        };
        let answer = refs.http.execute(call).await.map_err(transport)?;
        let url = match apple_idr::download_url(&answer) {
            Ok(u) => u,
            Err(e) => return gave_up("preDownload", &e),
        };
        let blob = refs
            .http
            .execute(apple_idr::download_call(&url))
            .await
            .map_err(transport)?;
        if blob.status != 200 {
            return gave_up("download", &format!("status {}", blob.status));
        }
        let plain = match apple_idr::decrypt(&reference.key, &blob.body) {
            Ok(p) => p,
            Err(e) => return gave_up("decrypt", &e),
        };
        let call = match apple_idr::decode_call(&channels, &m.account_id, &reference, plain, now) {
            Ok(c) => c,
            Err(e) => return gave_up("decodePayload", &e),
        };
        let decoded = refs.http.execute(call).await.map_err(transport)?;
        let data = match apple_idr::interactive_data(&decoded) {
            Ok(d) => d,
            Err(e) => return gave_up("decodePayload", &e),
        };
        let mut resolved = m.clone();
        let reply = apple::interactive(&json!({"interactiveData": data}));
        resolved.text = reply.title.clone().or(resolved.text);
        resolved.reply = Some(reply);
        tracing::info!("interactiveDataRef resolved");
        Ok(Some(resolved))
    }
}

//! Messages: `MSG#seq` items in one gapless order, claimed by moving the
//! conversation's `lastSeq` in the same transaction, with a `CMSG#` marker per
//! client message id so a resend is stored once.

use super::item::{get_n, n, s};
use super::keys::{self, conversation_pk};
use super::message_record::{message_from, message_item};
use super::{backend, backoff, tx_put, tx_update, DynamoStore, TxOutcome};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, Update};
use switchboard_app::ports::{
    Appended, ConversationError, MessagePage, MessageStore, StoreError, StoreResult,
};
use switchboard_domain::{
    ClientMessageId, Conversation, ConversationId, ConversationStatus, Message, NewMessage,
    TenantId, TransitionError,
};

/// What this port's adapter asks of DynamoDB (history is a query on the conversation's own partition). The functions' IAM
/// policies are the union of these over the ports they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:Query",
];
/// Whether it queries a GSI (the policy then names `${Table.Arn}/index/*`).
pub const USES_INDEX: bool = false;

/// Client message ids are remembered this long. A browser resends within
/// minutes, but channel messages take their client id from the provider's id,
/// and Meta retries a webhook for up to 7 days.
const CLIENT_ID_TTL_SECONDS: u64 = 8 * 24 * 3600;
/// Appends to one conversation race only among its few participants, but a burst
/// (a client flushing its outbox) must still get through, so they retry longer.
const APPEND_ATTEMPTS: u32 = 40;

impl DynamoStore {
    pub(crate) async fn message_at(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
    ) -> StoreResult<Option<Message>> {
        let item = self
            .get(Self::key(
                conversation_pk(tenant, id),
                keys::message_sk(seq),
            ))
            .await?;
        item.as_ref().map(message_from).transpose()
    }

    /// A message found through a marker item (`CMSG#`, `XMSG#`) naming its seq.
    pub(crate) async fn message_by_marker(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        marker_sk: String,
    ) -> StoreResult<Option<Message>> {
        let Some(marker) = self
            .get(Self::key(conversation_pk(tenant, id), marker_sk))
            .await?
        else {
            return Ok(None);
        };
        self.message_at(tenant, id, get_n(&marker, "seq")?).await
    }
}

#[async_trait]
impl MessageStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %conversation.tenant, conversation = %conversation.id))]
    async fn append_message(
        &self,
        conversation: &Conversation,
        message: NewMessage,
    ) -> Result<Appended, ConversationError> {
        let (tenant, id) = (&conversation.tenant, &conversation.id);
        let pk = conversation_pk(tenant, id);
        let now_seconds = message.at.seconds();
        // The marker is only read once something says this may be a resend (a
        // failed condition, or a closed conversation), and the conversation
        // only once the caller's copy proved stale: a new message, the common
        // case, costs the transaction alone.
        let mut may_be_resend = false;
        let mut given = Some(conversation.clone());
        for attempt in 0..APPEND_ATTEMPTS {
            if may_be_resend {
                if let Some(original) = self
                    .message_by_client_id(tenant, id, &message.client_id)
                    .await?
                {
                    return Ok(Appended {
                        message: original,
                        duplicate: true,
                    });
                }
            }
            let seen = match given.take() {
                Some(c) => c,
                None => self
                    .load_conversation(tenant, id)
                    .await?
                    .ok_or(ConversationError::NotFound)?,
            };
            if seen.status == ConversationStatus::Closed {
                if !may_be_resend {
                    may_be_resend = true;
                    continue;
                }
                return Err(TransitionError::AlreadyClosed.into());
            }
            let seq = seen.last_seq + 1;
            let stored = Message::from_new(id.clone(), seq, message.clone());

            // The sequence number is claimed by moving lastSeq from what we
            // read; the lists' order and the progress move with it.
            let mut after = seen.clone();
            after.wrote(
                stored.created_at,
                matches!(stored.author, switchboard_domain::Author::Visitor(_)),
            );
            // An operator's first message of the session is its first
            // response; the session is pinned by the count of sessions.
            let session = seen.sessions.last();
            let first_response = matches!(stored.author, switchboard_domain::Author::Operator(_))
                && session.is_some_and(|s| s.first_response_at.is_none());
            let mut claim_seq = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(&pk, keys::META_SK)));
            claim_seq = match (first_response, session) {
                (true, Some(session)) => claim_seq
                    .update_expression(
                        "SET lastSeq = :seq, lastActivity = :activity, GSI3SK = :g3sk, \
                         progress = :progress, #fr = if_not_exists(#fr, :fr)",
                    )
                    .condition_expression(
                        "lastSeq = :prev AND #status <> :closed \
                         AND (attribute_not_exists(sessions) OR size(sessions) = :sessions)",
                    )
                    .expression_attribute_names(
                        "#fr",
                        super::codec::first_response_attr(session.number),
                    )
                    .expression_attribute_values(":fr", n(stored.created_at.millis()))
                    .expression_attribute_values(":sessions", n(seen.sessions.len() as u64)),
                _ => claim_seq
                    .update_expression(
                        "SET lastSeq = :seq, lastActivity = :activity, GSI3SK = :g3sk, \
                         progress = :progress",
                    )
                    .condition_expression("lastSeq = :prev AND #status <> :closed"),
            };
            let claim_seq = claim_seq
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":seq", n(seq))
                .expression_attribute_values(":prev", n(seen.last_seq))
                .expression_attribute_values(":closed", s("closed"))
                .expression_attribute_values(":activity", n(after.last_activity_at.millis()))
                .expression_attribute_values(
                    ":g3sk",
                    s(keys::list_gsi_sk(after.last_activity_at, id)),
                )
                .expression_attribute_values(":progress", s(after.progress.as_str()));
            let mut body = message_item(&stored)?;
            body.extend(Self::key(&pk, keys::message_sk(seq)));
            let mut marker = Self::key(&pk, keys::client_message_sk(&stored.client_id));
            marker.insert("seq".into(), n(seq));
            marker.insert(keys::TTL.into(), n(now_seconds + CLIENT_ID_TTL_SECONDS));
            let items = vec![
                tx_update(claim_seq)?,
                tx_put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(body))
                        .condition_expression("attribute_not_exists(PK)"),
                )?,
                tx_put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(marker))
                        .condition_expression("attribute_not_exists(PK) OR #ttl < :now")
                        .expression_attribute_names("#ttl", keys::TTL)
                        .expression_attribute_values(":now", n(now_seconds)),
                )?,
            ];
            match self.transact(items).await? {
                TxOutcome::Committed => {
                    return Ok(Appended {
                        message: stored,
                        duplicate: false,
                    })
                }
                // Either another message took this seq, the conversation closed, or the
                // same client id was stored already; the next round's reads tell which.
                TxOutcome::ConditionFailed(_) => {
                    may_be_resend = true;
                    backoff(attempt).await;
                }
                TxOutcome::Conflict => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(APPEND_ATTEMPTS).into())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn messages(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<MessagePage> {
        let upper = match before {
            Some(0) | Some(1) => {
                return Ok(MessagePage {
                    messages: vec![],
                    has_more: false,
                })
            }
            Some(b) => keys::message_sk(b - 1),
            None => keys::message_sk(999_999_999_999),
        };
        let page = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND SK BETWEEN :lo AND :hi")
            .expression_attribute_values(":pk", s(conversation_pk(tenant, id)))
            .expression_attribute_values(":lo", s(keys::message_sk(0)))
            .expression_attribute_values(":hi", s(upper))
            .scan_index_forward(false)
            .limit(limit as i32 + 1)
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        let mut messages = page
            .items()
            .iter()
            .map(message_from)
            .collect::<StoreResult<Vec<_>>>()?;
        let has_more = messages.len() > limit;
        messages.truncate(limit);
        messages.reverse();
        Ok(MessagePage { messages, has_more })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn message_by_client_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        client_id: &ClientMessageId,
    ) -> StoreResult<Option<Message>> {
        self.message_by_marker(tenant, id, keys::client_message_sk(client_id))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, seq))]
    async fn message(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
    ) -> StoreResult<Option<Message>> {
        self.message_at(tenant, id, seq).await
    }
}

use super::directory::operator_from;
use super::item::{get_n, get_s, json, n, opt_n, opt_s, parse, s, to_json, Item};
use super::keys::{self, conversation_pk};
use super::{backend, backoff, build_err, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, Put, Select, TransactWriteItem, Update};
use switchboard_app::ports::{
    Appended, Closed, ConversationError, ConversationStore, MessagePage, StartOutcome, StoreError,
    StoreResult,
};
use switchboard_domain::{
    Capacity, Channel, ClientMessageId, Conversation, ConversationId, ConversationStatus, Delivery,
    EntryType, Message, NewMessage, OperatorId, TenantId, Timestamp, TransitionError, VisitorId,
};

/// Client message ids are remembered this long. A browser resends within
/// minutes, but channel messages take their client id from the provider's id,
/// and Meta retries a webhook for up to 7 days.
const CLIENT_ID_TTL_SECONDS: u64 = 8 * 24 * 3600;
/// Appends to one conversation race only among its few participants, but a burst
/// (a client flushing its outbox) must still get through, so they retry longer.
const APPEND_ATTEMPTS: u32 = 40;

fn channel_str(c: Channel) -> Result<String, StoreError> {
    Ok(to_json(&c)?.trim_matches('"').to_string())
}

fn conversation_item(c: &Conversation) -> StoreResult<Item> {
    let mut item = DynamoStore::key(conversation_pk(&c.tenant, &c.id), keys::META_SK);
    item.insert("tenant".into(), s(c.tenant.as_str()));
    item.insert("conversation".into(), s(c.id.as_str()));
    item.insert("visitor".into(), s(c.visitor.as_str()));
    item.insert("channel".into(), s(channel_str(c.channel)?));
    item.insert("entry".into(), s(to_json(&c.entry)?));
    item.insert("status".into(), s(c.status.as_str()));
    item.insert("createdAt".into(), n(c.created_at.millis()));
    item.insert("enqueuedAt".into(), n(c.enqueued_at.millis()));
    item.insert("lastSeq".into(), n(c.last_seq));
    if let Some(op) = &c.operator {
        item.insert("operator".into(), s(op.as_str()));
    }
    if let Some(at) = c.accepted_at {
        item.insert("acceptedAt".into(), n(at.millis()));
    }
    if let Some(at) = c.closed_at {
        item.insert("closedAt".into(), n(at.millis()));
    }
    if c.status == ConversationStatus::Waiting {
        item.insert(keys::GSI1PK.into(), s(keys::waiting_gsi_pk(&c.tenant)));
        item.insert(
            keys::GSI1SK.into(),
            s(keys::waiting_gsi_sk(c.enqueued_at, &c.id)),
        );
    }
    Ok(item)
}

fn conversation_from(item: &Item) -> StoreResult<Conversation> {
    let status = get_s(item, "status")?;
    Ok(Conversation {
        id: parse(get_s(item, "conversation")?, ConversationId::parse)?,
        tenant: parse(get_s(item, "tenant")?, TenantId::parse)?,
        visitor: parse(get_s(item, "visitor")?, VisitorId::parse)?,
        channel: json(&format!("\"{}\"", get_s(item, "channel")?))?,
        entry: json(get_s(item, "entry")?)?,
        status: ConversationStatus::parse(status)
            .ok_or_else(|| StoreError::Corrupt(format!("conversation status {status:?}")))?,
        operator: opt_s(item, "operator")
            .map(|o| parse(o, OperatorId::parse))
            .transpose()?,
        created_at: Timestamp(get_n(item, "createdAt")?),
        enqueued_at: Timestamp(get_n(item, "enqueuedAt")?),
        accepted_at: opt_n(item, "acceptedAt")?.map(Timestamp),
        closed_at: opt_n(item, "closedAt")?.map(Timestamp),
        last_seq: get_n(item, "lastSeq")?,
    })
}

fn update(u: aws_sdk_dynamodb::types::builders::UpdateBuilder) -> StoreResult<TransactWriteItem> {
    Ok(TransactWriteItem::builder()
        .update(u.build().map_err(build_err)?)
        .build())
}

fn put(p: aws_sdk_dynamodb::types::builders::PutBuilder) -> StoreResult<TransactWriteItem> {
    Ok(TransactWriteItem::builder()
        .put(p.build().map_err(build_err)?)
        .build())
}

impl DynamoStore {
    async fn load_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Option<Conversation>> {
        self.get(Self::key(conversation_pk(tenant, id), keys::META_SK))
            .await?
            .map(|i| conversation_from(&i))
            .transpose()
    }

    async fn message_at(
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
        item.map(|i| get_s(&i, "body").and_then(json)).transpose()
    }

    /// A message found through a marker item (`CMSG#`, `XMSG#`) naming its seq.
    async fn message_by_marker(
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

    /// Update of a conversation's META guarded by the state it was read in.
    fn conversation_update(
        &self,
        c: &Conversation,
    ) -> aws_sdk_dynamodb::types::builders::UpdateBuilder {
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                conversation_pk(&c.tenant, &c.id),
                keys::META_SK,
            )))
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":seen_status", s(c.status.as_str()))
            .expression_attribute_values(":seen_enqueued", n(c.enqueued_at.millis()))
    }

    /// Moves a closed conversation back to the queue, guarded by its closed state.
    async fn reopen_with(
        &self,
        seen: &Conversation,
        entry_json: Option<String>,
        now: Timestamp,
    ) -> Result<Option<Conversation>, ConversationError> {
        let mut reopened = seen.clone();
        reopened.reopen(now)?;
        let entry_json = match entry_json {
            Some(e) => e,
            None => to_json(&reopened.entry)?,
        };
        let u = self
            .conversation_update(seen)
            .update_expression(
                "SET #status = :waiting, enqueuedAt = :now, entry = :entry, GSI1PK = :g1pk, GSI1SK = :g1sk \
                 REMOVE #op, acceptedAt, closedAt",
            )
            .condition_expression("#status = :seen_status AND enqueuedAt = :seen_enqueued")
            .expression_attribute_names("#op", "operator")
            .expression_attribute_values(":waiting", s("waiting"))
            .expression_attribute_values(":now", n(now.millis()))
            .expression_attribute_values(":entry", s(&entry_json))
            .expression_attribute_values(":g1pk", s(keys::waiting_gsi_pk(&seen.tenant)))
            .expression_attribute_values(":g1sk", s(keys::waiting_gsi_sk(now, &seen.id)));
        match self.transact(vec![update(u)?]).await? {
            TxOutcome::Committed => {
                reopened.entry = json(&entry_json)?;
                Ok(Some(reopened))
            }
            _ => Ok(None),
        }
    }
}

#[async_trait]
impl ConversationStore for DynamoStore {
    async fn start_conversation(&self, candidate: Conversation) -> StoreResult<StartOutcome> {
        let tenant = candidate.tenant.clone();
        let visitor_key = Self::key(
            keys::visitor_pk(&tenant, &candidate.visitor),
            keys::CURRENT_SK,
        );
        for attempt in 0..MAX_ATTEMPTS {
            if let Some(current) = self.get(visitor_key.clone()).await? {
                let id = parse(get_s(&current, "conversation")?, ConversationId::parse)?;
                let existing = self.load_conversation(&tenant, &id).await?.ok_or_else(|| {
                    StoreError::Corrupt(format!("visitor points at missing {id}"))
                })?;
                if existing.status != ConversationStatus::Closed {
                    return Ok(StartOutcome::Existing(existing));
                }
                let entry = Some(to_json(&candidate.entry)?);
                match self
                    .reopen_with(&existing, entry, candidate.created_at)
                    .await
                {
                    Ok(Some(c)) => return Ok(StartOutcome::Reopened(c)),
                    Ok(None) | Err(ConversationError::Transition(_)) => {
                        backoff(attempt).await;
                        continue;
                    }
                    Err(ConversationError::Store(e)) => return Err(e),
                    Err(e) => return Err(StoreError::Backend(e.to_string())),
                }
            }
            let mut pointer = visitor_key.clone();
            pointer.insert("conversation".into(), s(candidate.id.as_str()));
            let items = vec![
                put(Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(conversation_item(&candidate)?))
                    .condition_expression("attribute_not_exists(PK)"))?,
                put(Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(pointer))
                    .condition_expression("attribute_not_exists(PK)"))?,
            ];
            match self.transact(items).await? {
                TxOutcome::Committed => return Ok(StartOutcome::Created(candidate)),
                // Another tab of the same visitor won: loop round and resume theirs.
                TxOutcome::ConditionFailed(_) | TxOutcome::Conflict => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }

    async fn conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Option<Conversation>> {
        self.load_conversation(tenant, id).await
    }

    async fn visitor_conversation(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Option<Conversation>> {
        let Some(current) = self
            .get(Self::key(
                keys::visitor_pk(tenant, visitor),
                keys::CURRENT_SK,
            ))
            .await?
        else {
            return Ok(None);
        };
        let id = parse(get_s(&current, "conversation")?, ConversationId::parse)?;
        self.load_conversation(tenant, &id).await
    }

    async fn waiting(&self, tenant: &TenantId, limit: usize) -> StoreResult<Vec<Conversation>> {
        let items = self
            .query_index(
                keys::GSI1,
                keys::GSI1PK,
                keys::waiting_gsi_pk(tenant),
                Some(limit),
            )
            .await?;
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let c = conversation_from(item)?;
            // The index is eventually consistent; the item's own status is checked too.
            if c.status == ConversationStatus::Waiting {
                out.push(c);
            }
        }
        Ok(out)
    }

    async fn queue_position(&self, conversation: &Conversation) -> StoreResult<Option<usize>> {
        let Some(current) = self
            .load_conversation(&conversation.tenant, &conversation.id)
            .await?
        else {
            return Ok(None);
        };
        if current.status != ConversationStatus::Waiting {
            return Ok(None);
        }
        let mut ahead = 0usize;
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI1)
                .key_condition_expression("GSI1PK = :pk AND GSI1SK < :mine")
                .expression_attribute_values(":pk", s(keys::waiting_gsi_pk(&current.tenant)))
                .expression_attribute_values(
                    ":mine",
                    s(keys::waiting_gsi_sk(current.enqueued_at, &current.id)),
                )
                .select(Select::Count)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(backend)?;
            ahead += page.count as usize;
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        Ok(Some(ahead + 1))
    }

    async fn operator_conversations(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<Vec<Conversation>> {
        let items = self
            .query_index(
                keys::GSI2,
                keys::GSI2PK,
                keys::operator_convs_gsi_pk(tenant, operator),
                None,
            )
            .await?;
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let c = conversation_from(item)?;
            if c.status == ConversationStatus::Active && c.operator.as_ref() == Some(operator) {
                out.push(c);
            }
        }
        Ok(out)
    }

    async fn accept(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        capacity: Capacity,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError> {
        let operator_key = Self::key(keys::tenant_pk(tenant), keys::operator_sk(operator));
        for attempt in 0..MAX_ATTEMPTS {
            let seen = self
                .load_conversation(tenant, id)
                .await?
                .ok_or(ConversationError::NotFound)?;
            if let (ConversationStatus::Active, Some(by)) = (seen.status, &seen.operator) {
                return Err(ConversationError::AlreadyTaken { by: by.clone() });
            }
            let mut accepted = seen.clone();
            accepted.accept(operator, now)?;
            let video = seen.entry.entry_type == EntryType::Video;

            let take_conversation = self
                .conversation_update(&seen)
                .update_expression(
                    "SET #status = :active, #op = :op, acceptedAt = :now, GSI2PK = :g2pk, GSI2SK = :g2sk \
                     REMOVE GSI1PK, GSI1SK",
                )
                .condition_expression("#status = :seen_status AND enqueuedAt = :seen_enqueued")
                .expression_attribute_names("#op", "operator")
                .expression_attribute_values(":active", s("active"))
                .expression_attribute_values(":op", s(operator.as_str()))
                .expression_attribute_values(":now", n(now.millis()))
                .expression_attribute_values(":g2pk", s(keys::operator_convs_gsi_pk(tenant, operator)))
                .expression_attribute_values(":g2sk", s(keys::operator_convs_gsi_sk(now, id)));
            // The capacity rule of Operator::may_accept, as a condition on the operator item.
            let slot_rule = if video {
                "#status = :online AND inVideo = :false AND activeChats = :zero"
            } else {
                "#status = :online AND inVideo = :false AND activeChats < :cap"
            };
            let mut take_slot = Update::builder()
                .table_name(&self.table)
                .set_key(Some(operator_key.clone()))
                .update_expression(if video {
                    "ADD activeChats :one SET inVideo = :true"
                } else {
                    "ADD activeChats :one"
                })
                .condition_expression(slot_rule)
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":online", s("online"))
                .expression_attribute_values(":false", AttributeValue::Bool(false))
                .expression_attribute_values(":one", n(1));
            take_slot = if video {
                take_slot
                    .expression_attribute_values(":zero", n(0))
                    .expression_attribute_values(":true", AttributeValue::Bool(true))
            } else {
                take_slot.expression_attribute_values(":cap", n(capacity.get() as u64))
            };

            match self
                .transact(vec![update(take_conversation)?, update(take_slot)?])
                .await?
            {
                TxOutcome::Committed => return Ok(accepted),
                TxOutcome::Conflict => backoff(attempt).await,
                TxOutcome::ConditionFailed(failed) => {
                    if failed.first().copied().unwrap_or(false) {
                        // The conversation moved: the next read says how.
                        continue;
                    }
                    let op = self
                        .get(operator_key.clone())
                        .await?
                        .map(|i| operator_from(&i))
                        .transpose()?
                        .ok_or(ConversationError::OperatorNotFound)?;
                    op.may_accept(seen.entry.entry_type, capacity)?;
                    // The operator's state changed between the attempt and the read.
                    backoff(attempt).await;
                }
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    async fn close(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Closed, ConversationError> {
        for attempt in 0..MAX_ATTEMPTS {
            let seen = self
                .load_conversation(tenant, id)
                .await?
                .ok_or(ConversationError::NotFound)?;
            let mut closed = seen.clone();
            closed.close(by_operator, now)?;
            let close_conversation = self
                .conversation_update(&seen)
                .update_expression(
                    "SET #status = :closed, closedAt = :now REMOVE GSI1PK, GSI1SK, GSI2PK, GSI2SK",
                )
                .condition_expression("#status = :seen_status AND enqueuedAt = :seen_enqueued")
                .expression_attribute_values(":closed", s("closed"))
                .expression_attribute_values(":now", n(now.millis()));
            let mut items = vec![update(close_conversation)?];
            if let (ConversationStatus::Active, Some(op)) = (seen.status, &seen.operator) {
                let video = seen.entry.entry_type == EntryType::Video;
                let mut free_slot = Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(Self::key(
                        keys::tenant_pk(tenant),
                        keys::operator_sk(op),
                    )))
                    .condition_expression("attribute_exists(PK)")
                    .expression_attribute_values(":minus", AttributeValue::N("-1".into()));
                free_slot = if video {
                    free_slot
                        .update_expression("ADD activeChats :minus SET inVideo = :false")
                        .expression_attribute_values(":false", AttributeValue::Bool(false))
                } else {
                    free_slot.update_expression("ADD activeChats :minus")
                };
                items.push(update(free_slot)?);
            }
            match self.transact(items).await? {
                TxOutcome::Committed => {
                    return Ok(Closed {
                        conversation: closed,
                        previous: seen.status,
                    })
                }
                TxOutcome::Conflict | TxOutcome::ConditionFailed(_) => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    async fn reopen(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError> {
        for attempt in 0..MAX_ATTEMPTS {
            let seen = self
                .load_conversation(tenant, id)
                .await?
                .ok_or(ConversationError::NotFound)?;
            if let Some(c) = self.reopen_with(&seen, None, now).await? {
                return Ok(c);
            }
            backoff(attempt).await;
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    async fn append_message(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        message: NewMessage,
    ) -> Result<Appended, ConversationError> {
        let pk = conversation_pk(tenant, id);
        let now_seconds = message.at.seconds();
        // The marker is only read once something says this may be a resend (a
        // failed condition, or a closed conversation): a new message, the common
        // case, costs one GetItem and the transaction.
        let mut may_be_resend = false;
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
            let seen = self
                .load_conversation(tenant, id)
                .await?
                .ok_or(ConversationError::NotFound)?;
            if seen.status == ConversationStatus::Closed {
                if !may_be_resend {
                    may_be_resend = true;
                    continue;
                }
                return Err(TransitionError::AlreadyClosed.into());
            }
            let seq = seen.last_seq + 1;
            let stored = Message::from_new(id.clone(), seq, message.clone());

            // The sequence number is claimed by moving lastSeq from what we read.
            let claim_seq = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(&pk, keys::META_SK)))
                .update_expression("SET lastSeq = :seq")
                .condition_expression("lastSeq = :prev AND #status <> :closed")
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":seq", n(seq))
                .expression_attribute_values(":prev", n(seen.last_seq))
                .expression_attribute_values(":closed", s("closed"));
            let mut body = Self::key(&pk, keys::message_sk(seq));
            body.insert("body".into(), s(to_json(&stored)?));
            body.insert("clientId".into(), s(stored.client_id.as_str()));
            let mut marker = Self::key(&pk, keys::client_message_sk(&stored.client_id));
            marker.insert("seq".into(), n(seq));
            marker.insert(keys::TTL.into(), n(now_seconds + CLIENT_ID_TTL_SECONDS));
            let items = vec![
                update(claim_seq)?,
                put(Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(body))
                    .condition_expression("attribute_not_exists(PK)"))?,
                put(Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(marker))
                    .condition_expression("attribute_not_exists(PK) OR #ttl < :now")
                    .expression_attribute_names("#ttl", keys::TTL)
                    .expression_attribute_values(":now", n(now_seconds)))?,
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
            .map(|i| get_s(i, "body").and_then(json::<Message>))
            .collect::<StoreResult<Vec<_>>>()?;
        let has_more = messages.len() > limit;
        messages.truncate(limit);
        messages.reverse();
        Ok(MessagePage { messages, has_more })
    }

    async fn message_by_client_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        client_id: &ClientMessageId,
    ) -> StoreResult<Option<Message>> {
        self.message_by_marker(tenant, id, keys::client_message_sk(client_id))
            .await
    }

    async fn message(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
    ) -> StoreResult<Option<Message>> {
        self.message_at(tenant, id, seq).await
    }

    async fn advance_delivery(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
        delivery: Delivery,
        external_id: Option<&str>,
    ) -> StoreResult<Option<Message>> {
        let pk = conversation_pk(tenant, id);
        for attempt in 0..MAX_ATTEMPTS {
            let Some(item) = self.get(Self::key(&pk, keys::message_sk(seq))).await? else {
                return Ok(None);
            };
            let mut message: Message = json(get_s(&item, "body")?)?;
            // Optimistic: the write below only lands on the version read here.
            let version = opt_n(&item, "deliveryVersion")?.unwrap_or(0);
            let new_external = external_id
                .filter(|e| message.details.external_id.as_deref() != Some(*e))
                .map(str::to_string);
            let advances = message
                .details
                .delivery
                .as_ref()
                .is_none_or(|current| current.advances_to(delivery.state));
            if new_external.is_none() && !advances {
                return Ok(None);
            }
            if let Some(ext) = &new_external {
                message.details.external_id = Some(ext.clone());
            }
            if advances {
                message.details.delivery = Some(delivery.clone());
            }
            let write = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(&pk, keys::message_sk(seq))))
                .update_expression("SET body = :body, deliveryVersion = :next")
                .condition_expression(
                    "attribute_exists(PK) AND (attribute_not_exists(deliveryVersion) OR deliveryVersion = :prev)",
                )
                .expression_attribute_values(":body", s(to_json(&message)?))
                .expression_attribute_values(":next", n(version + 1))
                .expression_attribute_values(":prev", n(version));
            let mut items = vec![update(write)?];
            if let Some(ext) = &new_external {
                let mut marker = Self::key(&pk, keys::external_message_sk(ext));
                marker.insert("seq".into(), n(seq));
                items.push(put(Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(marker)))?);
            }
            match self.transact(items).await? {
                TxOutcome::Committed => return Ok(Some(message)),
                TxOutcome::ConditionFailed(_) | TxOutcome::Conflict => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }

    async fn message_by_external_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        external_id: &str,
    ) -> StoreResult<Option<Message>> {
        self.message_by_marker(tenant, id, keys::external_message_sk(external_id))
            .await
    }
}

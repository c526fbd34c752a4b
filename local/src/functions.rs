//! The functions as the local stack runs them: each wired by its own
//! crate's `wire` from one set of adapters.

use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::channels::ChannelsConfig;
use switchboard_app::ports::HttpTransport;
use switchboard_app::usecases::admin::Passwords;
use switchboard_app::{
    AdapterSet, Assigner, Connector, Departures, Fanout, Frames, Ingest, OfflineMail, RetryPolicy,
    Sender, Webhook,
};

/// The ten functions' use cases, each wired by its own crate's `wire` from
/// the same adapters, exactly as its `main.rs` wires it on Lambda.
#[derive(Clone)]
pub struct Functions {
    pub connect: Connector,
    pub disconnect: Departures,
    pub message: Frames,
    pub fanout: Fanout,
    pub assign: Assigner,
    pub mail: OfflineMail,
    pub webhook: Webhook,
    pub inbound: Ingest,
    pub sender: Sender,
    pub cards: hero_card_submit::Submitter,
    pub admin: admin_api::State,
}

impl Functions {
    pub fn wire(
        adapters: &AdapterSet,
        tokens: &TokenService,
        channels: Arc<ChannelsConfig>,
        http: Arc<dyn HttpTransport>,
        retry: RetryPolicy,
        public_url: Option<String>,
        passwords: Passwords,
    ) -> Self {
        let console_url = format!("{}/console", public_url.clone().unwrap_or_default());
        Functions {
            connect: ws_connect::wire(adapters, tokens.clone()),
            disconnect: ws_disconnect::wire(adapters),
            message: ws_message::wire(adapters, tokens.clone(), channels.clone(), http.clone()),
            fanout: queue_fanout::wire(adapters),
            assign: queue_assign::wire(adapters),
            mail: offline_mail::wire(adapters),
            webhook: channel_webhook::wire(adapters, channels.clone()),
            inbound: channel_inbound::wire(
                adapters,
                channels.clone(),
                http.clone(),
                public_url.map(|url| (tokens.clone(), url)),
            ),
            sender: channel_sender::wire(adapters, channels.clone(), http.clone(), retry),
            cards: hero_card_submit::wire(adapters, tokens.clone()),
            admin: admin_api::wire(
                adapters,
                tokens.clone(),
                passwords,
                console_url,
                http,
                channels,
            ),
        }
    }
}

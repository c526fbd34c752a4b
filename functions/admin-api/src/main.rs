use lambda_http::Error;
use switchboard_app::usecases::admin::Passwords;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    let config = aws.config();
    if config.mail_from.is_none() {
        return Err("MAIL_FROM is required: invitations and password resets are mailed".into());
    }
    // Links in mails open the console; without its own address, the HTTP
    // API's (which serves it) is used.
    let console_url = std::env::var("CONSOLE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| {
            config
                .public_http_url
                .as_ref()
                .map(|u| format!("{u}/console"))
        })
        .ok_or("CONSOLE_URL or PUBLIC_HTTP_URL is required for the links in mails")?;
    let passwords = Passwords::recommended().map_err(|e| e.to_string())?;
    let tokens = switchboard_aws::init_tokens(&aws).await?;
    let state = admin_api::wire(
        &aws,
        tokens,
        passwords,
        console_url,
        switchboard_aws::init_http()?,
        switchboard_aws::init_channels_config()?,
    );
    // The web clients' sockets go to this stack's WebSocket API: its
    // callback URL, over wss.
    let gateway =
        admin_api::site::Gateway::Fixed(config.ws_callback_url.replacen("https://", "wss://", 1));
    lambda_http::run(admin_api::router(state).merge(admin_api::site::router(gateway))).await
}

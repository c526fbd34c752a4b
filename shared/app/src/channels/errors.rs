//! Provider error codes, classified into what the sender and the operator do
//! about them. Built on codes, never on titles (Meta is deprecating those).

use switchboard_domain::{DeliveryError, ErrorCode};

fn error(code: ErrorCode, retryable: bool, action: &str, message: Option<String>) -> DeliveryError {
    DeliveryError {
        code,
        retryable,
        action: action.to_string(),
        message,
    }
}

/// WhatsApp Cloud API error codes (send responses and failed statuses).
pub fn whatsapp_error(code: i64, message: Option<String>) -> DeliveryError {
    let (retryable, action) = match code {
        131047 => (false, "send_approved_template_to_reengage"),
        131026 => (false, "contact_unreachable"),
        131049 => (false, "do_not_retry_now"),
        131048 => (false, "number_paused_for_spam"),
        131056 => (true, "back_off_for_this_contact"),
        130429 | 131057 | 80007 => (true, "back_off_and_retry"),
        132000..=132999 => (false, "fix_template"),
        368 | 131031 => (false, "account_blocked"),
        190 => (false, "refresh_access_token"),
        1 | 2 | 131000 => (true, "retry_with_backoff"),
        _ => (false, "see_provider_error"),
    };
    error(ErrorCode::Provider(code), retryable, action, message)
}

/// Messenger / Instagram Send API error codes.
pub fn messenger_error(code: i64, subcode: Option<i64>, message: Option<String>) -> DeliveryError {
    let (retryable, action) = match (code, subcode) {
        (10, _) | (_, Some(2018278)) => (false, "outside_messaging_window"),
        (100, Some(2018001)) => (false, "contact_unreachable"),
        (551, _) => (false, "contact_unavailable"),
        (4 | 613, _) => (true, "back_off_and_retry"),
        (1 | 2, _) => (true, "retry_with_backoff"),
        (190, _) => (false, "refresh_access_token"),
        (200 | 230, _) => (false, "reconnect_page"),
        _ => (false, "see_provider_error"),
    };
    error(ErrorCode::Provider(code), retryable, action, message)
}

/// VK API error codes from `messages.send`.
pub fn vk_error(code: i64, message: Option<String>) -> DeliveryError {
    let (retryable, action) = match code {
        1 | 6 | 9 | 10 => (true, "retry_with_backoff"),
        5 => (false, "refresh_access_token"),
        7 | 15 | 901 | 902 => (false, "contact_does_not_accept_messages"),
        _ => (false, "see_provider_error"),
    };
    error(ErrorCode::Provider(code), retryable, action, message)
}

/// An HTTP status with no provider code to go on.
pub fn http_error(status: u16) -> DeliveryError {
    let retryable = status == 429 || status >= 500;
    error(
        ErrorCode::Ours(format!("http_{status}")),
        retryable,
        if retryable {
            "retry_with_backoff"
        } else {
            "see_provider_error"
        },
        None,
    )
}

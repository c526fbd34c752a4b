//! What a conversation costs on AWS at list prices, from what each action was
//! counted to do (`tests/tests/calls_per_action.rs`). Prices are us-east-1
//! on-demand list prices; the assumptions that are not counted are named
//! where they are used.

/// What one action costs in billable units.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub read_units: f64,
    pub write_units: f64,
    /// Messages sent to SQS.
    pub queue_messages: f64,
    /// Frames the client sent over the WebSocket API.
    pub frames_in: f64,
    /// Messages the WebSocket API delivered to clients (pushes).
    pub pushes: f64,
    /// Requests to the HTTP API (webhooks).
    pub http_requests: f64,
    pub invocations: f64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, o: Usage) {
        self.read_units += o.read_units;
        self.write_units += o.write_units;
        self.queue_messages += o.queue_messages;
        self.frames_in += o.frames_in;
        self.pushes += o.pushes;
        self.http_requests += o.http_requests;
        self.invocations += o.invocations;
    }
}

impl std::ops::Mul<f64> for Usage {
    type Output = Usage;
    fn mul(self, k: f64) -> Usage {
        Usage {
            read_units: self.read_units * k,
            write_units: self.write_units * k,
            queue_messages: self.queue_messages * k,
            frames_in: self.frames_in * k,
            pushes: self.pushes * k,
            http_requests: self.http_requests * k,
            invocations: self.invocations * k,
        }
    }
}

const MILLION: f64 = 1_000_000.0;
/// https://aws.amazon.com/dynamodb/pricing/on-demand/ (standard table class)
pub const DYNAMODB_READ_UNIT: f64 = 0.125 / MILLION;
pub const DYNAMODB_WRITE_UNIT: f64 = 0.625 / MILLION;
/// https://aws.amazon.com/sqs/pricing/ (FIFO; standard is $0.40). Each
/// message is taken as three requests: send, and its share of receive and
/// delete, which Lambda's poller makes per batch (an upper bound).
pub const SQS_REQUEST: f64 = 0.50 / MILLION;
pub const SQS_REQUESTS_PER_MESSAGE: f64 = 3.0;
/// https://aws.amazon.com/api-gateway/pricing/ (WebSocket messages, first
/// billion; HTTP API requests, first 300 million).
pub const WEBSOCKET_MESSAGE: f64 = 1.00 / MILLION;
pub const WEBSOCKET_CONNECTION_MINUTE: f64 = 0.25 / MILLION;
pub const HTTP_API_REQUEST: f64 = 1.00 / MILLION;
/// https://aws.amazon.com/lambda/pricing/ (arm64, as `infra/template.yaml`).
pub const LAMBDA_REQUEST: f64 = 0.20 / MILLION;
pub const LAMBDA_GB_SECOND: f64 = 0.000_013_333_4;
/// `MemorySize` in `infra/template.yaml`.
pub const LAMBDA_MEMORY_GB: f64 = 0.25;
/// Assumed, not measured here: a warm invocation's billed duration (a few
/// DynamoDB round trips of single-digit milliseconds each).
pub const LAMBDA_BILLED_SECONDS: f64 = 0.015;
/// https://aws.amazon.com/cloudwatch/pricing/ (logs ingested, standard).
pub const LOG_GB: f64 = 0.50;
/// Assumed: Lambda's START/END/REPORT lines and one or two JSON lines of ours.
pub const LOG_BYTES_PER_INVOCATION: f64 = 600.0;

/// Dollars, by service.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bill {
    pub dynamodb: f64,
    pub sqs: f64,
    pub api_gateway: f64,
    pub lambda: f64,
    pub logs: f64,
}

impl Bill {
    pub fn total(&self) -> f64 {
        self.dynamodb + self.sqs + self.api_gateway + self.lambda + self.logs
    }
}

/// The bill for `usage`, with `connection_minutes` of client connections.
pub fn bill(usage: &Usage, connection_minutes: f64) -> Bill {
    Bill {
        dynamodb: usage.read_units * DYNAMODB_READ_UNIT + usage.write_units * DYNAMODB_WRITE_UNIT,
        sqs: usage.queue_messages * SQS_REQUESTS_PER_MESSAGE * SQS_REQUEST,
        api_gateway: (usage.frames_in + usage.pushes) * WEBSOCKET_MESSAGE
            + connection_minutes * WEBSOCKET_CONNECTION_MINUTE
            + usage.http_requests * HTTP_API_REQUEST,
        lambda: usage.invocations
            * (LAMBDA_REQUEST + LAMBDA_MEMORY_GB * LAMBDA_BILLED_SECONDS * LAMBDA_GB_SECOND),
        logs: usage.invocations * LOG_BYTES_PER_INVOCATION / 1e9 * LOG_GB,
    }
}

//! The site bucket on S3.

use crate::{PublishError, SiteBucket};
use async_trait::async_trait;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};

pub struct S3Bucket {
    client: aws_sdk_s3::Client,
    bucket: String,
}

impl S3Bucket {
    pub fn new(client: aws_sdk_s3::Client, bucket: String) -> Self {
        S3Bucket { client, bucket }
    }
}

fn boxed<E: std::error::Error + Send + Sync + 'static>(
    e: E,
) -> Box<dyn std::error::Error + Send + Sync> {
    Box::new(e)
}

#[async_trait]
impl SiteBucket for S3Bucket {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), PublishError> {
        // The HTML and config.json must never be stale after a deploy; the
        // scripts and styles are revalidated too, as they have no hash in
        // their names.
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .cache_control("no-cache")
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| PublishError::Put {
                key: key.to_string(),
                source: boxed(e),
            })?;
        Ok(())
    }

    async fn empty(&self) -> Result<(), PublishError> {
        let mut token = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .set_continuation_token(token)
                .send()
                .await
                .map_err(|e| PublishError::Empty(boxed(e)))?;
            let keys: Vec<ObjectIdentifier> = page
                .contents()
                .iter()
                .filter_map(|o| o.key())
                .filter_map(|k| ObjectIdentifier::builder().key(k).build().ok())
                .collect();
            if !keys.is_empty() {
                let delete = Delete::builder()
                    .set_objects(Some(keys))
                    .build()
                    .map_err(|e| PublishError::Empty(boxed(e)))?;
                self.client
                    .delete_objects()
                    .bucket(&self.bucket)
                    .delete(delete)
                    .send()
                    .await
                    .map_err(|e| PublishError::Empty(boxed(e)))?;
            }
            match page.next_continuation_token() {
                Some(next) => token = Some(next.to_string()),
                None => return Ok(()),
            }
        }
    }
}

//! The secrets port: files in the data directory locally, AWS Secrets
//! Manager on AWS (on moto here). Both keep, replace and delete by name.

use switchboard_app::channels::Secret;
use switchboard_app::ports::{SecretWriter, Secrets};
use switchboard_aws::secrets::SecretsManager;
use switchboard_embedded::FileSecrets;
use switchboard_tests::stores::moto_sdk_config;

async fn round_trip<S: Secrets + SecretWriter>(secrets: &S) {
    let name = "channel/acme/whatsapp/4200";
    assert!(secrets.secret(name).await.unwrap().is_none());
    secrets
        .put_secret(name, &Secret::new("first"))
        .await
        .unwrap();
    assert_eq!(
        secrets.secret(name).await.unwrap().unwrap().expose(),
        "first"
    );
    secrets
        .put_secret(name, &Secret::new("rotated"))
        .await
        .unwrap();
    assert_eq!(
        secrets.secret(name).await.unwrap().unwrap().expose(),
        "rotated"
    );
    secrets.delete_secret(name).await.unwrap();
    assert!(secrets.secret(name).await.unwrap().is_none());
    // Deleting what is not there is no error; binding again works at once.
    secrets.delete_secret(name).await.unwrap();
    secrets
        .put_secret(name, &Secret::new("again"))
        .await
        .unwrap();
    assert_eq!(
        secrets.secret(name).await.unwrap().unwrap().expose(),
        "again"
    );
}

#[tokio::test]
async fn files_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = FileSecrets::new(dir.path().join("secrets"));
    round_trip(&secrets).await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.path().join("secrets/channel/acme/whatsapp/4200");
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by the owner only: {mode:o}");
    }
    // A name cannot leave the folder.
    for bad in ["../escape", "channel/../../x", "", "a//b", "/abs"] {
        assert!(
            secrets.put_secret(bad, &Secret::new("x")).await.is_err(),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn aws_secrets_manager_on_moto() {
    let sdk = moto_sdk_config().await;
    let prefix = format!("switchboard-test-{:016x}", rand::random::<u64>());
    let secrets = SecretsManager::new(aws_sdk_secretsmanager::Client::new(&sdk), prefix);
    round_trip(&secrets).await;
}

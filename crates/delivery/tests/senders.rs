//! Each sender on its own, against the file system, a fake webhook and a fake SMTP
//! server on 127.0.0.1, and the router's choice between them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use sa_delivery::{
    DeliveryConfig, DevFileSender, Router, SendError, Sender, SmsWebhookSender, SmtpSender,
};
use sa_domain::clock::rfc3339;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

fn keys_of(line: &serde_json::Map<String, serde_json::Value>) -> BTreeSet<&str> {
    line.keys().map(String::as_str).collect()
}

#[tokio::test]
async fn dev_file_gets_one_contract_line_per_message() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data").join("nested");
    let sender = DevFileSender::in_data_dir(&data_dir);
    assert_eq!(sender.path(), data_dir.join("outbox.jsonl"));

    sender.send("m1", &email(), START).await.unwrap();
    sender
        .send("m2", &sms(), START + time::Duration::seconds(1))
        .await
        .unwrap();
    sender
        .send("m3", &letter(), START + time::Duration::seconds(2))
        .await
        .unwrap();

    let lines = read_lines(sender.path());
    assert_eq!(lines.len(), 3);
    let with_code: BTreeSet<&str> = [
        "at", "channel", "to", "template", "subject", "body", "code", "id",
    ]
    .into();
    let without_code: BTreeSet<&str> =
        ["at", "channel", "to", "template", "subject", "body", "id"].into();

    assert_eq!(keys_of(&lines[0]), with_code);
    assert_eq!(lines[0]["at"], "2030-01-02T03:04:05Z");
    assert_eq!(lines[0]["at"], rfc3339(START).as_str());
    assert_eq!(lines[0]["channel"], "email");
    assert_eq!(lines[0]["to"], "alice@example.test");
    assert_eq!(lines[0]["template"], "confirm_email");
    assert_eq!(lines[0]["subject"], "Confirm your email");
    assert_eq!(lines[0]["body"], email().body.as_str());
    assert_eq!(lines[0]["code"], "482913");
    assert_eq!(lines[0]["id"], "m1");

    assert_eq!(lines[1]["channel"], "sms");
    assert_eq!(lines[1]["to"], "+12025550143");
    assert_eq!(lines[1]["at"], "2030-01-02T03:04:06Z");
    assert_eq!(lines[1]["code"], "771204");

    assert_eq!(
        keys_of(&lines[2]),
        without_code,
        "no code key when there is no code"
    );
    assert_eq!(lines[2]["channel"], "letter");
    assert_eq!(
        lines[2]["to"],
        "ALICE EXAMPLE\n12 MAIN ST APT 4\nSPRINGFIELD IL 62704"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(sender.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "only the owner may read the codes");
    }
}

#[tokio::test]
async fn dev_file_writes_a_message_id_once_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let sender = DevFileSender::in_data_dir(dir.path());
    sender.send("m1", &email(), START).await.unwrap();
    sender.send("m1", &email(), START).await.unwrap();
    assert_eq!(read_lines(sender.path()).len(), 1, "a repeat is skipped");
    // A new process (a restart after a crash) reads the ids already written.
    let restarted = DevFileSender::in_data_dir(dir.path());
    restarted.send("m1", &email(), START).await.unwrap();
    restarted.send("m2", &sms(), START).await.unwrap();
    let lines = read_lines(sender.path());
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["m1", "m2"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_dev_file_sends_do_not_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let sender = Arc::new(DevFileSender::in_data_dir(dir.path()));
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let sender = Arc::clone(&sender);
            tokio::spawn(async move {
                let mut message = email();
                // Long bodies make a torn write visible.
                message.body = format!("{i}:{}", "x".repeat(64 * 1024 + i));
                message.template = format!("t{i}");
                sender
                    .send(&format!("m{i}"), &message, START)
                    .await
                    .unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }

    let lines = read_lines(sender.path());
    assert_eq!(lines.len(), 40);
    let mut seen = BTreeSet::new();
    for line in &lines {
        let template = line["template"].as_str().unwrap();
        let i: usize = template[1..].parse().unwrap();
        assert_eq!(
            line["body"].as_str().unwrap(),
            format!("{i}:{}", "x".repeat(64 * 1024 + i))
        );
        assert!(seen.insert(i), "line {i} written twice");
    }
}

#[tokio::test]
async fn webhook_posts_json_with_the_bearer_token() {
    let hook = FakeWebhook::start(200).await;
    let sender =
        SmsWebhookSender::new(&hook.url, Some("s3cr3t-token"), Duration::from_secs(5)).unwrap();
    assert!(!format!("{sender:?}").contains("s3cr3t"));

    sender.send("m1", &sms(), START).await.unwrap();

    let received = hook.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].authorization.as_deref(),
        Some("Bearer s3cr3t-token")
    );
    assert_eq!(
        received[0].idempotency_key.as_deref(),
        Some("m1"),
        "the outbox id lets the provider drop a repeat"
    );
    assert_eq!(
        received[0].content_type.as_deref(),
        Some("application/json")
    );
    assert_eq!(
        received[0].json,
        serde_json::json!({ "to": "+12025550143", "body": "Secure Access code: 771204" })
    );
}

#[tokio::test]
async fn webhook_failures_are_transient_and_say_nothing_private() {
    let hook = FakeWebhook::start(500).await;
    let sender = SmsWebhookSender::new(&hook.url, None, Duration::from_secs(5)).unwrap();
    let error = sender.send("m1", &sms(), START).await.unwrap_err();
    assert!(matches!(error, SendError::Transient(_)), "{error:?}");
    assert!(error.to_string().contains("answered 500"), "{error}");
    assert!(!leaks(&error.to_string(), &sms()));
    assert_eq!(hook.received()[0].authorization, None);

    // Nothing listening: a connection error, also transient.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms?key=abc", listener.local_addr().unwrap());
    drop(listener);
    let sender = SmsWebhookSender::new(&url, None, Duration::from_secs(5)).unwrap();
    let error = sender.send("m1", &sms(), START).await.unwrap_err();
    assert!(matches!(error, SendError::Transient(_)), "{error:?}");
    assert!(
        !error.to_string().contains("key=abc"),
        "no query in errors: {error}"
    );
}

#[test]
fn webhook_must_be_https_unless_local() {
    let timeout = Duration::from_secs(1);
    assert!(SmsWebhookSender::new("https://sms.example.org/send", None, timeout).is_ok());
    assert!(SmsWebhookSender::new("http://localhost:8080/send", None, timeout).is_ok());
    let error = SmsWebhookSender::new("http://sms.example.org/send", None, timeout).unwrap_err();
    assert_eq!(error.field, "sms_webhook_url");
    assert!(SmsWebhookSender::new("ftp://sms.example.org", None, timeout).is_err());
}

/// A minimal SMTP server: records the envelope and DATA of each message.
#[derive(Clone, Default)]
struct FakeSmtp {
    mails: Arc<Mutex<Vec<Mail>>>,
    /// Answer RCPT with this line instead of `250`.
    rcpt_reply: Option<&'static str>,
}

#[derive(Debug, Clone, Default)]
struct Mail {
    mail_from: String,
    rcpt_to: Vec<String>,
    data: String,
}

impl FakeSmtp {
    async fn start(self) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                let server = self.clone();
                tokio::spawn(async move { server.session(socket).await });
            }
        });
        port
    }

    async fn session(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 fake.test ESMTP\r\n").await.unwrap();
        let mut mail = Mail::default();
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let reply: &str = match verb.as_str() {
                "EHLO" | "HELO" => "250 fake.test\r\n",
                "MAIL" => {
                    mail.mail_from = line.clone();
                    "250 OK\r\n"
                }
                "RCPT" => {
                    mail.rcpt_to.push(line.clone());
                    self.rcpt_reply.unwrap_or("250 OK\r\n")
                }
                "DATA" => {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await
                        .unwrap();
                    while let Ok(Some(data)) = lines.next_line().await {
                        if data == "." {
                            break;
                        }
                        mail.data.push_str(&data);
                        mail.data.push('\n');
                    }
                    self.mails.lock().unwrap().push(std::mem::take(&mut mail));
                    "250 queued\r\n"
                }
                "RSET" | "NOOP" => "250 OK\r\n",
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    return;
                }
                _ => "500 unknown command\r\n",
            };
            write.write_all(reply.as_bytes()).await.unwrap();
        }
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn router_sends_email_by_smtp_and_letters_and_sms_to_the_file() {
    let smtp = FakeSmtp::default();
    let port = smtp.clone().start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = DeliveryConfig {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        email_from: "Secure Access <no-reply@agency.test>".into(),
        ..DeliveryConfig::default()
    };
    let router = Router::from_config(&config, dir.path()).unwrap();
    assert_eq!(
        router.describe(),
        "email: smtp, sms: development file, letter: development file, app: app push"
    );

    router.send("m1", &email(), START).await.unwrap();
    router.send("m2", &letter(), START).await.unwrap();
    router.send("m3", &sms(), START).await.unwrap();

    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.mail_from, "MAIL FROM:<no-reply@agency.test>");
    assert_eq!(mail.rcpt_to, ["RCPT TO:<alice@example.test>"]);
    assert!(
        mail.data.contains("To: alice@example.test\n"),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("Subject: Confirm your email\n"),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("Message-ID: <m1@agency.test>\n"),
        "a repeat carries the same Message-ID: {}",
        mail.data
    );
    assert!(
        mail.data
            .contains("From: \"Secure Access\" <no-reply@agency.test>\n"),
        "{}",
        mail.data
    );
    assert!(
        mail.data
            .contains("Content-Type: text/plain; charset=utf-8\n"),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("Date: Wed, 02 Jan 2030 03:04:05"),
        "date from the clock: {}",
        mail.data
    );
    assert!(mail.data.contains("Your code is 482913."), "{}", mail.data);

    let lines = read_lines(&dir.path().join("outbox.jsonl"));
    let channels: Vec<_> = lines
        .iter()
        .map(|l| l["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["letter", "sms"]);
}

#[tokio::test]
async fn smtp_refusals_keep_the_code_but_not_the_server_text() {
    let smtp = FakeSmtp {
        rcpt_reply: Some("550 5.1.1 <alice@example.test>: Recipient address rejected\r\n"),
        ..FakeSmtp::default()
    };
    let port = smtp.clone().start().await;
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "no-reply@agency.test",
        Duration::from_secs(5),
    )
    .unwrap();
    let error = sender.send("m1", &email(), START).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, SendError::Transient(_)), "{error:?}");
    assert!(text.contains("550"), "{text}");
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(!leaks(&text, &email()), "{text}");

    let mut bad = email();
    bad.to = "not an address".into();
    let error = sender.send("m2", &bad, START).await.unwrap_err();
    assert!(error.is_permanent(), "{error:?}");
    assert!(!error.to_string().contains("not an address"));
}

#[tokio::test]
async fn router_falls_back_to_the_file_and_uses_the_webhook_when_configured() {
    let hook = FakeWebhook::start(200).await;
    let dir = tempfile::tempdir().unwrap();
    let config = DeliveryConfig {
        sms_webhook_url: Some(hook.url.clone()),
        sms_webhook_token: Some("tok".into()),
        ..DeliveryConfig::default()
    };
    let router = Router::from_config(&config, dir.path()).unwrap();
    assert_eq!(
        router.describe(),
        "email: development file, sms: sms webhook, letter: development file, app: app push"
    );
    router.send("m1", &sms(), START).await.unwrap();
    router.send("m2", &email(), START).await.unwrap();
    assert_eq!(hook.received().len(), 1);
    let lines = read_lines(&dir.path().join("outbox.jsonl"));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["channel"], "email");

    // A token without a webhook is a mistake worth stopping for.
    let config = DeliveryConfig {
        sms_webhook_token: Some("tok".into()),
        ..DeliveryConfig::default()
    };
    assert_eq!(
        Router::from_config(&config, dir.path()).unwrap_err().field,
        "sms_webhook_token"
    );
}

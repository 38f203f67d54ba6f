//! `secure-access serve` and `secure-access demo`: run the service until SIGTERM or
//! Ctrl-C; the demo also prepares its account and population and prints a guide.

use std::sync::Arc;

use sa_domain::clock::Clock;

use crate::config::Config;
use crate::{demo, server};

/// Serve until stopped.
pub async fn run(config: Config, clock: Arc<dyn Clock>, demo_mode: bool) -> anyhow::Result<()> {
    let outbox = config.outbox_file();
    let running = server::start(config.clone(), clock, demo_mode).await?;
    server::stop_on_signal(&running).await;
    tracing::info!(url = %running.public_url, "listening");
    if demo_mode {
        demo::prepare(&running, &config, &outbox).await?;
    } else {
        println!("Secure Access is listening on {}", running.public_url);
    }
    running.wait().await
}

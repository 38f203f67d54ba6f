//! Serving and shutdown: build every piece from the configuration (`wiring.rs`), serve
//! HTTP, run the delivery worker and the scheduled jobs, and stop both cleanly on
//! SIGTERM/SIGINT (or when a test asks).
//!
//! Several instances may share one PostgreSQL database (and one Redis for the limits):
//! the scheduled jobs run only in the instance that holds the `scheduled_jobs` lease
//! (renewed at every run, given up at shutdown, taken over by another instance once it
//! expires), and the delivery worker claims each outbox message under a lease.
//!
//! ```text
//!  Config ─► keyring (file) ─► SqlStore (migrated) ─► Services ─► sa_web::router ─► axum::serve
//!                                   ├──────────────► delivery Worker (woken on enqueue)
//!                                   └──────────────► scheduled jobs (letter reminders, expiry)
//! ```

use sa_delivery::{Router as DeliveryRouter, Worker};
use sa_domain::Services;
use sa_domain::clock::Clock;
use sa_domain::store::OutboxStore;
use sa_store::SqlStore;
use sa_web::{App, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::wiring::{build_services, open_store, provider, register_configured};

/// A running server: its address, its services, and the means to stop it.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub public_url: String,
    pub services: Arc<Services>,
    /// The OpenID Connect provider.
    pub oidc: Arc<sa_domain::oidc::Provider>,
    pub store: SqlStore,
    shutdown: watch::Sender<bool>,
    http: JoinHandle<std::io::Result<()>>,
    worker: JoinHandle<()>,
    jobs: JoinHandle<()>,
    app_events: JoinHandle<()>,
}

impl RunningServer {
    /// Ask everything to stop and wait for in-flight requests and the worker to finish.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.http.await??;
        let _ = self.worker.await;
        let _ = self.jobs.await;
        let _ = self.app_events.await;
        self.store.close().await;
        Ok(())
    }

    /// Wait until the server stops (after a signal).
    pub async fn wait(self) -> anyhow::Result<()> {
        let mut stopped = self.shutdown.subscribe();
        let _ = stopped.wait_for(|stop| *stop).await;
        self.stop().await
    }
}

/// Start serving. `clock` is the system clock in production and a manual one in tests.
pub async fn start(
    config: Config,
    clock: Arc<dyn Clock>,
    demo: bool,
) -> anyhow::Result<RunningServer> {
    let store = open_store(&config).await?;
    let wake = Arc::new(Notify::new());
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url(addr);
    let services =
        build_services(&config, &store, &public_url, clock.clone(), wake.clone()).await?;
    let web = WebConfig {
        public_url: public_url.clone(),
        secure_cookies: config.secure_cookies(addr),
        hsts: public_url.starts_with("https://"),
        trusted_proxies: config.trusted_proxies.clone(),
        max_body_bytes: config.max_body_bytes,
        demo,
        help_desk: config.help_desk.clone(),
        metrics_allowed: config.metrics_allowed.clone(),
    };
    let oidc = provider(&store, services.clone(), &public_url, &config.oidc).await?;
    register_configured(&oidc, &config).await?;
    let router = sa_web::router(Arc::new(App {
        services: services.clone(),
        oidc: oidc.clone(),
        config: web,
        metrics: sa_web::metric_families::WebMetrics::register(services.core().metrics.registry())?,
    }));

    let (shutdown, _) = watch::channel(false);
    let delivery_router = DeliveryRouter::from_config(&config.delivery, &config.data_dir)
        .map_err(|e| anyhow::anyhow!("delivery configuration: {e}"))?;
    let worker = Worker::new(
        Arc::new(store.clone()),
        services.core().keys.clone(),
        clock,
        delivery_router,
        config.delivery.clone(),
    );
    let worker = tokio::spawn(worker.run(wake, shutdown.subscribe()));
    let jobs = tokio::spawn(run_jobs(
        ScheduledJobs::new(services.clone(), oidc.clone(), Arc::new(store.clone()))?,
        std::time::Duration::from_secs(config.jobs_interval_secs),
        shutdown.subscribe(),
    ));
    let app_events = tokio::spawn(dispatch_app_events(
        oidc.clone(),
        services.core().app_events_wake.clone(),
        shutdown.subscribe(),
    ));

    let mut stop = shutdown.subscribe();
    let http = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|stop| *stop).await;
        })
        .await
    });
    Ok(RunningServer {
        addr,
        public_url,
        services,
        oidc,
        store,
        shutdown,
        http,
        worker,
        jobs,
        app_events,
    })
}

/// How often pending app events are looked for without a wake-up (events another
/// instance queued, or ones left by a stop).
const APP_EVENTS_POLL: std::time::Duration = std::time::Duration::from_secs(5);

/// Turn app events into tokens in the outbox as soon as a change queues them, and
/// every few seconds. Instances share the work: each event is dispatched once.
async fn dispatch_app_events(
    oidc: Arc<sa_domain::oidc::Provider>,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut ticker = tokio::time::interval(APP_EVENTS_POLL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = wake.notified() => {}
            _ = shutdown.changed() => return,
        }
        if let Err(error) = oidc.dispatch_app_events().await {
            tracing::warn!(error = %error.description, "app events not dispatched yet");
        }
    }
}

/// The lease the scheduled jobs run under: one instance at a time holds it.
const JOBS_LEASE: &str = "scheduled_jobs";

/// How long the record of a sent or given-up message is kept (its payload is erased at
/// once): a month, like apps' delivery records, for an operator looking into a
/// complaint; then the jobs remove it, so the outbox does not grow for ever.
const FINISHED_MESSAGES_KEPT: time::Duration = time::Duration::days(30);

/// The scheduled jobs of this instance, and the lease that lets it run them.
struct ScheduledJobs {
    services: Arc<Services>,
    oidc: Arc<sa_domain::oidc::Provider>,
    outbox: Arc<dyn OutboxStore>,
    /// This instance, as the lease's holder (random at each start).
    holder: String,
    /// Runs by this instance, for `/metrics`.
    runs: prometheus::IntCounter,
}

impl ScheduledJobs {
    fn new(
        services: Arc<Services>,
        oidc: Arc<sa_domain::oidc::Provider>,
        outbox: Arc<dyn OutboxStore>,
    ) -> anyhow::Result<Self> {
        let runs = prometheus::IntCounter::new(
            "sa_scheduled_job_runs_total",
            "Runs of the scheduled jobs (letter reminders and expiry, clean-up of single sign-on, window counters and the outbox) by this instance; an instance without the jobs lease does not run them.",
        )?;
        services
            .core()
            .metrics
            .registry()
            .register(Box::new(runs.clone()))?;
        let holder = sa_domain::keys::hex(&sa_domain::keys::random_bytes::<12>()[..]);
        Ok(Self {
            services,
            oidc,
            outbox,
            holder,
            runs,
        })
    }

    /// Run the jobs if this instance holds (or can take) the lease. The lease lasts
    /// `lease`, longer than an interval, so its holder keeps it from run to run and
    /// another instance takes over only once a holder has stopped renewing it.
    async fn run_if_leased(&self, lease: time::Duration) {
        let core = self.services.core();
        let now = core.now();
        match core
            .store
            .take_lease(JOBS_LEASE, &self.holder, now, now + lease)
            .await
        {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::warn!(%error, "cannot take the jobs lease; trying again at the next interval");
                return;
            }
        }
        self.runs.inc();
        match self.services.letters().run_letter_jobs().await {
            Ok(report) if report.reminders_sent + report.expired > 0 => {
                tracing::info!(
                    reminders = report.reminders_sent,
                    expired = report.expired,
                    "letter job"
                );
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "letter job failed; it runs again at the next interval")
            }
        }
        if let Err(error) = self.oidc.purge_expired().await {
            tracing::warn!(error = %error.description, "single sign-on clean-up failed; it runs again at the next interval");
        }
        report_clean_up("window counter", core.store.sweep_counters(now).await);
        report_clean_up(
            "outbox",
            self.outbox
                .purge_finished(now - FINISHED_MESSAGES_KEPT)
                .await,
        );
    }

    async fn release(&self) {
        if let Err(error) = self
            .services
            .core()
            .store
            .release_lease(JOBS_LEASE, &self.holder)
            .await
        {
            tracing::warn!(%error, "cannot give up the jobs lease; another instance takes it when it expires");
        }
    }
}

/// Log what a clean-up removed (nothing when it removed nothing), or that it failed and
/// runs again at the next interval.
fn report_clean_up(what: &str, outcome: sa_domain::store::StoreResult<u64>) {
    match outcome {
        Ok(0) => {}
        Ok(removed) => tracing::info!(removed, what, "clean-up"),
        Err(error) => {
            tracing::warn!(%error, what, "clean-up failed; it runs again at the next interval")
        }
    }
}

/// The scheduled jobs, every `interval` until shutdown: letter reminders and expiry,
/// removing expired single sign-on requests, codes and tokens, window counters whose
/// window is over and the outbox's records of messages finished a month ago, in whichever
/// instance holds the jobs lease. Each run reads the injected clock, so tests move
/// time instead of waiting days.
async fn run_jobs(
    jobs: ScheduledJobs,
    interval: std::time::Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let lease = time::Duration::try_from(interval * 2).unwrap_or(time::Duration::hours(1))
        + time::Duration::seconds(5);
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => jobs.run_if_leased(lease).await,
            _ = shutdown.changed() => {
                jobs.release().await;
                return;
            }
        }
    }
}

/// Resolve on SIGTERM or SIGINT, then tell the server to stop.
pub async fn stop_on_signal(server: &RunningServer) {
    let sender = server.shutdown.clone();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(term) => term,
                    Err(error) => {
                        tracing::error!(%error, "cannot listen for SIGTERM");
                        let _ = ctrl_c.await;
                        let _ = sender.send(true);
                        return;
                    }
                };
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
        tracing::info!("shutting down: finishing requests in flight");
        let _ = sender.send(true);
    });
}

//! The HTTP metric families and the gauges read at each scrape, registered in the
//! service's one registry (see [`crate::metrics`] for what is served and the label
//! rules).

use prometheus::{
    HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
};
use sa_domain::journeys::Core;

/// The HTTP families and the scrape-time gauges, registered in the service's registry.
pub struct WebMetrics {
    requests: IntCounterVec,
    latency: HistogramVec,
    hashing_queue: IntGauge,
    outbox: IntGaugeVec,
    outbox_oldest_age: IntGauge,
    pool: IntGaugeVec,
    limit_counters_up: IntGaugeVec,
}

impl WebMetrics {
    /// Create the families and register them in `registry` (the journeys' registry).
    pub fn register(registry: &Registry) -> Result<Self, prometheus::Error> {
        let requests = IntCounterVec::new(
            Opts::new(
                "sa_http_requests_total",
                "HTTP requests answered, by method, route template and status.",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "sa_http_request_duration_seconds",
                "Time to answer an HTTP request, by method and route template.",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route"],
        )?;
        let hashing_queue = IntGauge::new(
            "sa_hashing_queue_depth",
            "Password checks waiting for a hashing thread (refused 503 overloaded beyond hashing_queue).",
        )?;
        let outbox = IntGaugeVec::new(
            Opts::new(
                "sa_outbox_messages",
                "Outbox messages by state: pending (waiting or being retried) and dead (given up).",
            ),
            &["state"],
        )?;
        let outbox_oldest_age = IntGauge::new(
            "sa_outbox_oldest_pending_age_seconds",
            "Age of the oldest message still waiting to be sent (0 when none waits).",
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "sa_db_pool_connections",
                "Database pool connections: open, idle (open and unused) and max.",
            ),
            &["state"],
        )?;
        let limit_counters_up = IntGaugeVec::new(
            Opts::new(
                "sa_limit_counters_up",
                "1 when the per-IP limit counters answer (kind: memory or redis), else 0.",
            ),
            &["kind"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(hashing_queue.clone()))?;
        registry.register(Box::new(outbox.clone()))?;
        registry.register(Box::new(outbox_oldest_age.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(limit_counters_up.clone()))?;
        Ok(Self {
            requests,
            latency,
            hashing_queue,
            outbox,
            outbox_oldest_age,
            pool,
            limit_counters_up,
        })
    }

    /// Count one answered request.
    pub fn observe(&self, method: &str, route: &str, status: &str, seconds: f64) {
        self.latency
            .with_label_values(&[method, route])
            .observe(seconds);
        self.requests
            .with_label_values(&[method, route, status])
            .inc();
    }

    /// Read the gauges that describe the present moment.
    pub async fn refresh(&self, core: &Core) {
        self.hashing_queue
            .set(i64::try_from(core.hasher.queue_depth()).unwrap_or(i64::MAX));
        match core.store.gauges().await {
            Ok(gauges) => {
                self.outbox
                    .with_label_values(&["pending"])
                    .set(gauges.outbox_pending);
                self.outbox
                    .with_label_values(&["dead"])
                    .set(gauges.outbox_dead);
                let age = gauges
                    .outbox_oldest_pending_at
                    .map(|at| (core.now() - at).whole_seconds().max(0))
                    .unwrap_or(0);
                self.outbox_oldest_age.set(age);
                self.pool
                    .with_label_values(&["open"])
                    .set(i64::from(gauges.pool_connections));
                self.pool
                    .with_label_values(&["idle"])
                    .set(i64::from(gauges.pool_idle));
                self.pool
                    .with_label_values(&["max"])
                    .set(i64::from(gauges.pool_max));
            }
            Err(error) => tracing::warn!(%error, "metrics: store gauges unavailable"),
        }
        let (kind, answer) = core.check_limit_counters().await;
        self.limit_counters_up
            .with_label_values(&[kind])
            .set(i64::from(answer.is_ok()));
    }
}

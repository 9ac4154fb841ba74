//! Reads last week's sending metrics, one row per day: accepted, delivered, opened and
//! failed counts and the delivery rate, for the whole account or one domain.
//!
//! ```sh
//! MAILGUN_API_KEY=key-… MAILGUN_DOMAIN=mg.example.com cargo run --example weekly_metrics
//! ```
//! `MAILGUN_BASE_URL` points it elsewhere, such as a local mock (`cargo xtask examples`).
//! (The Metrics API replaces the Stats API, which Mailgun has deprecated.)

// required-features: metrics

use mailgun::Client;
use mailgun::types::{
    DimensionName, LabeledValue, Metric, MetricsFilterAttribute, MetricsFilterComparator, MetricsFilterPredicate,
    MetricsFilterPredicateGroup,
};
use std::time::{Duration, SystemTime};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut builder = Client::builder(var("MAILGUN_API_KEY")?);
    if let Ok(base) = std::env::var("MAILGUN_BASE_URL") {
        builder = builder.base_url(base);
    }
    let client = builder.build()?;

    let now = SystemTime::now();
    let mut query = client
        .create_analytics_metrics()
        .start(now - Duration::from_secs(7 * 24 * 3600))
        .end(now)
        .resolution("day")
        .dimension(DimensionName::Time)
        .metric(Metric::AcceptedCount)
        .metric(Metric::DeliveredCount)
        .metric(Metric::OpenedCount)
        .metric(Metric::FailedCount)
        .metric(Metric::DeliveredRate)
        .include_aggregates(true);
    if let Ok(domain) = std::env::var("MAILGUN_DOMAIN") {
        let mut predicate = MetricsFilterPredicate::new(MetricsFilterAttribute::Domain, MetricsFilterComparator::Eq);
        predicate.values = Some(vec![LabeledValue::new(domain.as_str(), domain.as_str())]);
        query = query.filter(MetricsFilterPredicateGroup::new(vec![predicate]));
    }
    let answer = query.send().await?;
    for row in &answer.items {
        let day = row.dimensions.iter().find_map(|d| d.display_value.clone());
        let Some(m) = &row.metrics else { continue };
        println!(
            "{:?}: {} accepted, {} delivered, {} opened, {} failed, delivery rate {}",
            day,
            m.accepted_count.unwrap_or(0),
            m.delivered_count.unwrap_or(0),
            m.opened_count.unwrap_or(0),
            m.failed_count.unwrap_or(0),
            m.delivered_rate.as_deref().unwrap_or("-"),
        );
    }
    if let Some(total) = answer.aggregates.and_then(|a| a.metrics) {
        println!(
            "week: {} delivered of {} accepted",
            total.delivered_count.unwrap_or(0),
            total.accepted_count.unwrap_or(0)
        );
    }
    Ok(())
}

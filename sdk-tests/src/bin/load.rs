//! `cargo run --release -p sdk-tests --bin load -- [CALLS] [CONCURRENCY] [ITEMS]`: the load run
//! and the long list of `sdk_tests::load`, with their figures (`cargo xtask bench` runs it).

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (calls, concurrency, items) = (
        args.first().copied().unwrap_or(10_000),
        args.get(1).copied().unwrap_or(100),
        args.get(2).copied().unwrap_or(100_000),
    );
    let (listed, grew) = sdk_tests::load::list(items, 1_000).await;
    println!("list: {listed} items through items() in pages of 1000: peak memory grew {grew:.1} MB");
    let report = sdk_tests::load::run(calls, concurrency).await;
    println!(
        "load: {} calls ({concurrency} at a time, 1 in 4 a send with an attachment): {} answered, {} failed, {} connections, {:.2} s ({:.0} calls/s)",
        report.calls,
        report.answered,
        report.calls - report.answered,
        report.connections,
        report.elapsed.as_secs_f64(),
        report.calls as f64 / report.elapsed.as_secs_f64()
    );
    for (reason, n) in &report.failures {
        println!("  {n} failed: {reason}");
    }
    println!(
        "load memory: {:.1} MB resident after a tenth of the calls, {:.1} MB at the end, peak {:.1} MB",
        report.rss_early_mb, report.rss_end_mb, report.peak_mb
    );
}

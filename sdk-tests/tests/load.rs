//! The short, bounded version of the load run (`cargo xtask bench` runs the long one with
//! figures): many calls at once from one client on a multi-thread runtime, each answered, over
//! reused connections; and a long list read through `items()` to its end.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_calls_from_one_client_is_answered_over_reused_connections() {
    let report = sdk_tests::load::run(1_000, 50).await;
    assert_eq!(report.answered, report.calls, "failures: {:?}", report.failures);
    assert!(report.failures.is_empty());
    // Connections are reused: about one per call in flight (the pool may open a few more while
    // others are busy), far fewer than calls.
    assert!(report.connections <= 2 * 50, "connections: {}", report.connections);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_list_streams_to_its_end() {
    let (items, _) = sdk_tests::load::list(20_000, 1_000).await;
    assert_eq!(items, 20_000);
}

//! What the generated client costs per request, next to the same work written by hand with
//! reqwest and serde: sending a message with attachments (a multipart body) and reading a large
//! list answer, each against a local keep-alive server, and decoding that answer alone.
//!
//! Run by `cargo xtask bench`, which prints each pair's ratio; alone, `cargo bench -p sdk-tests
//! --bench per_request`. The generated client does more per call (retry policy, a `tracing`
//! span, tolerant reading); this measures what that costs. `allocations.rs` counts the same
//! calls' allocations.

mod common;

use common::{Fixture, LIST_ITEMS};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::time::Duration;

fn per_request(c: &mut Criterion) {
    let fixture = Fixture::new();

    let mut group = c.benchmark_group("send_message, 2 attachments of 32 KiB");
    group.bench_function(BenchmarkId::new("generated", "round trip"), |b| {
        b.iter(|| fixture.runtime.block_on(fixture.send_generated()))
    });
    group.bench_function(BenchmarkId::new("hand-written", "round trip"), |b| {
        b.iter(|| fixture.runtime.block_on(fixture.send_hand()))
    });
    group.finish();

    let mut group = c.benchmark_group(format!("list_bounces, {LIST_ITEMS} items"));
    group.bench_function(BenchmarkId::new("generated", "round trip"), |b| {
        b.iter(|| fixture.runtime.block_on(fixture.list_generated()))
    });
    group.bench_function(BenchmarkId::new("hand-written", "round trip"), |b| {
        b.iter(|| fixture.runtime.block_on(fixture.list_hand()))
    });
    group.bench_function(BenchmarkId::new("generated", "decode only"), |b| b.iter(|| fixture.decode_generated()));
    group.bench_function(BenchmarkId::new("hand-written", "decode only"), |b| b.iter(|| fixture.decode_hand()));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(40).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    targets = per_request
}
criterion_main!(benches);

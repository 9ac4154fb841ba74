//! How many heap allocations each call of the per-request benchmark makes, generated and
//! hand-written: a figure that, unlike time, does not drift with the machine's load.
//!
//! `cargo xtask bench` prints it after the timed runs; alone, `cargo bench -p sdk-tests --bench
//! allocations`. The count is of the whole process, so it includes the local server's work for
//! the call (the same for both sides but for the generated client's `User-Agent` header).

mod common;

use common::Fixture;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

/// The system allocator, counting.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Calls measured per figure, after as many to warm the connection pool and the caches.
const CALLS: u64 = 200;

/// The allocations per call of `call`, averaged over [`CALLS`].
fn per_call(mut call: impl FnMut()) -> f64 {
    (0..CALLS).for_each(|_| call());
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    (0..CALLS).for_each(|_| call());
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / CALLS as f64
}

fn main() {
    // `cargo bench` passes `--bench`; this target has no filter or options of its own.
    let fixture = Fixture::new();
    let rows = [
        (
            "send_message, 2 attachments of 32 KiB, round trip",
            per_call(|| fixture.runtime.block_on(fixture.send_generated())),
            per_call(|| fixture.runtime.block_on(fixture.send_hand())),
        ),
        (
            "list_bounces, 1000 items, round trip",
            per_call(|| fixture.runtime.block_on(fixture.list_generated())),
            per_call(|| fixture.runtime.block_on(fixture.list_hand())),
        ),
        (
            "list_bounces, 1000 items, decode only",
            per_call(|| fixture.decode_generated()),
            per_call(|| fixture.decode_hand()),
        ),
    ];
    for (call, generated, hand) in rows {
        println!("allocations per call, {call}: generated {generated:.1}, hand-written {hand:.1}");
    }
}

//! EC2 XML decoding against a bare quick-xml scan of the same bytes.
//!
//! `cargo bench -p tests --bench xml_decode` builds a ~20.7 MB
//! `DescribeBundleTasks` response in memory and measures, on the same body:
//!
//! - `quick_xml_scan`: a `read_event` loop that touches every event and
//!   does nothing else, the floor any quick-xml-based decoder stands on;
//! - `decode`: `DescribeBundleTasksResponse::from_xml` of the generated
//!   crate, which is `cloud_api_runtime::xml::decode` reading the events
//!   into the generated types' schema slots (a dev-dependency; cargo
//!   allows the cycle for benches).
//!
//! Criterion prints each one's time and throughput (MB/s); their ratio is
//! the cost of decoding over parsing.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use cloud_api_types::aws::ec2::DescribeBundleTasksResponse;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use quick_xml::events::Event;

mod body;

/// Reads every event of `xml`, returning how many there were.
fn scan(xml: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return events,
            Ok(event) => {
                black_box(&event);
                events += 1;
            }
            Err(e) => panic!("the bench body is well-formed: {e}"),
        }
    }
}

fn xml_decode(c: &mut Criterion) {
    let (body, tasks) = body::describe_bundle_tasks(body::BODY_BYTES);
    // Check once that the decoder reads what was built.
    match DescribeBundleTasksResponse::from_xml(&body) {
        Ok(decoded) => {
            let read = decoded.bundle_tasks.unwrap_or_default();
            assert_eq!(read.len(), tasks);
            // Every member of the last task was read, down to the deepest.
            let last = read.last().expect("tasks");
            let s3 = last.storage.as_ref().and_then(|s| s.s3.as_ref()).expect("storage.S3");
            assert!(s3.upload_policy.as_ref().is_some_and(|p| p.len() > 100), "uploadPolicy is a blob");
            assert!(last.start_time.is_some() && last.update_time.is_some() && last.state.is_some());
            assert!(last.bundle_task_error.as_ref().and_then(|e| e.message.as_deref()).is_some_and(|m| m.contains('&')));
        }
        Err(e) => panic!("the bench body decodes: {e}"),
    }
    let mut group = c.benchmark_group("describe_bundle_tasks_20mb");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(10);
    group.bench_function("quick_xml_scan", |b| b.iter(|| scan(black_box(&body))));
    // Each decoded value is dropped after its own timing (freeing it is the
    // caller's cost, whenever it is done with it), before the next decode,
    // which reuses the memory as a long-running program would.
    group.bench_function("decode", |b| {
        b.iter_batched(
            || (),
            |()| DescribeBundleTasksResponse::from_xml(black_box(&body)),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, xml_decode);
criterion_main!(benches);

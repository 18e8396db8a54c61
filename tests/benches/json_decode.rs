//! JSON decoding against plain `serde_json` of the same bytes.
//!
//! `cargo bench -p tests --bench json_decode` turns the ~20.7 MB
//! `DescribeBundleTasks` body of `xml_decode` into its JSON form (the same
//! values, written by the runtime's JSON encoder: ~14 MB) and measures:
//!
//! - `serde_json_value`: `serde_json::from_slice::<serde_json::Value>`,
//!   plain serde_json parsing the bytes into its own tree;
//! - `serde_json_derive`: `serde_json::from_slice` into the generated types
//!   through their serde derives (the generated crate's `serde` feature);
//! - `decode`: `cloud_api_types::runtime::json::decode`, the codec the generated
//!   `from_http` uses, which parses with serde_json and fills the schema
//!   slots from its tree.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use cloud_api_types::aws::ec2::DescribeBundleTasksResponse;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

mod body;

fn json_decode(c: &mut Criterion) {
    let (xml, tasks) = body::describe_bundle_tasks(body::BODY_BYTES);
    let value = DescribeBundleTasksResponse::from_xml(&xml).expect("the bench body decodes");
    let json = cloud_api_types::runtime::json::encode(&value).expect("the value encodes");
    let back: DescribeBundleTasksResponse = cloud_api_types::runtime::json::decode(&json).expect("the JSON decodes");
    assert_eq!(back.bundle_tasks.as_ref().map(Vec::len), Some(tasks));
    assert_eq!(back, value, "JSON encode → decode keeps the value");

    let mut group = c.benchmark_group("describe_bundle_tasks_json");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.sample_size(10);
    let run = |b: &mut criterion::Bencher<'_>, f: &dyn Fn() -> bool| {
        b.iter_batched(|| (), |()| f(), BatchSize::PerIteration)
    };
    group.bench_function("serde_json_value", |b| {
        run(b, &|| serde_json::from_slice::<serde_json::Value>(black_box(&json)).is_ok())
    });
    group.bench_function("serde_json_derive", |b| {
        run(b, &|| serde_json::from_slice::<DescribeBundleTasksResponse>(black_box(&json)).is_ok())
    });
    group.bench_function("decode", |b| {
        run(b, &|| cloud_api_types::runtime::json::decode::<DescribeBundleTasksResponse>(black_box(&json)).is_ok())
    });
    group.finish();
}

criterion_group!(benches, json_decode);
criterion_main!(benches);

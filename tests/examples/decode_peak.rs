//! Peak memory of one decode of the bench's ~20.7 MB `DescribeBundleTasks`
//! body. Run it twice under `/usr/bin/time -v` and subtract the
//! "Maximum resident set size" of the baseline (which only builds the body)
//! from that of the decode:
//!
//! ```sh
//! cargo build --release -p tests --example decode_peak
//! /usr/bin/time -v target/release/examples/decode_peak baseline
//! /usr/bin/time -v target/release/examples/decode_peak decode
//! ```
//!
//! (`decode_peak scan` runs the bench's bare quick-xml scan instead, for
//! comparisons with `perf stat`.)

use std::hint::black_box;

use cloud_api_types::aws::ec2::DescribeBundleTasksResponse;

#[path = "../benches/body.rs"]
mod body;

fn main() {
    let (body, tasks) = body::describe_bundle_tasks(body::BODY_BYTES);
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode == "scan" {
        // What the bench calls the bare scan, for `perf stat` comparisons.
        let mut reader = quick_xml::Reader::from_str(&body);
        let mut events = 0usize;
        while let Ok(event) = reader.read_event() {
            if event == quick_xml::events::Event::Eof {
                break;
            }
            black_box(&event);
            events += 1;
        }
        println!("scanned {events} events");
    } else if mode != "baseline" {
        match DescribeBundleTasksResponse::from_xml(black_box(&body)) {
            Ok(decoded) => {
                let read = decoded.bundle_tasks.as_ref().map_or(0, Vec::len);
                println!("decoded {read} of {tasks} bundle tasks from {} bytes", body.len());
                black_box(decoded);
            }
            Err(e) => {
                eprintln!("decode failed: {e}");
                std::process::exit(1);
            }
        }
    } else {
        println!("built {tasks} bundle tasks in {} bytes", black_box(&body).len());
    }
}

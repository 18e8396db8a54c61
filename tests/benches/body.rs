//! A large `DescribeBundleTasks` response body, built in memory: the same
//! `<item>` (a `BundleTask` with every member set) repeated, indented as
//! EC2 sends it. Shared by the `xml_decode` bench and the `decode_peak`
//! example.

use std::fmt::Write as _;

/// The size the benchmarks use, that of the response the work was measured on.
pub const BODY_BYTES: usize = 20_700_000;

/// A body of at least `bytes` bytes, and the number of bundle tasks in it.
pub fn describe_bundle_tasks(bytes: usize) -> (String, usize) {
    let mut body = String::with_capacity(bytes + 4096);
    body.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <DescribeBundleTasksResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\n  \
         <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>\n  \
         <bundleInstanceTasksSet>\n",
    );
    let mut tasks = 0usize;
    while body.len() < bytes {
        // Infallible: writing to a String.
        let _ = write!(
            body,
            "    <item>\n      \
             <bundleId>bun-{tasks:08x}</bundleId>\n      \
             <error>\n        <code>Client.InvalidParameterValue</code>\n        \
             <message>The bundle failed &amp; was retried at &lt;step 3&gt;</message>\n      </error>\n      \
             <instanceId>i-{tasks:017x}</instanceId>\n      \
             <progress>{progress}%</progress>\n      \
             <startTime>2008-10-07T11:41:50.000Z</startTime>\n      \
             <state>{state}</state>\n      \
             <storage>\n        <S3>\n          \
             <AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>\n          \
             <bucket>my-ami-bucket-{bucket}</bucket>\n          \
             <prefix>winami-{tasks}</prefix>\n          \
             <uploadPolicy>{POLICY}</uploadPolicy>\n          \
             <uploadPolicySignature>fh5tyyyQD8W4COEthj3nlGNEXAMPLE{tasks:x}</uploadPolicySignature>\n        \
             </S3>\n      </storage>\n      \
             <updateTime>2008-10-07T11:51:50.{millis:03}Z</updateTime>\n    \
             </item>\n",
            progress = tasks % 101,
            state = ["pending", "bundling", "storing", "complete", "failed"][tasks % 5],
            bucket = tasks % 97,
            millis = tasks % 1000,
        );
        tasks += 1;
    }
    body.push_str("  </bundleInstanceTasksSet>\n</DescribeBundleTasksResponse>\n");
    (body, tasks)
}

/// The base64 of an S3 upload policy (a JSON document of about 200 bytes).
const POLICY: &str = "eyJleHBpcmF0aW9uIjogIjIwMDgtMDgtMzBUMDg6NDk6MDlaIiwiY29uZGl0aW9ucyI6IFt7ImJ1Y2tldCI6ICJteS1idWNrZXQifSxbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAibXktbmV3LWltYWdlIl0seyJhY2wiOiAiZWMyLWJ1bmRsZS1yZWFkIn1dfQ==";

#!/usr/bin/env python3
"""Writes the small seed corpora under fuzz/seeds/ from the project's own files.

fuzz_model: every fixture pair that needs two files (joined with the target's
`#%%file` separator) plus hand-written YAML edge cases. The real models and
tests/fixtures are passed to libFuzzer as extra corpus folders instead of
being copied here.
fuzz_xml / fuzz_json: the `raw_response` bodies of the models' examples and
the response and error bodies of tests/tests/protocols.rs.

Run from fuzz/:  python3 seeds/make_seeds.py   (needs PyYAML only if present;
falls back to a small block-scalar reader).
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).resolve().parent
SEP = "\n#%%file\n"


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def raw_responses():
    """Bodies of `raw_response:` keys (block `|-` or single-quoted)."""
    out = []
    for path in sorted((ROOT / "models").rglob("*.yaml")):
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"^(\s*)raw_response:\s*(.*)$", line)
            if not m:
                continue
            indent, rest = len(m.group(1)), m.group(2)
            if rest.startswith("|") or rest.startswith(">"):
                body = []
                for nxt in lines[i + 1:]:
                    if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                        break
                    body.append(nxt.strip())
                out.append("\n".join(body).strip())
            elif rest.startswith("'"):
                out.append(rest[1:-1].replace("''", "'"))
            elif rest:
                out.append(rest)
    return out


def protocol_bodies():
    text = (ROOT / "tests/tests/protocols.rs").read_text()
    return re.findall(r'r#"(.*?)"#', text, flags=re.S)


def main():
    # ---- fuzz_model
    dup = sorted((ROOT / "tests/fixtures/bad/e0016_duplicate_service").rglob("*.yaml"))
    if dup:
        put("fuzz_model", SEP.join(p.read_text() for p in dup))
    models = sorted((ROOT / "models").rglob("*.yaml"))
    if len(models) >= 2:
        put("fuzz_model", SEP.join(p.read_text() for p in models[:2]))
    put("fuzz_model", "service: 3\n")
    put("fuzz_model", "\ufeffservice:\n  provider: aws\n  name: x\n")
    put("fuzz_model", "a: &a [*a, *a]\nb: &b {k: *a}\n")
    put("fuzz_model", "- " * 300 + "x\n")
    put("fuzz_model", "[" * 200 + "]" * 200 + "\n")
    put("fuzz_model", "{a: 1, a: 2}\n---\nsecond: doc\n")
    put("fuzz_model", "key:\r\n\t- value\r\n  bad: indent\n")
    put("fuzz_model", "shapes:\n  X:\n    type: string\n    pattern: '(a+)+$'\n    unknown: 1\n")
    put("fuzz_model",
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n")

    # Real models with one semantic change each, aimed at checks that byte
    # mutations reach rarely (found unreached by a coverage run).
    ib = (ROOT / "models/aws/imagebuilder.yaml").read_text()
    ec2 = (ROOT / "models/aws/ec2.yaml").read_text()
    fsx = (ROOT / "models/aws/fsx.yaml").read_text()
    variants = [
        (ib, "    http:\n      method: PUT\n      path: /CancelLifecycleExecution\n", ""),
        (ib, "      - ClientException\n", "      - ClientException\n      - ClientException\n"),
        (ib, "      - ClientException\n", "      - ClientException\n      - Client_Exception\n"),
        (ib, "\nerrors:\n", "\nerrors:\n  Client_Exception:\n    code: Client_Exception\n"
             "    http_status: 400\n    fault: client\n    docs: A clash.\n"),
        # members of every scalar kind (and a list of timestamps, and a Rust
        # name clash) together with the shapes they target
        (ib.replace(
            "      - name: lifecycleExecutionId\n        target: LifecycleExecutionId\n        required: true\n",
            "      - name: lifecycleExecutionId\n        target: LifecycleExecutionId\n        required: true\n"
            "      - name: lifecycle_execution_id\n        target: LifecycleExecutionId\n"
            "      - name: times\n        target: Times\n      - name: count\n        target: Count\n"
            "        example: '3'\n      - name: flag\n        target: Flag\n      - name: ratio\n"
            "        target: Ratio\n      - name: data\n        target: Data\n", 1),
         "\n  ClientToken:\n", "\n  Times:\n    type: list\n    member: Stamp\n  Stamp:\n"
             "    type: timestamp\n    format: epoch-seconds\n  Count:\n    type: integer\n    min: 1\n"
             "  Flag:\n    type: boolean\n  Ratio:\n    type: double\n  Data:\n    type: blob\n"
             "\n  ClientToken:\n"),
        (ec2, '  xml_namespace: "http://ec2.amazonaws.com/doc/2016-11-15/"\n', ""),
        (fsx, "  target_prefix: AWSSimbaAPIService_v20180301\n", ""),
    ]
    for text, old, new in variants:
        if old in text:
            put("fuzz_model", text.replace(old, new, 1))

    # ---- fuzz_xml / fuzz_json
    for body in raw_responses() + protocol_bodies():
        body = body.strip()
        if body.startswith("<"):
            put("fuzz_xml", body)
            put("fuzz_json", body)
        elif body.startswith("{"):
            put("fuzz_json", body)
            # with a first line that becomes x-amzn-ErrorType / RequestId
            put("fuzz_json", "ResourceInUseException:http://internal.amazon.com/coral/\n" + body)
    put("fuzz_json", "com.amazonaws.fsx#DataRepositoryTaskEnded\n{\"Message\":\"m\"}")
    put("fuzz_json", "\n")
    put("fuzz_xml", "<Response><Errors><Error><Code>X</Code></Error></Errors><RequestId>r</RequestId></Response>")
    put("fuzz_xml", "<a>&#x10FFFF;&lt;<![CDATA[x]]><!-- c --><?pi x?></a>")


if __name__ == "__main__":
    main()

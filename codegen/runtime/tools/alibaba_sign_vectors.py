#!/usr/bin/env python3
"""Computes the test vectors of the Alibaba Cloud RPC signer
(`src/alibaba.rs`) with the vendor's own Python SDKs, and prints them as
JSON (committed as `tests/fixtures/alibaba_sign_vectors.json`).

Only the vectors are committed, never the SDKs. To regenerate, in a
virtual environment outside the repository:

    python3 -m venv /tmp/alisdk
    /tmp/alisdk/bin/pip install aliyun-python-sdk-core alibabacloud-tea-openapi
    /tmp/alisdk/bin/python codegen/runtime/tools/alibaba_sign_vectors.py \
        > codegen/runtime/tests/fixtures/alibaba_sign_vectors.json

Each vector is signed by two SDKs, which must agree:

- `alibabacloud-tea-openapi` (the current SDK): `Utils.get_rpcsignature`,
  the function its RPC client calls with the request's query parameters and
  form body merged, after adding `SignatureMethod`, `SignatureVersion`,
  `AccessKeyId` (and `SecurityToken`) to the query;
- `aliyun-python-sdk-core` (the older SDK): the string-to-sign and the
  signature of `aliyunsdkcore.auth.composer.rpc_signature_composer`.

The script also checks that both reproduce the worked example of the ECS
"Request signatures" page (DescribeRegions, `OLeaidS1JvxuMvnyHOwuJ+uX5qY=`).
"""

import json
import re
import sys
from importlib.metadata import version

from aliyunsdkcore.auth.composer import rpc_signature_composer as core
from alibabacloud_tea_openapi.utils import Utils as tea

# Module-level functions with a leading `__` are private by convention
# only; reach them by name.
core_string_to_sign = getattr(core, "__compose_string_to_sign")
core_signature = getattr(core, "__get_signature")

# The worked example of the ECS API reference, "Request signatures"
# (AlibabaCloudDocs/ecs, intl.en-US/API Reference/Getting started/Request signatures.md).
DOC_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
    "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
    "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
)
DOC_SIGNATURE = "OLeaidS1JvxuMvnyHOwuJ+uX5qY="

CANCEL = [
    ("Action", "CancelImagePipelineExecution"),
    ("Version", "2014-05-26"),
    ("Format", "JSON"),
    ("RegionId", "cn-hangzhou"),
    ("ExecutionId", "exec-5fb8facb8ed7427c****"),
]

VECTORS = [
    dict(
        name="the documented DescribeRegions example",
        method="GET",
        access_key_id="testid", access_key_secret="testsecret", security_token=None,
        nonce="3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", timestamp="2016-02-23T12:46:24Z",
        params=[("Format", "XML"), ("Action", "DescribeRegions"), ("Version", "2014-05-26")],
    ),
    dict(
        name="CancelImagePipelineExecution as the generated to_http posts it (a `*` in a value)",
        method="POST",
        access_key_id="LTAI5tExampleKeyId", access_key_secret="ExampleSecret0123456789abcdef", security_token=None,
        nonce="0f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", timestamp="2026-12-01T14:45:50Z",
        params=CANCEL,
    ),
    dict(
        name="the same parameters sent with GET sign differently",
        method="GET",
        access_key_id="LTAI5tExampleKeyId", access_key_secret="ExampleSecret0123456789abcdef", security_token=None,
        nonce="0f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", timestamp="2026-12-01T14:45:50Z",
        params=CANCEL,
    ),
    dict(
        name="a flattened list: TemplateTag.10 sorts before TemplateTag.2, empty values kept",
        method="POST",
        access_key_id="testid", access_key_secret="testsecret", security_token=None,
        nonce="list-nonce-1", timestamp="2020-02-29T00:00:00Z",
        params=CANCEL[:4]
        + [(f"TemplateTag.{i}.Key", f"k{i}") for i in range(1, 11)]
        + [("TemplateTag.1.Value", "v1"), ("TemplateTag.2.Value", ""), ("TemplateTag.10.Value", "v 10")]
        + CANCEL[4:],
    ),
    dict(
        name="unicode: CJK, accents, a symbol and an emoji outside the BMP",
        method="GET",
        access_key_id="testid", access_key_secret="testsecret", security_token=None,
        nonce="9b2f6c1e-unicode", timestamp="1999-12-31T23:59:59Z",
        params=[("Action", "ModifyImageAttribute"), ("Version", "2014-05-26"), ("Format", "JSON"),
                ("RegionId", "cn-hangzhou"), ("ImageId", "m-bp1g7004ksh0oeuc****"),
                ("Description", "镜像构建 – ünïcödé ✓ 🚀"), ("ImageName", "Ünïcode-名前")],
    ),
    dict(
        name="reserved characters: space, +, &, =, /, ?, #, %, quotes, parentheses, ! and an existing %7E",
        method="POST",
        access_key_id="testid", access_key_secret="testsecret", security_token=None,
        nonce="reserved-2", timestamp="2016-02-23T12:46:24Z",
        params=[("Action", "CreateImage"), ("Version", "2014-05-26"), ("Format", "JSON"),
                ("Description", "a b+c&d=e/f?g#h%i \"q\" 'a' (p) !x %7E"),
                ("ImageName", "name:with;semi,comma@at$dollar[br]{cu}|pipe\\back^caret`tick")],
    ),
    dict(
        name="`*` becomes %2A and `~` stays, in values and in the nonce",
        method="GET",
        access_key_id="testid", access_key_secret="testsecret", security_token=None,
        nonce="~nonce*with*stars~", timestamp="2016-02-23T12:46:24Z",
        params=[("Action", "DescribeImages"), ("Version", "2014-05-26"), ("Format", "JSON"),
                ("ImageName", "*~*~"), ("Tag.1.Key", "~"), ("Tag.1.Value", "*")],
    ),
    dict(
        name="STS credentials: SecurityToken signed; a secret with reserved and non-ASCII characters",
        method="POST",
        access_key_id="STS.NUgYrLnoC37mZZCNnAbez2E3", access_key_secret="s3cr3t/+=&ü", security_token="CAIS+token/with=reserved&chars==",
        nonce="sts-nonce-3", timestamp="2026-01-15T08:30:00Z",
        params=CANCEL,
    ),
    dict(
        name="empty values and case-sensitive byte-order sorting of names",
        method="GET",
        access_key_id="testid", access_key_secret="testsecret", security_token=None,
        nonce="sort-4", timestamp="2016-02-23T12:46:24Z",
        params=[("Action", "DescribeRegions"), ("Version", "2014-05-26"), ("Format", "JSON"),
                ("regionId", "lower"), ("RegionId", ""), ("Region.1", "dot"), ("Region", "bare"),
                ("Region_x", "underscore"), ("ResourceOwnerAccount", "")],
    ),
]


def signed_params(v):
    """The parameters the signature covers: the request's, and those the signer adds."""
    params = dict(v["params"])
    assert len(params) == len(v["params"]), f"{v['name']}: duplicate names"
    params.update({
        "AccessKeyId": v["access_key_id"],
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": v["nonce"],
        "Timestamp": v["timestamp"],
    })
    if v["security_token"] is not None:
        params["SecurityToken"] = v["security_token"]
    return params


def main():
    out = []
    for v in VECTORS:
        params = signed_params(v)
        by_tea = tea.get_rpcsignature(params, v["method"], v["access_key_secret"])
        string_to_sign = core_string_to_sign(v["method"], params)
        by_core = core_signature(string_to_sign, v["access_key_secret"])
        assert by_tea == by_core, f"{v['name']}: the SDKs disagree: {by_tea} != {by_core}"
        out.append({**v, "params": [list(p) for p in v["params"]],
                    "string_to_sign": string_to_sign, "signature": by_tea})
    doc = out[0]
    assert doc["string_to_sign"] == DOC_STRING_TO_SIGN, doc["string_to_sign"]
    assert doc["signature"] == DOC_SIGNATURE, doc["signature"]
    text = json.dumps({
        "note": "Alibaba Cloud RPC signatures (HMAC-SHA1, SignatureVersion 1.0) computed by "
                "codegen/runtime/tools/alibaba_sign_vectors.py with the vendor's Python SDKs, which agree "
                "on every vector: alibabacloud-tea-openapi (Utils.get_rpcsignature) and "
                "aliyun-python-sdk-core (rpc_signature_composer). `params` are the request's parameters "
                "before signing; the signature also covers AccessKeyId, SignatureMethod=HMAC-SHA1, "
                "SignatureVersion=1.0, SignatureNonce (`nonce`), Timestamp (`timestamp`) and, when set, "
                "SecurityToken (`security_token`). The first vector is the worked example of the ECS "
                "\"Request signatures\" page.",
        "sdks": {name: version(name) for name in ["alibabacloud-tea-openapi", "aliyun-python-sdk-core"]},
        "python": sys.version.split()[0],
        "vectors": out,
    }, ensure_ascii=False, indent=2)
    # One line a parameter: `["Name", "value"]`.
    text = re.sub(r'\[\n\s+("(?:[^"\\]|\\.)*"),\n\s+("(?:[^"\\]|\\.)*")\n\s+\]', r"[\1, \2]", text)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()

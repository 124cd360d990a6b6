"""The 2026-07-28 envelope: _meta and mirrored headers checked in the
spec's order, the header value codec, and x-mcp-header annotations."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from mcp_transport.envelope import (
    CLIENT_CAPABILITIES_KEY,
    CLIENT_INFO_KEY,
    HEADER_MISMATCH,
    LOG_LEVEL_KEY,
    MISSING_CLIENT_CAPABILITY,
    MODERN_VERSIONS,
    PROTOCOL_VERSION_KEY,
    UNSUPPORTED_PROTOCOL_VERSION,
    Envelope,
    check_param_headers,
    decode_header_value,
    encode_header_value,
    http_status,
    invalid_header_annotation,
    read_envelope,
    unsupported_version_error,
)
from mcp_transport.jsonrpc import INVALID_PARAMS, JsonRpcError

VERSION = "2026-07-28"


def meta(**extra: Any) -> dict[str, Any]:
    return {PROTOCOL_VERSION_KEY: VERSION, CLIENT_CAPABILITIES_KEY: {}, **extra}


def headers_for(method: str, version: str = VERSION, **extra: str) -> dict[str, str]:
    return {"mcp-protocol-version": version, "mcp-method": method, **extra}


def error_of(method: str, params: dict[str, Any], headers: dict[str, str] | None) -> JsonRpcError:
    with pytest.raises(JsonRpcError) as info:
        read_envelope(method, params, headers)
    return info.value


# --- read_envelope ----------------------------------------------------------


def test_a_complete_envelope_is_read() -> None:
    params = {"_meta": {PROTOCOL_VERSION_KEY: VERSION, CLIENT_CAPABILITIES_KEY: {"elicitation": {}},
                        CLIENT_INFO_KEY: {"name": "c", "version": "1"}, LOG_LEVEL_KEY: "warning"}}
    envelope = read_envelope("tools/list", params, headers_for("tools/list"))
    assert envelope == Envelope(VERSION, {"elicitation": {}}, {"name": "c", "version": "1"}, "warning")


def test_client_info_and_log_level_are_optional() -> None:
    envelope = read_envelope("ping", {"_meta": meta()}, None)
    assert envelope == Envelope(VERSION, {}, None, None)


@pytest.mark.parametrize("level", ["trace", "WARNING", "", 3, None, ["debug"]])
def test_an_unknown_log_level_reads_as_none(level: Any) -> None:
    assert read_envelope("ping", {"_meta": meta(**{LOG_LEVEL_KEY: level})}, None).log_level is None


@pytest.mark.parametrize("level", ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"])
def test_every_rfc5424_level_is_read(level: str) -> None:
    assert read_envelope("ping", {"_meta": meta(**{LOG_LEVEL_KEY: level})}, None).log_level == level


def test_a_client_info_that_is_not_an_object_is_ignored() -> None:
    assert read_envelope("ping", {"_meta": meta(**{CLIENT_INFO_KEY: "c"})}, None).client_info is None


@pytest.mark.parametrize("params", [{}, {"_meta": None}, {"_meta": []}, {"_meta": "x"}])
def test_without_a_meta_object_both_keys_are_named(params: dict[str, Any]) -> None:
    error = error_of("ping", params, None)
    assert error.code == INVALID_PARAMS
    assert PROTOCOL_VERSION_KEY in error.message and CLIENT_CAPABILITIES_KEY in error.message


@pytest.mark.parametrize(("present", "missing"), [
    ({CLIENT_CAPABILITIES_KEY: {}}, [PROTOCOL_VERSION_KEY]),
    ({PROTOCOL_VERSION_KEY: VERSION}, [CLIENT_CAPABILITIES_KEY]),
    ({CLIENT_INFO_KEY: {"name": "c"}}, [PROTOCOL_VERSION_KEY, CLIENT_CAPABILITIES_KEY]),
])
def test_the_missing_keys_are_named(present: dict[str, Any], missing: list[str]) -> None:
    error = error_of("ping", {"_meta": present}, None)
    assert error.code == INVALID_PARAMS
    for key in (PROTOCOL_VERSION_KEY, CLIENT_CAPABILITIES_KEY):
        assert (key in error.message) == (key in missing)


@pytest.mark.parametrize("capabilities", [None, [], "all", 1])
def test_client_capabilities_must_be_an_object(capabilities: Any) -> None:
    error = error_of("ping", {"_meta": meta(**{CLIENT_CAPABILITIES_KEY: capabilities})}, None)
    assert error.code == INVALID_PARAMS and CLIENT_CAPABILITIES_KEY in error.message


@pytest.mark.parametrize("version", [20260728, None, ["2026-07-28"]])
def test_a_version_that_is_not_a_string_is_invalid_params(version: Any) -> None:
    error = error_of("ping", {"_meta": meta(**{PROTOCOL_VERSION_KEY: version})}, None)
    assert error.code == INVALID_PARAMS and PROTOCOL_VERSION_KEY in error.message


@pytest.mark.parametrize("version", ["2025-11-25", "2025-06-18", "2099-01-01", ""])
def test_a_version_we_do_not_speak_is_refused_with_what_we_do(version: str) -> None:
    error = error_of("ping", {"_meta": meta(**{PROTOCOL_VERSION_KEY: version})}, headers_for("ping", version))
    assert error.code == UNSUPPORTED_PROTOCOL_VERSION
    assert error.data == {"supported": list(MODERN_VERSIONS), "requested": version}


def test_the_unsupported_version_error_is_the_one_requests_get() -> None:
    error = unsupported_version_error("1999-01-01")
    assert (error.code, error.data) == (UNSUPPORTED_PROTOCOL_VERSION, {"supported": ["2026-07-28"],
                                                                       "requested": "1999-01-01"})
    assert error.to_json()["data"]["requested"] == "1999-01-01"


@pytest.mark.parametrize("version_header", [None, "2025-11-25", "2026-07-28 ", ""])
def test_the_protocol_version_header_must_equal_meta(version_header: str | None) -> None:
    headers = {"mcp-method": "ping"}
    if version_header is not None:
        headers["mcp-protocol-version"] = version_header
    error = error_of("ping", {"_meta": meta()}, headers)
    assert error.code == HEADER_MISMATCH and "MCP-Protocol-Version" in error.message


@pytest.mark.parametrize("method_header", [None, "tools/list", "PING", ""])
def test_the_method_header_must_equal_the_method(method_header: str | None) -> None:
    headers = {"mcp-protocol-version": VERSION}
    if method_header is not None:
        headers["mcp-method"] = method_header
    error = error_of("ping", {"_meta": meta()}, headers)
    assert error.code == HEADER_MISMATCH and "Mcp-Method" in error.message


@pytest.mark.parametrize(("method", "param"), [("tools/call", "name"), ("prompts/get", "name"),
                                               ("resources/read", "uri")])
def test_the_name_header_must_equal_the_named_param(method: str, param: str) -> None:
    params = {"_meta": meta(), param: "thing"}
    read_envelope(method, params, headers_for(method, **{"mcp-name": "thing"}))
    for wrong in ({}, {"mcp-name": "other"}, {"mcp-name": "Thing"}, {"mcp-name": "=?base64?dGhpbmc?"}):
        error = error_of(method, params, headers_for(method, **wrong))
        assert error.code == HEADER_MISMATCH and "Mcp-Name" in error.message


def test_the_name_header_is_decoded_before_comparing() -> None:
    uri = "file:///données/ rapport.txt"
    params = {"_meta": meta(), "uri": uri}
    read_envelope("resources/read", params, headers_for("resources/read", **{"mcp-name": encode_header_value(uri)}))
    error = error_of("resources/read", params, headers_for("resources/read", **{"mcp-name": "=?base64?!!?="}))
    assert error.code == HEADER_MISMATCH


def test_without_the_named_param_the_name_header_is_not_checked() -> None:
    # The dispatcher reports the missing or malformed name itself.
    read_envelope("tools/call", {"_meta": meta()}, headers_for("tools/call"))
    read_envelope("tools/call", {"_meta": meta(), "name": 7}, headers_for("tools/call", **{"mcp-name": "x"}))
    # Methods that name nothing ignore the header.
    read_envelope("tools/list", {"_meta": meta(), "name": "x"}, headers_for("tools/list", **{"mcp-name": "y"}))


def test_off_http_headers_are_not_checked() -> None:
    assert read_envelope("tools/call", {"_meta": meta(), "name": "t"}, None).protocol_version == VERSION


def test_rules_apply_in_order() -> None:
    # 1 before 2: a missing key wins over every header.
    error = error_of("tools/call", {"_meta": {PROTOCOL_VERSION_KEY: VERSION}, "name": "t"}, {})
    assert error.code == INVALID_PARAMS
    # Bad capabilities (still rule 1) win over headers too.
    error = error_of("ping", {"_meta": meta(**{CLIENT_CAPABILITIES_KEY: 1})}, {})
    assert error.code == INVALID_PARAMS
    # 2 before 3: header mismatches win over an unsupported or non-string version.
    unsupported = {"_meta": meta(**{PROTOCOL_VERSION_KEY: "2025-11-25"})}
    assert error_of("ping", unsupported, headers_for("ping")).code == HEADER_MISMATCH
    not_a_string = {"_meta": meta(**{PROTOCOL_VERSION_KEY: 5})}
    assert error_of("ping", not_a_string, headers_for("ping")).code == HEADER_MISMATCH
    # Within 2: the version header, then the method, then the name.
    all_wrong = headers_for("ping", "2025-11-25", **{"mcp-name": "u"})
    assert "MCP-Protocol-Version" in error_of("tools/call", {"_meta": meta(), "name": "t"}, all_wrong).message
    method_and_name = headers_for("ping", **{"mcp-name": "u"})
    assert "Mcp-Method" in error_of("tools/call", {"_meta": meta(), "name": "t"}, method_and_name).message
    # Without headers rule 3 decides.
    assert error_of("ping", unsupported, None).code == UNSUPPORTED_PROTOCOL_VERSION
    assert error_of("ping", not_a_string, None).code == INVALID_PARAMS


# --- HTTP statuses ----------------------------------------------------------


@pytest.mark.parametrize(("code", "status"), [
    (-32700, 400), (-32600, 400), (-32602, 400), (HEADER_MISMATCH, 400), (MISSING_CLIENT_CAPABILITY, 400),
    (UNSUPPORTED_PROTOCOL_VERSION, 400), (-32601, 404), (-32603, 200), (-32002, 200), (-32000, 200), (0, 200),
])
def test_http_status_of_each_code(code: int, status: int) -> None:
    assert http_status(code) == status


# --- header value codec -----------------------------------------------------


@pytest.mark.parametrize("value", ["us-west1", "a b", "", "x=?base64?", "?=", "=?BASE64?YQ==?=", "~!@#$%^&*()"])
def test_plain_values_pass_as_they_are(value: str) -> None:
    assert encode_header_value(value) == value
    assert decode_header_value(value) == value


@pytest.mark.parametrize("value", [
    "Hello, 世界", "café", " leading", "trailing ", " ", "tab\there", "line\nbreak", "nul\x00", "\x7f",
    "=?base64?YQ==?=", "=?base64?not base64?=", "=?base64?=", "=?base64??=", "😀",
])
def test_other_values_round_trip_through_the_sentinel(value: str) -> None:
    encoded = encode_header_value(value)
    assert encoded.startswith("=?base64?") and encoded.endswith("?=")
    assert all(0x21 <= ord(c) <= 0x7E for c in encoded)
    assert encoded[len("=?base64?"):-2] == base64.b64encode(value.encode()).decode()
    assert decode_header_value(encoded) == value


def test_the_spec_example_decodes() -> None:
    assert decode_header_value("=?base64?SGVsbG8sIOS4lueVjA==?=") == "Hello, 世界"


@pytest.mark.parametrize("value", [
    "=?base64?YQ?=",        # padding missing
    "=?base64?YR==?=",      # unused bits set: not the canonical form of "a"
    "=?base64?YQ=?=",       # wrong padding
    "=?base64?Y Q==?=",     # not in the alphabet
    "=?base64?YQ==\n?=",
    "=?base64?YQ-_?=",      # URL-safe alphabet
    "=?base64?/w==?=",      # 0xff is not UTF-8
    "=?base64?7aCA?=",      # a UTF-16 surrogate is not UTF-8
    "=?base64?=",           # the markers overlap
])
def test_malformed_sentinels_decode_to_none(value: str) -> None:
    assert decode_header_value(value) is None


def test_a_lone_surrogate_encodes_but_decodes_to_nothing() -> None:
    encoded = encode_header_value("a\ud800")
    assert encoded.startswith("=?base64?") and decode_header_value(encoded) is None
    assert "Mcp-Param-Region" in mismatch({"region": "a\ud800"}, {"mcp-param-region": encoded})


def test_an_absent_header_decodes_to_none() -> None:
    assert decode_header_value(None) is None


def test_an_empty_sentinel_is_the_empty_string() -> None:
    assert decode_header_value("=?base64??=") == ""


# --- x-mcp-header annotations -----------------------------------------------


def schema(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


REGION = {"type": "string", "x-mcp-header": "Region"}


@pytest.mark.parametrize("input_schema", [
    schema(region=REGION, query={"type": "string"}),
    schema(region=REGION, count={"type": "integer", "x-mcp-header": "Count"},
           dry={"type": "boolean", "x-mcp-header": "Dry-Run"}),
    schema(options={"type": "object", "properties": {"limit": {"type": "integer", "x-mcp-header": "Limit"}}}),
    schema(odd={"type": "string", "x-mcp-header": "!#$%&'*+-.^_`|~09azAZ"}),
    # A property named like the annotation, and annotations inside data, are not annotations.
    schema(**{"x-mcp-header": {"type": "string"}}),
    {"type": "object", "properties": {}, "default": {"x-mcp-header": "bad token"},
     "examples": [{"x-mcp-header": 1}], "enum": [{"x-mcp-header": ""}], "const": {"x-mcp-header": None}},
    # "$ref" is never followed, so a reference to an annotated property does not count.
    {"type": "object", "properties": {"a": {"$ref": "#/$defs/x"}}, "$defs": {"x": {"type": "string"}}},
    {}, True, None, "not a schema", [],
])
def test_valid_schemas(input_schema: Any) -> None:
    assert invalid_header_annotation(input_schema) is None


@pytest.mark.parametrize(("input_schema", "why"), [
    ({"type": "object", "x-mcp-header": "Root"}, "properties"),
    (schema(tags={"type": "array", "items": {"type": "string", "x-mcp-header": "Tag"}}), "properties"),
    (schema(tags={"type": "array", "items": [{"type": "string", "x-mcp-header": "Tag"}]}), "properties"),
    (schema(tags={"type": "array", "prefixItems": [{"type": "string", "x-mcp-header": "Tag"}]}), "properties"),
    ({"anyOf": [schema(region=REGION)]}, "properties"),
    ({"allOf": [schema(region=REGION)]}, "properties"),
    ({"oneOf": [schema(region=REGION)]}, "properties"),
    ({"not": schema(region=REGION)}, "properties"),
    ({"if": {}, "then": schema(region=REGION)}, "properties"),
    ({"else": schema(region=REGION)}, "properties"),
    ({"$defs": {"r": REGION}, "properties": {"r": {"$ref": "#/$defs/r"}}}, "properties"),
    ({"definitions": {"r": REGION}}, "properties"),
    ({"patternProperties": {"^r": REGION}}, "properties"),
    ({"additionalProperties": REGION}, "properties"),
    ({"dependentSchemas": {"a": schema(region=REGION)}}, "properties"),
    (schema(nested={"anyOf": [{"type": "object", "properties": {"r": REGION}}]}), "properties"),
    ({"x-vendor": {"properties": {"r": REGION}}}, "properties"),
    (schema(region={"type": "string", "x-mcp-header": "Bad Name"}), "token"),
    (schema(region={"type": "string", "x-mcp-header": "Bad:Name"}), "token"),
    (schema(region={"type": "string", "x-mcp-header": "Régión"}), "token"),
    (schema(region={"type": "string", "x-mcp-header": "Name\r\nX-Injected: 1"}), "token"),
    (schema(region={"type": "string", "x-mcp-header": ""}), "token"),
    (schema(region={"type": "string", "x-mcp-header": 7}), "string"),
    (schema(region={"type": "string", "x-mcp-header": None}), "string"),
    (schema(region={"type": "number", "x-mcp-header": "Region"}), "integer or boolean"),
    (schema(region={"type": "object", "x-mcp-header": "Region"}), "integer or boolean"),
    (schema(region={"type": "array", "x-mcp-header": "Region"}), "integer or boolean"),
    (schema(region={"type": ["string", "null"], "x-mcp-header": "Region"}), "integer or boolean"),
    (schema(region={"x-mcp-header": "Region"}), "integer or boolean"),
    (schema(a=REGION, b={"type": "string", "x-mcp-header": "region"}), "already"),
    (schema(a=REGION, o={"type": "object", "properties": {"b": {"type": "integer", "x-mcp-header": "REGION"}}}),
     "already"),
])
def test_invalid_annotations_say_why(input_schema: Any, why: str) -> None:
    reason = invalid_header_annotation(input_schema)
    assert reason is not None and why in reason


def test_a_deep_schema_is_walked_without_recursion() -> None:
    deep: dict[str, Any] = {"type": "string", "x-mcp-header": "Deep"}
    for _ in range(5000):
        deep = {"type": "object", "properties": {"p": deep}}
    assert invalid_header_annotation(deep) is None
    buried: Any = {"type": "string", "x-mcp-header": "Deep"}
    for _ in range(5000):
        buried = {"anyOf": [buried]}
    assert invalid_header_annotation(schema(p=buried)) is not None


def test_a_schema_too_large_to_walk_is_refused() -> None:
    huge = schema(**{f"p{i}": {"type": "string"} for i in range(200_000)})
    reason = invalid_header_annotation(huge)
    assert reason is not None and "too large" in reason


def test_a_cyclic_structure_ends() -> None:
    cyclic: dict[str, Any] = {"type": "object"}
    cyclic["properties"] = {"self": cyclic}
    assert invalid_header_annotation(cyclic) is not None


# --- Mcp-Param-* headers ----------------------------------------------------


TOOL = schema(
    region={"type": "string", "x-mcp-header": "Region"},
    count={"type": "integer", "x-mcp-header": "Count"},
    dry={"type": "boolean", "x-mcp-header": "Dry-Run"},
    options={"type": "object", "properties": {"tenant": {"type": "string", "x-mcp-header": "Tenant"}}},
    query={"type": "string"},
)


def mismatch(arguments: dict[str, Any], headers: dict[str, str], input_schema: Any = TOOL) -> str:
    with pytest.raises(JsonRpcError) as info:
        check_param_headers(input_schema, arguments, headers)
    assert info.value.code == HEADER_MISMATCH
    return info.value.message


def test_matching_headers_pass() -> None:
    arguments = {"region": "us-west1", "count": 3, "dry": False, "options": {"tenant": "t1"}, "query": "q"}
    headers = {"mcp-param-region": "us-west1", "mcp-param-count": "3", "mcp-param-dry-run": "false",
               "mcp-param-tenant": "t1"}
    check_param_headers(TOOL, arguments, headers)


def test_absent_and_null_arguments_need_no_header() -> None:
    check_param_headers(TOOL, {}, {})
    check_param_headers(TOOL, {"region": None, "count": None, "options": None, "query": "q"}, {})
    check_param_headers(TOOL, {"options": {"tenant": None}}, {})
    check_param_headers(TOOL, {"options": "not an object"}, {})


def test_a_header_without_its_argument_is_a_mismatch() -> None:
    assert "Mcp-Param-Region" in mismatch({}, {"mcp-param-region": "us"})
    assert "Mcp-Param-Region" in mismatch({"region": None}, {"mcp-param-region": "us"})
    assert "Mcp-Param-Tenant" in mismatch({"options": {}}, {"mcp-param-tenant": "t"})


def test_an_argument_without_its_header_is_a_mismatch() -> None:
    assert "Mcp-Param-Region" in mismatch({"region": "us"}, {})
    assert "Mcp-Param-Dry-Run" in mismatch({"dry": False}, {})
    assert "Mcp-Param-Count" in mismatch({"count": 0}, {})
    assert "Mcp-Param-Region" in mismatch({"region": ""}, {})
    assert "Mcp-Param-Tenant" in mismatch({"options": {"tenant": "t"}}, {})


def test_a_different_value_is_a_mismatch() -> None:
    assert "Mcp-Param-Region" in mismatch({"region": "us"}, {"mcp-param-region": "eu"})
    assert "Mcp-Param-Region" in mismatch({"region": "us"}, {"mcp-param-region": "US"})
    assert "Mcp-Param-Dry-Run" in mismatch({"dry": True}, {"mcp-param-dry-run": "True"})
    assert "Mcp-Param-Dry-Run" in mismatch({"dry": True}, {"mcp-param-dry-run": "1"})
    assert "Mcp-Param-Region" in mismatch({"region": {"a": 1}}, {"mcp-param-region": '{"a":1}'})


def test_a_malformed_sentinel_is_a_mismatch() -> None:
    message = mismatch({"region": "us"}, {"mcp-param-region": "=?base64?dXM?="})
    assert "Mcp-Param-Region" in message and "encoded" in message


def test_encoded_values_are_decoded_before_comparing() -> None:
    for value in ("Zürich", " padded ", "=?base64?x?=", "日本"):
        check_param_headers(TOOL, {"region": value}, {"mcp-param-region": encode_header_value(value)})
    # A plain value may also arrive encoded.
    check_param_headers(TOOL, {"region": "us"}, {"mcp-param-region": "=?base64?dXM=?="})


@pytest.mark.parametrize("header", ["42", "42.0", "42.000", "=?base64?NDI=?="])
def test_integers_compare_numerically(header: str) -> None:
    check_param_headers(TOOL, {"count": 42}, {"mcp-param-count": header})
    check_param_headers(TOOL, {"count": 42.0}, {"mcp-param-count": header})


@pytest.mark.parametrize("header", ["42.5", "+42", "042", "4.2e1", " 42", "42 ", "0x2a", "forty-two", "", "-42",
                                    "42.", ".42", "4" * 500])
def test_other_numbers_and_non_numbers_are_a_mismatch(header: str) -> None:
    assert "Mcp-Param-Count" in mismatch({"count": 42}, {"mcp-param-count": header})


def test_negative_zero_and_large_integers() -> None:
    check_param_headers(TOOL, {"count": -7}, {"mcp-param-count": "-7"})
    check_param_headers(TOOL, {"count": 0}, {"mcp-param-count": "-0"})
    check_param_headers(TOOL, {"count": 2**53 - 1}, {"mcp-param-count": "9007199254740991"})
    mismatch({"count": 2**53 + 1}, {"mcp-param-count": "9007199254740992"})


def test_a_string_argument_compares_as_a_string() -> None:
    check_param_headers(TOOL, {"count": "42"}, {"mcp-param-count": "42"})
    mismatch({"count": "42"}, {"mcp-param-count": "42.0"})


def test_header_names_are_matched_case_insensitively() -> None:
    upper = schema(r={"type": "string", "x-mcp-header": "X-REGION"})
    check_param_headers(upper, {"r": "us"}, {"mcp-param-x-region": "us"})
    assert "Mcp-Param-X-REGION" in mismatch({"r": "us"}, {}, upper)


def test_a_schema_with_an_invalid_annotation_validates_nothing() -> None:
    broken = schema(region={"type": "string", "x-mcp-header": "Region"},
                    size={"type": "number", "x-mcp-header": "Size"})
    check_param_headers(broken, {"region": "us"}, {"mcp-param-region": "eu", "mcp-param-size": "1"})


def test_undeclared_param_headers_are_ignored() -> None:
    check_param_headers(TOOL, {}, {"mcp-param-other": "x"})
    check_param_headers({"type": "object"}, {"region": "us"}, {"mcp-param-region": "eu"})


def test_many_deep_annotations_are_bounded() -> None:
    bottom = {f"p{i}": {"type": "string", "x-mcp-header": f"H{i}"} for i in range(30_000)}
    deep: dict[str, Any] = {"type": "object", "properties": bottom}
    for _ in range(30_000):
        deep = {"type": "object", "properties": {"p": deep}}
    reason = invalid_header_annotation(deep)
    assert reason is not None and "too large" in reason

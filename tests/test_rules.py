"""Every rule on small in-memory requests: where it fires, and where it just does not.

``rules(request)`` is the set of (rule, json_path) that ``kling_lint.lint`` gives for a dict;
``places(text)`` the set of (line, column, rule) that ``kling_lint.lint_text`` gives for a file.
Each rule has its boundary both ways: the nearest valid value passes, the nearest invalid fires.
"""

from __future__ import annotations

import json

import pytest

import kling_lint

PROMPT = "A paper boat drifting down a rainy street."
BASE = {"model": "kling-v3-std-silent", "prompt": PROMPT, "duration": 5}
URL = "https://example.com/frame.png"
BASE64 = "iVBORw0KGgoAAAANSUhEUgAAASwAAAEsAQAAAABRBrPYAAAAIklEQVR42u3BMQEAAADCoPVPbQo/oAAAAAAAAAAAAAAAeBkttAABAZVTBAAAAABJRU5ErkJggg=="  # a 300x300 PNG: the image rules pass it
DROP = object()


def request(**fields):
    """BASE with fields set (DROP removes one)."""
    out = dict(BASE)
    for key, value in fields.items():
        if value is DROP:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def extra(**options):
    return request(extra_body=options)


def multi(*shots, duration=None, **options):
    """A multi-shot request: no prompt, shot_type customize unless given."""
    body = {"shot_type": "customize", "multi_prompt": list(shots), **options}
    out = {"model": "kling-v3-std-audio", "extra_body": body}
    if duration is not None:
        out["duration"] = duration
    return out


def shot(prompt="The camera rises over the city.", **fields):
    return {"prompt": prompt, **fields}


def rules(value):
    return {(f.rule, f.json_path) for f in kling_lint.lint(value)}


def places(text, filename="x.yaml"):
    return {(f.line, f.column, f.rule) for f in kling_lint.lint_text(text, filename=filename)}


def only(value, rule):
    """The one finding of ``value``, checked to be of ``rule``."""
    findings = kling_lint.lint(value)
    assert [f.rule for f in findings] == [rule], [(f.rule, f.json_path, f.message) for f in findings]
    return findings[0]


# ---------------------------------------------------------------- valid requests


@pytest.mark.parametrize(
    "value",
    [
        BASE,
        request(duration=DROP),
        request(**{"$schema": "../schema/kling-v3-video-request.schema.json"}),
        request(image=URL, last_image="http://example.com/last.png"),
        request(aspect_ratio="9:16"),
        extra(cfg_scale=0.5, shot_type="intelligent", negative_prompt="blur", element_list=[{"element_id": "el_1"}]),
        multi(shot(), shot("A close-up of the clock tower.")),
        multi(shot(duration=2), shot(duration=3)),
        multi(shot(index=1), shot(index=2), duration=8),
    ],
)
def test_valid_requests_have_no_finding(value):
    assert rules(value) == set()


def test_lint_gives_no_positions_for_a_dict():
    finding = only(request(duration=16), "duration-range")
    assert (finding.line, finding.column, finding.snippet) == (None, None, None)
    assert finding.severity is kling_lint.Severity.ERROR


# ---------------------------------------------------------------- model


def test_model_missing():
    assert rules(request(model=DROP)) == {("model-missing", "$")}
    assert "kling-v3-std-audio" in only(request(model=DROP), "model-missing").hint


@pytest.mark.parametrize("model", ["kling-v3-std-silent", "kling-v3-std-audio", "kling-v3-pro-silent", "kling-v3-pro-audio"])
def test_the_four_models_are_known(model):
    assert rules(request(model=model)) == set()


@pytest.mark.parametrize(
    ("model", "meant"),
    [("kling-v3-pro-adio", "kling-v3-pro-audio"), ("kling-v3-std-silnt", "kling-v3-std-silent"), ("Kling-V3-Pro-Silent", "kling-v3-pro-silent")],
)
def test_model_unknown_names_the_closest(model, meant):
    finding = only(request(model=model), "model-unknown")
    assert finding.json_path == "$.model"
    assert f'"{meant}"' in finding.hint
    assert model in finding.message


def test_model_unknown_position():
    assert places("model: kling-v2-master\nprompt: A boat.\n") == {(1, 8, "model-unknown")}


# ---------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("value", "path"),
    [
        (request(model=42), "$.model"),
        (request(prompt={"text": PROMPT}), "$.prompt"),
        (request(prompt=None), "$.prompt"),
        (request(duration=True), "$.duration"),
        (request(duration=None), "$.duration"),
        (request(image=["https://example.com/a.png"]), "$.image"),
        (request(extra_body=[{"cfg_scale": 0.5}]), "$.extra_body"),
        (extra(cfg_scale="0.5"), "$.extra_body.cfg_scale"),
        (extra(cfg_scale=True), "$.extra_body.cfg_scale"),
        (extra(negative_prompt=5), "$.extra_body.negative_prompt"),
        (request(prompt=DROP, extra_body={"multi_prompt": "two shots"}), "$.extra_body.multi_prompt"),
        (multi("a shot"), "$.extra_body.multi_prompt[0]"),
        (multi(shot(index="1")), "$.extra_body.multi_prompt[0].index"),
        ([BASE], "$"),
        ("a request", "$"),
        (None, "$"),
    ],
)
def test_type_mismatch(value, path):
    assert rules(value) == {("type-mismatch", path)}


def test_type_mismatch_words_a_duration_as_seconds():
    assert "whole number of seconds" in only(request(duration=True), "type-mismatch").message
    assert "whole number of seconds" in only(multi(shot(duration=True)), "type-mismatch").message


def test_type_mismatch_message_names_the_field():
    finding = only(request(model=42), "type-mismatch")
    assert finding.message.startswith("model must be a string")
    finding = only(request(**{"$schema": 5}), "type-mismatch")
    assert finding.json_path == "$['$schema']"
    assert finding.message.startswith("$schema must be a string"), finding.message


def test_type_mismatch_of_the_whole_request_in_a_file():
    assert places("- model: kling-v3-std-silent\n") == {(1, 1, "type-mismatch")}
    assert places("[1, 2]", filename="x.json") == {(1, 1, "type-mismatch")}


# ---------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    ("value", "path", "hint"),
    [
        (extra(cfg=0.5), "$.extra_body.cfg", "cfg_scale"),
        (request(negative_prompt="blur"), "$.negative_prompt", "extra_body.negative_prompt"),
        (request(cfg_scale=0.5), "$.cfg_scale", "extra_body.cfg_scale"),
        (request(**{"aspect-ratio": "16:9"}), "$['aspect-ratio']", "aspect_ratio"),
        (request(Prompt=PROMPT), "$.Prompt", "prompt"),
        (extra(negativeprompt="blur"), "$.extra_body.negativeprompt", "negative_prompt"),
        (extra(aspect_ratio="16:9"), "$.extra_body.aspect_ratio", "aspect_ratio at the top level"),
        (multi(shot(duraton=2)), "$.extra_body.multi_prompt[0].duraton", "duration"),
    ],
)
def test_unknown_key_names_the_key_meant(value, path, hint):
    finding = only(value, "unknown-key")
    assert finding.json_path == path
    assert hint in finding.hint


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("sound", True, "-audio model"),
        ("generate_audio", True, "-audio model"),
        ("mode", "pro", "-pro"),
        ("model_name", "kling-v3", "model"),
        ("image_tail", URL, "last_image"),
        ("camera_control", {"type": "simple"}, "does not offer camera_control"),
    ],
)
def test_kling_keys_say_where_this_gateway_puts_them(key, value, hint):
    finding = only(request(**{key: value}), "unknown-key")
    assert finding.json_path == f"$.{key}"
    assert hint in finding.hint


def test_unknown_key_points_at_the_key():
    text = "model: kling-v3-std-silent\nprompt: A boat.\nextra_body:\n  cfg: 0.5\n"
    assert places(text) == {(4, 3, "unknown-key")}


def test_schema_key_is_allowed():
    assert rules(request(**{"$schema": "https://example.com/schema.json"})) == set()


# ---------------------------------------------------------------- prompt


@pytest.mark.parametrize("prompt", ["", " ", "  \n\t "])
def test_prompt_empty(prompt):
    assert rules(request(prompt=prompt)) == {("prompt-empty", "$.prompt")}


def test_prompt_of_one_character_is_fine():
    assert rules(request(prompt="x")) == set()
    assert rules(request(prompt=" x ")) == set()


def test_prompt_too_long_boundary():
    assert rules(request(prompt="x" * 2500)) == set()
    finding = only(request(prompt="x" * 2501), "prompt-too-long")
    assert finding.json_path == "$.prompt"
    assert "2501" in finding.message


def test_prompt_length_counts_characters_not_bytes():
    assert rules(request(prompt="é" * 2500)) == set()
    assert rules(request(prompt="猫" * 2501)) == {("prompt-too-long", "$.prompt")}


# ---------------------------------------------------------------- images


@pytest.mark.parametrize("url", [URL, "http://example.com/a.png", "https://cdn.example.com:8443/a.png?x=1", "HTTPS://EXAMPLE.COM/A.PNG"])
def test_image_urls_are_fine(url):
    assert rules(request(image=url)) == set()


@pytest.mark.parametrize("value", ["example.com/frame.png", "https://", "ftp://example.com/a.png", "", "https://exa mple.com/a.png"])
def test_image_url(value):
    assert rules(request(image=value)) == {("image-url", "$.image")}
    assert rules(request(image=URL, last_image=value)) == {("image-url", "$.last_image")}


def test_data_uri_is_an_error_that_says_so():
    finding = only(request(image="data:image/png;base64," + BASE64), "image-url")
    assert "data:" in finding.message
    assert "data:" in finding.hint


def test_raw_base64_warns():
    finding = only(request(image=BASE64), "image-base64")
    assert finding.severity is kling_lint.Severity.WARNING
    assert rules(request(image=URL, last_image=BASE64)) == {("image-base64", "$.last_image")}


def test_base64_boundary_is_64_characters():
    # 48 zero bytes: base64, but no image (image-format says so)
    assert rules(request(image="A" * 64)) == {("image-base64", "$.image"), ("image-format", "$.image")}
    assert rules(request(image="A" * 60)) == {("image-url", "$.image")}
    assert rules(request(image="A" * 66)) == {("image-url", "$.image")}  # not a multiple of 4


# ---------------------------------------------------------------- aspect ratio


@pytest.mark.parametrize("ratio", ["16:9", "9:16", "1:1"])
def test_aspect_ratios(ratio):
    assert rules(request(aspect_ratio=ratio)) == set()


@pytest.mark.parametrize("ratio", ["4:3", "16x9", "16:9 ", "21:9"])
def test_aspect_ratio_unknown(ratio):
    finding = only(request(aspect_ratio=ratio), "aspect-ratio-unknown")
    assert "16:9" in finding.hint


def test_aspect_ratio_ignored_with_an_image():
    assert rules(request(image=URL, aspect_ratio="16:9")) == {("aspect-ratio-ignored", "$.aspect_ratio")}
    assert only(request(image=URL, aspect_ratio="1:1"), "aspect-ratio-ignored").severity is kling_lint.Severity.WARNING
    assert rules(request(aspect_ratio="16:9")) == set()


# ---------------------------------------------------------------- duration


@pytest.mark.parametrize("seconds", [3, 5, 15])
def test_durations_in_range(seconds):
    assert rules(request(duration=seconds)) == set()


@pytest.mark.parametrize("seconds", [2, 16, 0, -3, 5.5, "five"])
def test_duration_range(seconds):
    assert rules(request(duration=seconds)) == {("duration-range", "$.duration")}


@pytest.mark.parametrize("seconds", ["16", "2"])
def test_a_numeric_string_out_of_range_is_both_out_of_range_and_a_string(seconds):
    assert rules(request(duration=seconds)) == {("duration-range", "$.duration"), ("duration-as-string", "$.duration")}


def test_duration_as_string_warns():
    finding = only(request(duration="15"), "duration-as-string")
    assert finding.json_path == "$.duration"
    assert finding.severity is kling_lint.Severity.WARNING
    assert "15" in finding.hint


def test_duration_positions_in_yaml_and_json():
    assert places("model: kling-v3-std-silent\nprompt: A boat.\nduration: 16\n") == {(3, 11, "duration-range")}
    text = '{\n  "model": "kling-v3-std-silent",\n  "prompt": "A boat.",\n  "duration": "5"\n}\n'
    assert places(text, filename="x.json") == {(4, 15, "duration-as-string")}


# ---------------------------------------------------------------- extra_body


@pytest.mark.parametrize("scale", [0, 1, 0.0, 1.0, 0.5])
def test_cfg_scale_in_range(scale):
    assert rules(extra(cfg_scale=scale)) == set()


@pytest.mark.parametrize("scale", [-0.01, 1.01, 2, -1])
def test_cfg_scale_range(scale):
    assert rules(extra(cfg_scale=scale)) == {("cfg-scale-range", "$.extra_body.cfg_scale")}


def test_cfg_scale_nan_is_not_json():  # json.dumps would write NaN, which no JSON reader takes (issue 19.10)
    assert rules(extra(cfg_scale=float("nan"))) == {("type-mismatch", "$.extra_body.cfg_scale")}
    # A file cannot hold NaN: its reader refuses it at the value (tests/test_load_items.py).
    text = "model: kling-v3-std-silent\nprompt: A boat.\nextra_body:\n  cfg_scale: .nan\n"
    assert places(text) == {(4, 14, "syntax")}


@pytest.mark.parametrize("shot_type", ["customize", "intelligent"])
def test_shot_types(shot_type):
    assert rules(extra(shot_type=shot_type)) == set()


def test_shot_type_intelligence_names_intelligent():
    finding = only(extra(shot_type="intelligence"), "shot-type-unknown")
    assert finding.json_path == "$.extra_body.shot_type"
    assert '"intelligent"' in finding.message
    assert "intelligent" in finding.hint


@pytest.mark.parametrize(("shot_type", "meant"), [("custom", "customize"), ("Intelligent", "intelligent")])
def test_shot_type_unknown_suggests(shot_type, meant):
    assert meant in only(extra(shot_type=shot_type), "shot-type-unknown").hint


def test_negative_prompt_boundary():
    assert rules(extra(negative_prompt="x" * 2500)) == set()
    assert rules(extra(negative_prompt="")) == set()
    assert rules(extra(negative_prompt="x" * 2501)) == {("negative-prompt-too-long", "$.extra_body.negative_prompt")}


# ---------------------------------------------------------------- multi_prompt


def test_multi_prompt_six_shots_ok_seven_not():
    assert rules(multi(*[shot(f"Shot {n} of the film.") for n in range(6)])) == set()
    seven = multi(*[shot(f"Shot {n} of the film.") for n in range(7)])
    assert rules(seven) == {("multi-prompt-size", "$.extra_body.multi_prompt")}
    assert "7" in only(seven, "multi-prompt-size").message


def test_multi_prompt_empty():
    assert rules(multi()) == {("multi-prompt-size", "$.extra_body.multi_prompt")}
    assert rules(multi(shot())) == set()


@pytest.mark.parametrize(
    ("value", "path"),
    [
        (multi({"duration": 5}), "$.extra_body.multi_prompt[0]"),
        (multi(shot(), {}), "$.extra_body.multi_prompt[1]"),
        (multi(shot("")), "$.extra_body.multi_prompt[0].prompt"),
        (multi(shot("   ")), "$.extra_body.multi_prompt[0].prompt"),
        (multi(shot("x" * 513)), "$.extra_body.multi_prompt[0].prompt"),
    ],
)
def test_shot_prompt(value, path):
    assert rules(value) == {("shot-prompt", path)}


def test_shot_prompt_of_512_characters_is_fine():
    assert rules(multi(shot("x" * 512))) == set()


@pytest.mark.parametrize("seconds", [0, -1, 1.5, "x"])
def test_shot_duration(seconds):
    value = multi(shot(duration=seconds))
    assert rules(value) == {("shot-duration", "$.extra_body.multi_prompt[0].duration")}


def test_a_shot_duration_of_0_in_quotes_is_both_too_short_and_a_string():
    at = "$.extra_body.multi_prompt[0].duration"
    assert rules(multi(shot(duration="0"))) == {("shot-duration", at), ("duration-as-string", at)}


def test_shot_duration_of_one_second_is_fine():
    assert rules(multi(shot(duration=1), shot(duration=4))) == set()


def test_shot_duration_as_string_warns():
    value = multi(shot(duration="2"), shot(duration=3))
    assert rules(value) == {("duration-as-string", "$.extra_body.multi_prompt[0].duration")}


def test_shot_index():
    assert rules(multi(shot(index=1), shot(index=2))) == set()
    assert rules(multi(shot(index=1), shot(index=3))) == {("shot-index", "$.extra_body.multi_prompt[1].index")}
    finding = only(multi(shot(), shot(index=1)), "shot-index")
    assert "2" in finding.hint


@pytest.mark.parametrize("index", [0, -1])
def test_shot_index_below_one_is_shot_index(index):
    # index is the shot's 1-based position: 0 is not the position of any shot.
    finding = only(multi(shot(index=index)), "shot-index")
    assert finding.json_path == "$.extra_body.multi_prompt[0].index"
    assert finding.hint


def test_element_list_boundaries():
    assert rules(extra(element_list=[{"element_id": "a"}, {"element_id": 2}, {"element_id": "c"}])) == set()
    four = [{"element_id": n} for n in range(1, 5)]
    assert rules(extra(element_list=four)) == {("element-list", "$.extra_body.element_list")}
    assert rules(extra(element_list=[])) == {("element-list", "$.extra_body.element_list")}


@pytest.mark.parametrize(("element_id", "valid"), [("el_1", True), (1, True), ("", False), (0, False), (-2, False), (True, False)])
def test_element_id(element_id, valid):
    expected = set() if valid else {("element-list", "$.extra_body.element_list[0].element_id")}
    assert rules(extra(element_list=[{"element_id": element_id}])) == expected


def test_element_entry_that_is_not_an_object():
    assert rules(extra(element_list=["el_1"])) == {("element-list", "$.extra_body.element_list[0]")}


# ---------------------------------------------------------------- across fields


def test_prompt_and_multi_prompt():
    value = multi(shot())
    value["prompt"] = PROMPT
    assert rules(value) == {("prompt-and-multi-prompt", "$.prompt")}
    text = "model: kling-v3-std-audio\nprompt: A boat.\nextra_body:\n  shot_type: customize\n  multi_prompt:\n    - prompt: x\n"
    assert places(text) == {(2, 1, "prompt-and-multi-prompt")}


def test_prompt_missing():
    assert rules(request(prompt=DROP)) == {("prompt-missing", "$")}
    assert rules(request(prompt=DROP, extra_body={"cfg_scale": 0.5})) == {("prompt-missing", "$")}
    assert rules(multi(shot())) == set()


def test_last_image_needs_image():
    assert rules(request(last_image=URL)) == {("last-image-without-image", "$.last_image")}
    assert rules(request(image=URL, last_image=URL)) == set()
    text = "model: kling-v3-pro-silent\nprompt: A boat.\nlast_image: https://example.com/a.png\n"
    assert places(text) == {(3, 1, "last-image-without-image")}


def test_multi_prompt_takes_no_last_image():
    value = multi(shot())
    value.update(image=URL, last_image=URL)
    assert rules(value) == {("multi-prompt-last-image", "$.last_image")}
    del value["last_image"]
    assert rules(value) == set()


def test_shot_durations_sum():
    assert rules(multi(shot(duration=2), shot(duration=3))) == set()  # duration defaults to 5
    assert rules(multi(shot(duration=4), shot(duration=6), duration=10)) == set()
    finding = only(multi(shot(duration=3), shot(duration=3)), "shot-durations-sum")
    assert finding.json_path == "$.extra_body.multi_prompt"
    assert "defaults to 5" in finding.message
    finding = only(multi(shot(duration=3), shot(duration=3), duration=10), "shot-durations-sum")
    assert "10" in finding.message and "6" in finding.message


def test_shot_durations_sum_is_quiet_when_the_total_is_already_wrong():
    assert rules(multi(shot(duration=10), shot(duration=10), duration=20)) == {("duration-range", "$.duration")}


def test_shot_durations_partial():
    value = multi(shot(duration=2), shot())
    assert rules(value) == {("shot-durations-partial", "$.extra_body.multi_prompt")}
    assert only(value, "shot-durations-partial").severity is kling_lint.Severity.WARNING


def test_multi_prompt_shot_type():
    assert rules(multi(shot(), shot_type="intelligent")) == {("multi-prompt-shot-type", "$.extra_body.shot_type")}
    without = multi(shot())
    del without["extra_body"]["shot_type"]
    assert rules(without) == {("multi-prompt-shot-type", "$.extra_body.multi_prompt")}
    assert "customize" in only(without, "multi-prompt-shot-type").hint
    assert rules(multi(shot(), shot_type="customize")) == set()


# ---------------------------------------------------------------- secrets

SK = "sk-proj7Qx9Vb2Nc4Md8Kf1Lp6Zr3"
BEARER = "Bearer abcdEFGH1234ijklMNOP5678"


@pytest.mark.parametrize(
    ("value", "path"),
    [
        (request(prompt=f"my key is {SK}, please ignore"), "$.prompt"),
        (extra(negative_prompt=BEARER), "$.extra_body.negative_prompt"),
        (request(image=f"https://example.com/a.png?key={SK}"), "$.image"),
        (multi(shot(f"token {SK}")), "$.extra_body.multi_prompt[0].prompt"),
    ],
)
def test_secret_in_request(value, path):
    assert ("secret-in-request", path) in rules(value)


def test_things_that_are_not_tokens():
    assert rules(request(prompt="a sk-8 ski jump, the desk-lamp glows")) == set()
    assert rules(request(prompt="Bearer of good news walks in")) == set()


@pytest.mark.parametrize("secret", [SK, BEARER])
@pytest.mark.parametrize("filename", ["x.yaml", "x.json"])
def test_secret_never_shown(secret, filename):
    body = {"model": "kling-v3-std-silent", "prompt": PROMPT, "extra_body": {"negative_prompt": secret}}
    text = json.dumps(body, indent=2)
    findings = kling_lint.lint_text(text, filename=filename)
    assert [f.rule for f in findings] == ["secret-in-request"]
    tail = secret[-12:]
    for finding in findings:
        for shown in (finding.message, finding.hint, finding.snippet, finding.json_path):
            assert tail not in (shown or ""), shown
    assert findings[0].line == 5


def test_secret_in_a_key_is_not_shown():
    findings = kling_lint.lint_text(json.dumps({**BASE, SK: 1}), filename="x.json")
    assert findings
    for finding in findings:
        for shown in (finding.message, finding.hint, finding.snippet, finding.json_path):
            assert SK[-12:] not in (shown or ""), (finding.rule, shown)


# ---------------------------------------------------------------- reading files


@pytest.mark.parametrize(
    ("line", "value"),
    [("aspect_ratio: 16:9", "16:9"), ("prompt: no", "no"), ("duration: 010", "010"), ("prompt: yes", "yes")],
)
def test_yaml11_ambiguous(line, value):
    header = "model: kling-v3-std-silent\nprompt: A boat.\n"
    if line.startswith("prompt"):
        header = "model: kling-v3-std-silent\n"
    found = [f for f in kling_lint.lint_text(header + line + "\n", filename="x.yaml") if f.rule == "yaml11-ambiguous"]
    assert len(found) == 1
    assert (found[0].line, found[0].column) == (header.count("\n") + 1, line.index(":") + 3)
    assert f'"{value}"' in found[0].hint
    assert found[0].severity is kling_lint.Severity.WARNING


@pytest.mark.parametrize("line", ['aspect_ratio: "16:9"', "aspect_ratio: '1:1'", 'prompt: "no"', "duration: 10"])
def test_quoted_values_are_not_ambiguous(line):
    header = "model: kling-v3-std-silent\n" + ("" if line.startswith("prompt") else "prompt: A boat.\n")
    assert places(header + line + "\n") == set()


def test_duplicate_key_yaml_and_json():
    yaml_text = "model: kling-v3-std-silent\nprompt: A boat.\nduration: 5\nduration: 6\n"
    assert places(yaml_text) == {(4, 1, "duplicate-key")}
    json_text = '{"model": "kling-v3-std-silent", "prompt": "A boat.", "prompt": "B"}'
    assert places(json_text, filename="x.json") == {(1, 55, "duplicate-key")}


def test_same_key_in_different_objects_or_documents_is_not_duplicate():
    text = "model: kling-v3-std-audio\nextra_body:\n  shot_type: customize\n  multi_prompt:\n    - prompt: a\n    - prompt: b\n"
    assert places(text) == set()
    two = "model: kling-v3-std-silent\nprompt: A boat.\n---\nmodel: kling-v3-std-silent\nprompt: A boat.\n"
    assert places(two) == set()


@pytest.mark.parametrize(
    ("text", "filename", "where"),
    [
        ('{"model": "kling-v3-std-silent", "prompt": "A boat.",}', "x.json", (1, 53)),  # at the comma
        ('{"model": "kling-v3-std-silent"\n "prompt": "A boat."}', "x.json", (2, 2)),
        ("", "x.json", (1, 1)),
        ("", "x.yaml", (1, 1)),
        ("# nothing\n", "x.yaml", (1, 1)),
        ("model: kling-v3-std-silent\n\tprompt: A boat.\n", "x.yaml", (2, 1)),
        ("model: kling-v3-std-silent\nprompt: !custom A boat.\n", "x.yaml", (2, 9)),
        ('{"model": "kling-v3-std-silent", "prompt": "A boat."}\n{bad\n', "x.jsonl", (2, 2)),
    ],
)
def test_syntax(text, filename, where):
    assert places(text, filename) == {(*where, "syntax")}


def test_byte_order_mark_is_ignored():
    assert places("\ufeffmodel: kling-v3-std-silent\nprompt: A boat.\n") == set()
    assert places('\ufeff{"model": "kling-v3-std-silnt", "prompt": "A boat."}', filename="x.json") == {(1, 11, "model-unknown")}


def test_columns_count_characters():
    text = '{"prompt": "😀 café 猫", "model": "kling-v3-std-silent", "duration": 99}'
    assert places(text, filename="x.json") == {(1, text.index("99") + 1, "duration-range")}


def test_each_document_of_a_yaml_file_has_its_own_positions():
    text = (
        "model: kling-v3-std-silent\nprompt: A boat.\nduration: 50\n"
        "---\n"
        "model: kling-v3-std-silent\nprompt: A boat.\nduration: 5\n"
        "---\n"
        "model: kling-v3-std-silnt\nprompt: A boat.\n"
    )
    assert places(text) == {(3, 11, "duration-range"), (9, 8, "model-unknown")}


def test_each_line_of_a_jsonl_file_has_its_own_positions():
    text = (
        '{"model": "kling-v3-std-silent", "prompt": "A boat."}\n'
        "\n"
        '{"model": "kling-v3-std-silent", "prompt": "A boat.", "duration": 1}\n'
        "[1]\n"
    )
    assert places(text, filename="x.jsonl") == {(3, 67, "duration-range"), (4, 1, "type-mismatch")}


def test_yaml_key_that_is_not_a_string():
    findings = kling_lint.lint_text("model: kling-v3-std-silent\nprompt: A boat.\n1: 3\n", filename="x.yaml")
    assert [(f.line, f.column, f.rule) for f in findings] == [(3, 1, "type-mismatch")]


def test_yaml_null_key_path_is_not_python_repr():
    findings = kling_lint.lint_text("model: kling-v3-std-silent\nprompt: A boat.\nnull: 3\n", filename="x.yaml")
    assert [(f.line, f.column, f.rule) for f in findings] == [(3, 1, "type-mismatch")]
    assert "None" not in findings[0].json_path and "None" not in findings[0].message, (findings[0].json_path, findings[0].message)

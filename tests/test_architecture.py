"""The shape of the code, held by tests: layers (by imports and by content), lazy imports, one
rule table, and the schema naming the rule of every constraint it states."""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import sys

import pytest

import kling_lint
from kling_lint import engine, files, report, rule_ids, run
from kling_lint.contract import RULES, Contract
from kling_lint.contract.schema import load_schema, schema_path

PACKAGE = pathlib.Path(kling_lint.__file__).parent
CONTRACT_DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "contract.md"

# What each layer may import from kling_lint. Data flows load -> contract -> engine -> report.
ALLOWED = {
    "findings": {"redact"},  # brief() masks secrets before it shortens
    "rule_ids": set(),
    "redact": set(),
    "load": {"findings", "rule_ids"},
    "contract": {"findings", "redact", "rule_ids", "schema", "images"},  # schema: the installed schema file
    "images": set(),  # image headers: a leaf, loaded only for image data
    "fetch": {"__init__", "contract", "findings", "images", "load", "rule_ids"},  # --fetch-images: the network; __init__: the version
    "files": {"load"},
    "engine": {"contract", "edits", "findings", "load", "pyvalue", "redact", "rule_ids", "suppress"},
    "edits": {"findings", "load"},  # a problem's repair as edits of the file's text, for the engine
    "suppress": {"contract", "findings", "rule_ids"},
    "pyvalue": {"contract", "findings", "load", "rule_ids"},  # a Python value as the JSON it would be
    "parallel": set(),  # a pool of forked workers that knows nothing of requests
    "api": {"contract", "engine", "files", "findings", "parallel"},  # contract: to compile it before forking
    "report": {"findings"},
    # __init__: the version, for SARIF; fix: only with --fix/--diff
    "run": {"__init__", "api", "config", "config_apply", "contract", "fetch", "findings", "fix", "redact", "report"},  # redact: say()'s messages
    "fix": {"api", "contract", "engine", "files", "findings", "load", "rule_ids"},  # applies the engine's fixes and writes files
    # config: the check command's settings; it reads run's option choices, as their defaults
    "config": {"config_apply", "config_file", "contract", "findings", "rule_ids", "run"},
    "config_file": {"config", "config_apply", "contract", "prices"},  # prices: the dry run's reader of a price table
    "config_apply": {"config", "contract", "findings"},
    "cli": {"__init__", "run", "config", "contract", "preview", "prices", "serve", "send", "rule_docs", "openapi"},
    "entry": {"run", "cli"},
    # curl and dry-run: new consumers of load, engine and report, beside run
    "curl": {"redact"},
    "dryrun": {"contract", "curl", "findings"},  # contract: the schema, read in contract_facts only
    "prices": {"dryrun", "files", "curl", "redact"},  # dryrun: the schema's model list; files: read as request files are; curl, redact: masked messages
    "dryrun_report": {"curl", "dryrun", "findings", "report"},
    "preview": {"curl", "dryrun", "dryrun_report", "engine", "files", "findings", "images", "load", "report", "run", "send"},
    "serve": {"__init__", "contract", "engine", "findings", "redact", "report"},  # report: check --format json's records
    "guard": {"engine", "findings"},
    "gateway": {"redact"},  # the URL and answers its messages show are masked
    "rule_docs": {"contract", "examples", "redact", "rule_ids"},  # `rules ID`: the docstrings, and examples/ (data, installed as kling_lint.examples)
    "openapi": {"contract", "rule_ids"},  # `schema --openapi`: the schema, and the rule ids of the error answers
    "send": {"curl", "gateway", "redact"},  # dry-run --send: the gateway client, the body as curl sends it
}


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def _internal_imports(path: pathlib.Path) -> set[str]:
    """Top-level kling_lint modules that a file imports (relative or absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(PACKAGE).parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level])
                if node.module is None and not base:  # "from . import x": module x, or a name of the package
                    found.update(alias.name if _is_module(alias.name) else "__init__" for alias in node.names)
                    continue
                target = base + (node.module.split(".") if node.module else [])
                found.add(target[0] if target else "__init__")
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


def test_serve_guard_and_the_gateway_client_cost_the_cli_nothing() -> None:
    loaded = _modules_loaded_by("import kling_lint.cli, kling_lint.gateway")
    assert not {m for m in loaded if m.startswith(("http", "socketserver", "kling_lint.serve", "kling_lint.guard", "httpx"))}


def test_checking_a_valid_json_file_never_imports_jsonschema_or_yaml(tmp_path: pathlib.Path) -> None:
    request = tmp_path / "ok.json"
    request.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": "a lighthouse at dusk"}))
    code = (
        "import sys\nfrom kling_lint.cli import main\n"
        f"try:\n    main(['check', {str(request)!r}])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
    )
    loaded = _modules_loaded_by(code)
    assert not {m for m in loaded if m.startswith(("jsonschema", "ruamel", "_ruamel_yaml", "difflib"))}
    assert "kling_lint.parallel" not in loaded and "copy" not in loaded  # no workers for one file


def test_an_invalid_file_is_explained_without_jsonschema(tmp_path: pathlib.Path) -> None:
    request = tmp_path / "bad.json"
    request.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": "x", "duration": 99}))
    code = f"from kling_lint import lint_file\nassert lint_file({str(request)!r})[0].rule == 'duration-range'"
    assert not {m for m in _modules_loaded_by(code) if m.startswith("jsonschema")}


def _documented_rules() -> dict[str, str]:
    """Rule id -> severity, from the rule tables of docs/contract.md (part of the repository)."""
    text = CONTRACT_DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", text, flags=re.M))


def test_the_rule_table_is_the_documented_one() -> None:
    documented = _documented_rules()
    assert list(documented) == list(RULES)
    for rule_id, severity in documented.items():
        assert RULES[rule_id].severity.value == severity, rule_id


def test_every_rule_id_is_named_once_in_rule_ids() -> None:
    named = {value for name, value in vars(rule_ids).items() if name.isupper()}
    assert named == set(RULES)
    assert len(named) == len([name for name in vars(rule_ids) if name.isupper()])


def _string_constants(path: pathlib.Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_rule_ids_are_never_written_as_literals_outside_rule_ids() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "rule_ids.py" and path.parent == PACKAGE:
            continue
        found += [f"{path.relative_to(PACKAGE)}:{line}: {text!r}" for line, text in _string_constants(path) if text in RULES]
    assert not found, "write rule ids as kling_lint.rule_ids names:\n" + "\n".join(found)


def _contract_values(schema: dict) -> tuple[set[str], set[int | float]]:
    """Every enum value and default (strings) and every limit (numbers) the schema states."""
    words: set[str] = set()
    numbers: set[int | float] = set()
    stack: list = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "enum":
                    words.update(v for v in value if isinstance(v, str))
                elif key in ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "default"):
                    (numbers if isinstance(value, (int, float)) else words).add(value)
                elif key not in ("examples", "description", "title", "$comment") and not key.startswith("x-"):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return words, numbers


# Where a contract value may legitimately appear in Python: nowhere but the schema-reading code,
# and the YAML 1.1 documentation, whose "16:9" is an example of how YAML 1.1 reads a value.
VALUES_ALLOWED_IN = {"contract/schema.py"}


def test_no_enum_value_or_limit_of_the_contract_is_typed_in_python() -> None:
    words, numbers = _contract_values(load_schema())
    big = {number for number in numbers if number >= 100}  # small numbers (0, 1, 15) are everywhere
    said = "|".join(str(number) for number in numbers if number >= 2)  # ... but "to 15" is a limit
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = str(path.relative_to(PACKAGE))
        if name in VALUES_ALLOWED_IN:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant):
                continue
            value = node.value
            if isinstance(value, str):
                hits = [word for word in words if re.search(rf"(?<![\w:-]){re.escape(word)}(?![\w:-])", value)]
                hits = [hit for hit in hits if not (hit == "16:9" and "YAML 1.1" in value)]
                hits += [str(n) for n in big if re.search(rf"(?<![\w.]){n}(?![\w.])", value)]
                hits += re.findall(rf"\b(?:to|than|most|least) ({said})\b", value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                hits = [str(value)] if value in big else []
            else:
                hits = []
            found += [f"{name}:{node.lineno}: {hit}" for hit in hits]
    assert not found, "read these from the Contract (or the violated keyword):\n" + "\n".join(found)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_documented(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.summary and rule.summary.endswith("."), rule_id


def test_every_schema_rule_is_named_by_the_schema_and_every_code_rule_has_a_check() -> None:
    contract = Contract()
    named = {site.rule for site in contract.sites}
    for rule in RULES.values():
        if rule.source == "code":
            assert callable(rule.function)
        if rule.source == "schema":
            assert rule.id in named, f"{rule.id}: the schema names it nowhere (x-kling-rule)"


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
    assert run.DEFAULT_MAX_FINDINGS == engine.DEFAULT_MAX_FINDINGS
    assert run.STDIN == files.STDIN


def _violation_sites(schema: dict, root: dict, path: tuple = (), seen: frozenset = frozenset()):
    """Every (instance path, keyword, schema object) where the compiled schema can report."""
    for keyword, arg in schema.items():
        if keyword in ("title", "description", "examples", "default", "$schema", "$id", "$defs", "$comment") or keyword.startswith("x-"):
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
        else:  # an assertion, or anyOf / not, reported where it stands
            yield path, keyword, schema


def test_every_place_the_schema_can_fail_names_its_rule() -> None:
    contract = Contract()
    sites = list(_violation_sites(load_schema(), load_schema()))
    assert len(sites) > 30
    assert len(contract.sites) == len(sites)
    for path, keyword, schema in sites:
        rule = contract.rule_for(schema, keyword)
        assert rule is not None and RULES[rule].source == "schema", (path, keyword)


def test_a_constraint_no_rule_claims_is_refused() -> None:
    import copy

    schema = copy.deepcopy(load_schema())
    schema["properties"]["$schema"]["maxLength"] = 200  # a new constraint, naming no rule
    with pytest.raises(ValueError, match="no rule claims 'maxLength'"):
        Contract(schema)
    schema["properties"]["$schema"]["x-kling-rule"] = "no-such-rule"
    with pytest.raises(ValueError, match="'no-such-rule' is not a schema rule"):
        Contract(schema)
    schema["properties"]["$schema"]["x-kling-rule"] = "shot-index"  # a code rule cannot claim it
    with pytest.raises(ValueError, match="is not a schema rule"):
        Contract(schema)

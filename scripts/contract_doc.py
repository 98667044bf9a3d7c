"""Regenerate the generated parts of docs/contract.md from the schema and the rule table.

    python scripts/contract_doc.py          # rewrite docs/contract.md in place
    python scripts/contract_doc.py --check  # exit 1 if docs/contract.md is out of date (tests use this)
"""

from __future__ import annotations

import json
import pathlib
import re
import sys
from typing import Any

from kling_lint.contract import Contract

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "contract.md"

# How a constraint keyword reads in the fields table.
KEYWORDS = {
    "minimum": "at least {}",
    "maximum": "at most {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minItems": "at least {} entries",
    "maxItems": "at most {} entries",
    "pattern": "matches `{}`",
}


def _code(value: Any) -> str:
    return "`" + (value if isinstance(value, str) else json.dumps(value)) + "`"


def _name(path: tuple[str, ...]) -> str:
    return ".".join(path).replace(".*", "[]")


def _type(contract: Contract, path: tuple[str, ...]) -> str:
    kinds: list[str] = []
    for part in contract.field(path).parts():
        given = part.get("type", [])
        kinds += [kind for kind in ([given] if isinstance(given, str) else given) if kind not in kinds]
    return " or ".join(kinds[:2] if len(kinds) > 2 else kinds)


def _constraints(contract: Contract, path: tuple[str, ...]) -> str:
    field = contract.field(path)
    parts = []
    if field.allowed:
        parts.append("one of " + ", ".join(_code(value) for value in field.allowed))
    for branch in field.parts():
        said = [template.format(branch[keyword]) for keyword, template in KEYWORDS.items() if keyword in branch]
        if said:
            kind = f"as {branch['type']}: " if isinstance(branch.get("type"), str) and branch is not field.schema else ""
            parts.append(kind + ", ".join(said))
    return "; ".join(parts).replace("|", "\\|")


def fields(contract: Contract) -> str:
    lines = ["| field | type | allowed | default | description |", "|---|---|---|---|---|"]
    for path, _schema in contract.fields():
        if not path:
            continue
        field = contract.field(path)
        default = _code(field.default) if field.default is not None else ""
        description = str(field.get("description", "")).replace("|", "\\|")
        lines.append(f"| `{_name(path)}` | {_type(contract, path)} | {_constraints(contract, path)} | {default} | {description} |")
    return "\n".join(lines)


def rules(contract: Contract) -> str:
    where: dict[str, list[str]] = {}
    for site in contract.sites:
        where.setdefault(site.rule, []).append(f"`{_name(site.path) or '$'}` {site.keyword}")
    for matched in contract.matched:
        where.setdefault(matched.rule, []).append(f"`{_name(matched.path)}` (a value matching the marked anyOf branch)")
    lines = ["| rule | severity | what it finds | where the schema states it |", "|---|---|---|---|"]
    for rule in contract.rules.values():
        places = ", ".join(dict.fromkeys(where.get(rule.id, []))) or {"reader": "(read from the file)", "fetch": "(with --fetch-images)", "internal": "(kling-lint's own check)"}.get(rule.source, "(checked in code)")
        lines.append(f"| `{rule.id}` | {rule.severity.value} | {rule.summary} | {places} |")
    return "\n".join(lines)


def foreign_keys(contract: Contract) -> str:
    lines = ["| key | hint |", "|---|---|"]
    for table in ("x-kling-foreign-keys", "x-kling-transport-keys"):
        lines += [f"| `{key}` | {hint} |" for key, hint in contract.schema.get(table, {}).items()]
    return "\n".join(lines)


def sections() -> dict[str, str]:
    contract = Contract()
    return {"fields": fields(contract), "rules": rules(contract), "foreign-keys": foreign_keys(contract)}


def render(text: str) -> str:
    for name, body in sections().items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{DOC} has no {name} section")
        text = pattern.sub(lambda match: match.group(1) + body + "\n" + match.group(2), text)
    return text


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    fresh = render(text)
    if "--check" in sys.argv[1:]:
        sys.exit(0 if fresh == text else 1)
    DOC.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    main()

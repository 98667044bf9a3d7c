"""A price table: the price of one second of video per model, and a currency.

kling-lint ships no prices (they differ by gateway and change); the user gives a table, as a
TOML or JSON file (``load_prices``), or as a mapping already read from a config file
(``price_table``). The shape, at the top or under a ``prices`` table: ``currency`` (a string)
and one key per model id of the schema, whose value is the price of one second of video
(examples/prices.toml is one).

Amounts are kept as Decimal, so that 0.084 x 5 is 0.42 and not 0.42000000000000004.
"""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

MAX_BYTES = 1024 * 1024  # a price table is a few lines


class PriceError(ValueError):
    """A price table that cannot be used; the message says which file and why."""


class PriceTable(namedtuple("PriceTable", "currency per_second source")):
    """A price table, read and checked.

    ``currency`` (str)
    ``per_second`` (dict[str, Decimal]): model id -> price of one second of video
    ``source`` (str): where the table came from, for the summary
    """

    __slots__ = ()


def price_table(mapping: Any, source: str) -> PriceTable:
    """The table held by ``mapping`` (already parsed TOML or JSON); ``source`` names it in errors."""
    from .dryrun import contract_facts

    if isinstance(mapping, Mapping) and isinstance(mapping.get("prices"), Mapping):
        mapping = mapping["prices"]
    if not isinstance(mapping, Mapping):
        raise PriceError(f"{source}: a price table is a table of model = price per second, and a currency")
    currency = mapping.get("currency")
    if not isinstance(currency, str) or not currency.strip():
        raise PriceError(f'{source}: no currency (add currency = "USD", or the one your gateway bills in)')
    models = contract_facts().models
    per_second = {}
    for key, value in mapping.items():
        if key == "currency":
            continue
        if key not in models:
            raise PriceError(f"{source}: {key!r} is not a Kling v3 model; the models are {', '.join(models)}")
        if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
            raise PriceError(f"{source}: the price of {key} must be a number of {currency} per second, 0 or more; got {value!r}")
        per_second[key] = Decimal(repr(value)) if type(value) is float else Decimal(value)
    if not per_second:
        raise PriceError(f"{source}: no model has a price (add lines such as {models[0]} = 0.084)")
    return PriceTable(currency.strip(), per_second, source)


def load_prices(path: str) -> PriceTable:
    """The price table in the TOML or JSON file at ``path`` (JSON when it starts with "{")."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise PriceError(f"{path}: {(error.strerror or str(error)).lower()}") from None
    if len(data) > MAX_BYTES:
        raise PriceError(f"{path}: larger than {MAX_BYTES:,} bytes; a price table is a few lines")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PriceError(f"{path}: not UTF-8 text (byte {error.start + 1})") from None
    return price_table(_parsed(text, path), path)


def _parsed(text: str, path: str) -> Any:
    if path.lower().endswith(".json") or (not path.lower().endswith(".toml") and text.lstrip().startswith("{")):
        import json

        try:
            return json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError) as error:
            raise PriceError(f"{path}: not valid JSON: {error}") from None
    import tomllib

    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise PriceError(f"{path}: not valid TOML: {error}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")

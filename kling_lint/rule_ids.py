"""Every rule id, named once. Code refers to a rule by these names, never by a string literal.

The ids are stable (users select, ignore and search for them); the schema names its rules by the
same strings in ``x-kling-rule``. Nothing is imported here, so every layer may import it.
tests/test_architecture.py fails on a rule id written as a literal anywhere else in the package.
"""

from __future__ import annotations

# Found while a file is read (load/, files.py).
SYNTAX = "syntax"
DUPLICATE_KEY = "duplicate-key"
YAML11_AMBIGUOUS = "yaml11-ambiguous"
UNREADABLE = "unreadable"
TOO_MANY_FINDINGS = "too-many-findings"  # the engine's cap on findings per file

# Stated by the schema (its x-kling-rule annotations name them).
TYPE_MISMATCH = "type-mismatch"
UNKNOWN_KEY = "unknown-key"
MODEL_MISSING = "model-missing"
MODEL_UNKNOWN = "model-unknown"
PROMPT_EMPTY = "prompt-empty"
PROMPT_TOO_LONG = "prompt-too-long"
IMAGE_URL = "image-url"
ASPECT_RATIO_UNKNOWN = "aspect-ratio-unknown"
DURATION_RANGE = "duration-range"
CFG_SCALE_RANGE = "cfg-scale-range"
SHOT_TYPE_UNKNOWN = "shot-type-unknown"
NEGATIVE_PROMPT_TOO_LONG = "negative-prompt-too-long"
MULTI_PROMPT_SIZE = "multi-prompt-size"
SHOT_PROMPT = "shot-prompt"
SHOT_DURATION = "shot-duration"
ELEMENT_LIST = "element-list"
PROMPT_AND_MULTI_PROMPT = "prompt-and-multi-prompt"
PROMPT_MISSING = "prompt-missing"
LAST_IMAGE_WITHOUT_IMAGE = "last-image-without-image"
MULTI_PROMPT_LAST_IMAGE = "multi-prompt-last-image"

# Checked in code: what a JSON Schema cannot say.
IMAGE_BASE64 = "image-base64"
ASPECT_RATIO_IGNORED = "aspect-ratio-ignored"
SHOT_INDEX = "shot-index"
SHOT_DURATIONS_SUM = "shot-durations-sum"
SHOT_DURATIONS_PARTIAL = "shot-durations-partial"
MULTI_PROMPT_SHOT_TYPE = "multi-prompt-shot-type"
DURATION_AS_STRING = "duration-as-string"
SECRET_IN_REQUEST = "secret-in-request"
# ... on a start or end frame's own bytes (contract/image_rules.py): base64 data, fetched URLs.
IMAGE_FORMAT = "image-format"
IMAGE_TRUNCATED = "image-truncated"
IMAGE_TOO_LARGE = "image-too-large"
IMAGE_TOO_SMALL = "image-too-small"
IMAGE_ASPECT_RATIO = "image-aspect-ratio"
IMAGE_RATIOS_DIFFER = "image-ratios-differ"

# Checked only when images are fetched (--fetch-images, fetch.py).
IMAGE_UNREACHABLE = "image-unreachable"
IMAGE_CONTENT_TYPE = "image-content-type"

# kling-lint's own check on itself: the fast check and the explanation disagree.
INTERNAL_CONSISTENCY = "internal-consistency"

# About a YAML file's suppression comments (suppress.py): one that silences nothing.
UNUSED_SUPPRESSION = "unused-suppression"

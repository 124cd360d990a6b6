"""Render a Spin template the way `spin new` / `spin add` do, without Spin.

Spin (crates/templates) renders every file of a template's `content/`
directory with the Rust `liquid` crate, its standard library plus five
filters of its own, and these values:

* the template's `[parameters]` (given, else their `default`; checked
  against `pattern` with an unanchored regex match, like Rust's `is_match`);
* the special values `project-name`, `output-path`, `authors` and
  `username` (newer Spin) that Spin adds itself.

Here the Liquid engine is python-liquid with undefined variables as errors
(liquid-rust fails on an undefined variable too), and the filters are
ports of Spin's `filters.rs`, which delegates to the `heck` crate (0.5) for
the case conversions. `heck` splits words with Unicode's word segmentation
(UAX #29); `_unicode_words` below implements the rules that matter for
names (letters, digits, `_`, and `.`/`'`/`:` between letters, `.`/`,`/`;`
between digits) and not the scripts without spaces (CJK, Thai), which
Spin's `kebab_case` treats specially.

One deliberate difference: Spin copies a file whose Liquid does not parse
verbatim, as if it were binary, without a warning. That would leave
`{{ ... }}` in a generated project, so here it is an error.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from liquid import Environment, StrictUndefined

# -- heck 0.5 word splitting and case conversions --------------------------------

# UAX #29 word-break classes between which words do not break (WB6/7, WB11/12).
_MID_LETTER = set(":\u00b7\u0387\u05f4\u2027\ufe13\ufe55\uff1a")
_MID_NUM_LET = set(".\u2018\u2019\u2024\ufe52\uff07\uff0e")
_MID_NUM = set(",;\u037e\u0589\u060c\u060d\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b")
_SINGLE_QUOTE = "'"


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def _joins(before: str, mid: str, after: str) -> bool:
    if before.isalpha() and after.isalpha():
        return mid in _MID_LETTER or mid in _MID_NUM_LET or mid == _SINGLE_QUOTE
    if before.isdigit() and after.isdigit():
        return mid in _MID_NUM or mid in _MID_NUM_LET or mid == _SINGLE_QUOTE
    return False


def _unicode_words(text: str) -> list[str]:
    """The words of `text`, like unicode-segmentation's `unicode_words()`."""
    words: list[str] = []
    current = ""
    for i, char in enumerate(text):
        if _is_word_char(char):
            current += char
        elif current and i + 1 < len(text) and _is_word_char(text[i + 1]) and _joins(current[-1], char, text[i + 1]):
            current += char
        else:
            if current:
                words.append(current)
            current = ""
    if current:
        words.append(current)
    # unicode_words() keeps only segments with an alphanumeric character.
    return [w for w in words if any(c.isalnum() for c in w)]


def _continuous_script(word: str) -> bool:
    """heck's check for scripts without word boundaries (CJK, kana, Thai...)."""
    if not word:
        return False
    code = ord(word[0])
    ranges = [(0x3100, 0x312F), (0x4E00, 0x9FFF), (0x3400, 0x4DB5), (0x20000, 0x2A6DF),
              (0x2A700, 0x2B73F), (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0x2CEB0, 0x2EBEF),
              (0x30000, 0x3134F), (0x3000, 0x303F), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
              (0x3040, 0x309F), (0x30A0, 0x30FF), (0x0E00, 0x0E7F)]
    return any(low <= code <= high for low, high in ranges)


def _lowercase(word: str) -> str:
    # Like heck: a final capital sigma becomes the final form.
    out = [c.lower() for c in word[:-1]]
    if word:
        out.append("\u03c2" if word[-1] == "\u03a3" else word[-1].lower())
    return "".join(out)


def _capitalize(word: str) -> str:
    return word[:1].upper() + _lowercase(word[1:]) if word else ""


_BOUNDARY, _LOWER, _UPPER = 0, 1, 2


def _transform(text: str, with_word: Callable[[str], str], separator: str) -> str:
    """A port of heck's `transform`: split into words, convert, join."""
    out: list[str] = []
    first_word = True

    def emit(piece: str, rest: str) -> None:
        nonlocal first_word
        if not first_word and not _continuous_script(rest):
            out.append(separator)
        first_word = False
        out.append(with_word(piece))

    for word in _unicode_words(text):
        init, mode = 0, _BOUNDARY
        for i, char in enumerate(word):
            if char == "_":
                if init == i:
                    init += 1
                continue
            if i + 1 < len(word):
                nxt = word[i + 1]
                next_mode = _LOWER if char.islower() else _UPPER if char.isupper() else mode
                if nxt == "_" or (next_mode == _LOWER and nxt.isupper()):
                    emit(word[init:i + 1], word[init:])
                    init, mode = i + 1, _BOUNDARY
                elif mode == _UPPER and char.isupper() and nxt.islower():
                    emit(word[init:i], word[init:])
                    init, mode = i, _BOUNDARY
                else:
                    mode = next_mode
            else:
                emit(word[init:], word[init:])
                break
    return "".join(out)


def kebab_case(value: object) -> str:
    return _transform(str(value), _lowercase, "-")


def snake_case(value: object) -> str:
    return _transform(str(value), _lowercase, "_")


def pascal_case(value: object) -> str:
    return _transform(str(value), _capitalize, "")


def dotted_pascal_case(value: object) -> str:
    return ".".join(pascal_case(part) for part in str(value).split("."))


def http_wildcard(value: object) -> str:
    route = str(value)
    if route.endswith("/..."):
        return route
    return route + "..." if route.endswith("/") else route + "/..."


SPIN_FILTERS: dict[str, Callable[[object], str]] = {
    "kebab_case": kebab_case,
    "pascal_case": pascal_case,
    "dotted_pascal_case": dotted_pascal_case,
    "snake_case": snake_case,
    "http_wildcard": http_wildcard,
}


def liquid_environment() -> Environment:
    env = Environment(undefined=StrictUndefined)
    for name, function in SPIN_FILTERS.items():
        env.filters[name] = function
    return env


# -- templates --------------------------------------------------------------------

@dataclass
class Template:
    """A template directory: metadata/spin-template.toml, content/, snippets."""

    root: Path
    manifest: dict[str, object] = field(init=False)

    def __post_init__(self) -> None:
        self.manifest = tomllib.loads((self.root / "metadata" / "spin-template.toml").read_text())

    @property
    def id(self) -> str:
        return str(self.manifest["id"])

    @property
    def parameters(self) -> dict[str, dict[str, object]]:
        return dict(self.manifest.get("parameters", {}))  # type: ignore[arg-type]

    def variant(self, mode: str) -> dict[str, object]:
        key = "new_application" if mode == "new" else "add_component"
        return dict(self.manifest.get(key, {}))  # type: ignore[arg-type]

    def values(self, project_name: str, given: Mapping[str, str], *, output_path: str,
               authors: str, username: str) -> dict[str, str]:
        """Parameter values as `spin new --accept-defaults --value k=v` makes them."""
        unknown = set(given) - set(self.parameters)
        if unknown:
            raise ValueError(f"Template does not contain a parameter named {sorted(unknown)}")
        values = {"authors": authors, "username": username, "project-name": project_name,
                  "output-path": output_path}
        for name, spec in self.parameters.items():
            if name in given:
                value = given[name]
            elif "default" in spec:
                value = str(spec["default"])
            else:
                raise ValueError(f"parameter {name} has no default and no value")
            pattern = spec.get("pattern")
            if pattern is not None and not re.search(str(pattern), value):
                raise ValueError(f"Input '{value}' does not match pattern '{pattern}'")
            allowed = spec.get("allowed_values")
            if allowed is not None and value not in allowed:  # type: ignore[operator]
                raise ValueError(f"Input '{value}' is not one of the allowed values")
            values[name] = value
        return values


def render_text(env: Environment, text: str, values: Mapping[str, str], where: str) -> str:
    try:
        template = env.from_string(text)
    except Exception as exc:  # Spin would copy such a file verbatim
        raise ValueError(f"{where}: Liquid does not parse it, Spin would copy it unrendered: {exc}") from exc
    return template.render(**values)


def render_new(template: Template, dest: Path, project_name: str, given: Mapping[str, str] | None = None,
               *, authors: str = "Test Author <test@example.com>", username: str = "test") -> dict[str, str]:
    """`spin new -t ID PROJECT_NAME --output DEST --accept-defaults --value ...`."""
    values = template.values(project_name, given or {}, output_path=str(dest), authors=authors, username=username)
    _write_content(template, dest, values, template.variant("new"))
    return values


def render_add(template: Template, manifest: Path, component_name: str, given: Mapping[str, str] | None = None,
               *, output_path: str | None = None, authors: str = "Test Author <test@example.com>",
               username: str = "test") -> dict[str, str]:
    """`spin add -t ID COMPONENT_NAME` in the directory of `manifest`: write
    the content (minus add_component.skip_files) to ./OUTPUT_PATH, and append
    the `component` snippet to the manifest as Spin's AppendToml does."""
    output_path = output_path or component_name
    values = template.values(component_name, given or {}, output_path=output_path, authors=authors,
                             username=username)
    variant = template.variant("add")
    _write_content(template, manifest.parent / output_path, values, variant)
    env = liquid_environment()
    snippets = dict(variant.get("snippets", {}))  # type: ignore[call-overload]
    for snippet_id, file_name in snippets.items():
        if snippet_id != "component":
            raise ValueError(f"snippet {snippet_id!r} is not used by these templates")
        path = template.root / "metadata" / "snippets" / str(file_name)
        rendered = render_text(env, path.read_text(), values, str(path))
        existing = manifest.read_text()
        manifest.write_text(existing.rstrip() + "\n\n" + rendered)
    return values


def _write_content(template: Template, dest: Path, values: Mapping[str, str], variant: Mapping[str, object]) -> None:
    env = liquid_environment()
    content = template.root / "content"
    skip = {content / str(name) for name in variant.get("skip_files", [])}  # type: ignore[attr-defined]
    dest.mkdir(parents=True, exist_ok=True)
    for source in sorted(p for p in content.rglob("*") if p.is_file()):
        if source in skip:
            continue
        target = dest / source.relative_to(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        raw = source.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            shutil.copyfile(source, target)  # Spin copies non-UTF-8 files as they are
            continue
        target.write_text(render_text(env, text, values, str(source)))

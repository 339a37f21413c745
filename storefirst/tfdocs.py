"""Inputs/Outputs tables of a module README, generated from its HCL (terraform-docs' layout).

`storefirst docs` rewrites, in every README of a Terraform module in this
repository (modules/*, modules/*/modules/* and the root), the part between
`<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`; `--check` only reports stale ones
(tests/unit/test_conventions.py runs it). terraform-docs itself cannot be installed here.

Types and defaults are printed as written in the .tf files (whitespace folded), the way
terraform-docs prints them; descriptions are read with python-hcl2 (installed with checkov),
which decodes strings and heredocs. Blocks and their attributes are found by a small scanner
that tracks strings, heredocs and brackets, so it needs no full HCL grammar. The output
depends only on the files' text: sorted by name, no dates, deterministic.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import hcl2

from storefirst.terraform import REPO

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"
_BLOCK = re.compile(r'^(variable|output)\s+"([^"]+)"\s*\{', re.M)
_ATTR = re.compile(r"^  ([a-z_]+)\s*=\s*", re.M)  # terraform fmt: two-space attributes
_HEREDOC = re.compile(r"<<-?([A-Za-z_]+)\n")


@dataclass
class Item:
    name: str
    description: str = ""
    type: str = "any"
    default: str | None = None  # HCL text; None = required (variables only)
    sensitive: bool = False


def _expr_end(text: str, i: int) -> int:
    """Index just past the expression starting at i (ends at a newline outside brackets)."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        heredoc = _HEREDOC.match(text, i) if c == "<" else None
        if heredoc:
            end = re.compile(rf"^\s*{heredoc.group(1)}\s*$", re.M).search(text, heredoc.end())
            i = end.end() if end else n
            continue
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "\n" and depth <= 0:
            return i
        i += 1
    return n


def _block_body(text: str, start: int) -> str:
    """Text of the block whose opening brace ends at start, up to its closing brace."""
    end = _expr_end(text, start - 1)  # the block is one bracketed expression
    return text[start:end].rsplit("}", 1)[0]


def _attributes(body: str) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(body):
        out[m.group(1)] = body[m.end() : _expr_end(body, m.end())].strip()
    return out


def _strip_comment(line: str) -> str:
    quoted = False
    for i, c in enumerate(line):
        if c == '"' and (i == 0 or line[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and (c == "#" or line.startswith("//", i)):
            return line[:i]
    return line


def _fold(expr: str) -> str:
    """One line, as a table cell holds it: comments dropped, an object's or a list's lines
    joined with ", " (HCL separates them by newlines, the one-line form by commas)."""
    parts = [p for p in (_strip_comment(line).strip() for line in expr.splitlines()) if p]
    out = ""
    for part in parts:
        if not out or out.endswith(("{", "[", "(", ",")) or part.startswith(("}", "]", ")")):
            out += part
        else:
            out += ", " + part
    return re.sub(r"\s+", " ", out)


def _descriptions(path: Path) -> dict[tuple[str, str], str]:
    with path.open() as f:
        parsed = hcl2.load(f)
    out = {}
    for kind in ("variable", "output"):
        for block in parsed.get(kind, []):
            for name, body in block.items():
                d = body.get("description", "")
                d = d[0] if isinstance(d, list) else d
                out[(kind, name)] = str(d).strip()
    return out


def read_module(module: Path) -> tuple[list[Item], list[Item]]:
    inputs, outputs = [], []
    for tf in sorted(module.glob("*.tf")):
        text = tf.read_text()
        described = _descriptions(tf) if _BLOCK.search(text) else {}
        for m in _BLOCK.finditer(text):
            kind, name = m.group(1), m.group(2)
            attrs = _attributes(_block_body(text, m.end()))
            item = Item(name, described.get((kind, name), ""), sensitive=attrs.get("sensitive") == "true")
            if kind == "variable":
                item.type = _fold(attrs.get("type", "any"))
                item.default = _fold(attrs["default"]) if "default" in attrs else None
                inputs.append(item)
            else:
                outputs.append(item)
    return sorted(inputs, key=lambda i: i.name), sorted(outputs, key=lambda i: i.name)


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|").strip()


def _code(text: str) -> str:
    return f"`{_cell(text)}`"


def render(module: Path) -> str:
    inputs, outputs = read_module(module)
    lines = [BEGIN, "## Inputs", ""]
    if inputs:
        lines += [
            "| Name | Description | Type | Default | Required |",
            "|------|-------------|------|---------|:--------:|",
        ]
        for i in inputs:
            default = "n/a" if i.default is None else _code(i.default)
            lines.append(
                f'| <a name="input_{i.name}"></a> [{i.name}](#input\\_{i.name}) | {_cell(i.description)} '
                f"| {_code(i.type)} | {default} | {'yes' if i.default is None else 'no'} |"
            )
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        for o in outputs:
            desc = _cell(o.description) + (" (sensitive)" if o.sensitive else "")
            lines.append(f'| <a name="output_{o.name}"></a> [{o.name}](#output\\_{o.name}) | {desc} |')
    else:
        lines.append("No outputs.")
    return "\n".join(lines + [END])


def modules() -> list[Path]:
    """Every module whose README carries the markers: the root, modules/*, their submodules,
    modules/internal/*."""
    found = [
        REPO,
        *sorted(p for p in (REPO / "modules").glob("*") if p.is_dir()),
        *sorted(p for p in (REPO / "modules").glob("*/modules/*") if p.is_dir()),
        *sorted(p for p in (REPO / "modules" / "internal").glob("*") if p.is_dir()),
    ]
    return [m for m in found if any(m.glob("*.tf")) and (m / "README.md").exists()]


def updated(readme_text: str, block: str) -> str:
    if BEGIN not in readme_text or END not in readme_text:
        raise ValueError(f"no {BEGIN} ... {END} markers")
    head, rest = readme_text.split(BEGIN, 1)
    return head + block + rest.split(END, 1)[1]


def stale(check_only: bool) -> list[str]:
    out = []
    for module in modules():
        readme = module / "README.md"
        text = readme.read_text()
        if BEGIN not in text:
            out.append(f"{readme.relative_to(REPO)}: no {BEGIN} marker")
            continue
        new = updated(text, render(module))
        if new != text:
            out.append(str(readme.relative_to(REPO)))
            if not check_only:
                readme.write_text(new)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="storefirst docs", description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only list READMEs whose tables are out of date")
    args = ap.parse_args(argv)
    changed = stale(args.check)
    for path in changed:
        print(("stale: " if args.check else "updated: ") + path)
    return 1 if args.check and changed else 0

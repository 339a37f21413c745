"""docs/aws-behaviours.md: every row names a test that exists and cites an AWS source."""

from __future__ import annotations

import ast
import re

from storefirst.terraform import REPO

DOC = REPO / "docs" / "aws-behaviours.md"


def rows() -> list[list[str]]:
    out = []
    for line in DOC.read_text().splitlines():
        if not line.startswith("| ") or line.startswith("| behaviour") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        out.append(cells)
    return out


def test_table_has_rows_with_five_columns():
    found = rows()
    assert len(found) >= 30
    assert all(len(r) == 5 for r in found), [r[0] for r in found if len(r) != 5]


def test_every_row_test_exists():
    missing = []
    for behaviour, _aws, _module, _local, test in rows():
        m = re.fullmatch(r"`(tests/[\w/]+\.py)::(\w+)`", test)
        if not m:
            missing.append(f"{behaviour}: not a test id: {test}")
            continue
        path = REPO / m.group(1)
        if not path.exists():
            missing.append(f"{behaviour}: no file {m.group(1)}")
            continue
        names = {n.name for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.FunctionDef)}
        if m.group(2) not in names:
            missing.append(f"{behaviour}: no test {m.group(2)} in {m.group(1)}")
    assert not missing, "\n".join(missing)


def test_every_row_cites_a_source_and_a_local_file():
    for behaviour, aws, _module, local, _test in rows():
        assert re.search(r"\.html|github\.com|issue \d+|API reference|developer guide|User Guide", aws, re.I), behaviour
        files = re.findall(r"`([\w/]+\.py)`", local)
        for f in files:
            candidates = [REPO / f, REPO / "storefirst" / "local" / f]
            assert any(c.exists() for c in candidates), f"{behaviour}: {f}"

"""Run each module's native `terraform test` files (mock_provider "aws") from pytest."""

from __future__ import annotations

import pytest

from storefirst.terraform import Workdir
from tf_roots import ENVS, INTERNAL, MODULES, rel

pytestmark = pytest.mark.terraform

WITH_TESTS = [d for d in MODULES + INTERNAL + ENVS if list(d.glob("tests/*.tftest.hcl")) or list(d.glob("*.tftest.hcl"))]


@pytest.mark.parametrize("tfdir", WITH_TESTS, ids=rel)
def test_terraform_test(tfdir, built_zips):
    wd = Workdir(tfdir)
    wd.init()
    res = wd.run("test", "-no-color", check=False)
    assert res.returncode == 0, res.output
    assert " 0 failed" in res.output and "passed" in res.output, res.output


def test_every_module_has_native_tests():
    missing = [rel(m) for m in MODULES + INTERNAL if m not in WITH_TESTS]
    assert missing == [], f"modules without tests/*.tftest.hcl: {missing}"

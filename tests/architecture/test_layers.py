"""The apps depend downward only (bench → dpo → retention → meetings → cases → participants →
livc), and production code imports neither tests nor benchmarks: `make lint` runs import-linter
with the contracts in pyproject.toml. These tests prove that the contracts bite."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["livc", "participants", "cases", "meetings", "retention", "dpo", "bench", "tests"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def tree(tmp_path):
    """A copy of the code and its contracts, to break on purpose."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(module: Path, statement: str) -> None:
    module.write_text(f"{statement}  # noqa\n{module.read_text()}")


def test_the_code_keeps_its_contracts(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout


def test_a_cases_module_that_imports_meetings_breaks_the_layers(tree):
    add_import(tree / "cases" / "selectors.py", "import meetings.models")
    result = lint(tree)
    assert result.returncode != 0
    assert "Apps depend downward only" in result.stdout and "BROKEN" in result.stdout
    assert "cases.selectors -> meetings.models" in result.stdout


def test_production_code_that_imports_tests_breaks_a_contract(tree):
    add_import(tree / "retention" / "services.py", "import tests.base")
    result = lint(tree)
    assert result.returncode != 0
    assert "Production code imports neither tests nor benchmarks BROKEN" in result.stdout

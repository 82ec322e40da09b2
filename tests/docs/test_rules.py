"""docs/rules.md states the 16 legal rules, each with the code that enforces it and the tests that
prove it. These tests keep it true: every cited module, function and test must exist (read with
`ast`, nothing is imported), and every rule must cite at least one test. The documentation also
stays inside the repository: nothing cites a file a clone does not have."""

import ast
import re
import subprocess
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"
HEADING = re.compile(r"^## Rule (\d+)\. (.+)$", re.M)
REFERENCE = re.compile(r"`([\w/.-]+\.py)::([\w.]+)`")
# The design notes the project started from live outside the repository; spelled in parts so that
# this file does not cite them itself.
OUTSIDE = tuple(
    "".join(parts) for parts in [("../", "shared"), ("DESIGN", ".md"), ("STYLE", ".md"), ("GLOSSARY", ".md")]
)


def sections() -> dict[int, str]:
    text = RULES.read_text()
    found = list(HEADING.finditer(text))
    ends = [match.start() for match in found[1:]] + [len(text)]
    return {int(match[1]): text[match.end() : end] for match, end in zip(found, ends, strict=True)}


def references(section: str, label: str) -> list[tuple[str, str]]:
    lines = [line for line in section.splitlines() if line.startswith(f"- {label}:")]
    return [pair for line in lines for pair in REFERENCE.findall(line)]


@cache
def defined_names(path: str) -> frozenset[str]:
    """Top-level functions and classes of a module, and `Class.method` for their methods."""
    tree = ast.parse((ROOT / path).read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}.{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)}
        if isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return frozenset(names)


def missing(pairs: list[tuple[str, str]]) -> list[str]:
    return [
        f"{path}::{name}"
        for path, name in pairs
        if not (ROOT / path).is_file() or name not in defined_names(path)
    ]


def test_all_sixteen_rules_are_there_in_order():
    assert list(sections()) == list(range(1, 17))


def test_every_rule_cites_the_code_that_enforces_it_and_a_test_that_proves_it():
    for number, section in sections().items():
        assert references(section, "Code"), f"rule {number} cites no code"
        tests = references(section, "Tests")
        assert tests, f"rule {number} cites no test"
        assert all(path.startswith("tests/") for path, _name in tests), (
            f"rule {number}: a test outside tests/"
        )


def test_every_cited_module_function_and_test_exists():
    cited = [pair for section in sections().values() for pair in REFERENCE.findall(section)]
    assert cited
    assert missing(cited) == []


def test_the_check_notices_a_reference_that_does_not_exist():
    assert missing([("cases/selectors.py", "no_such_selector"), ("cases/nowhere.py", "case_list")]) == [
        "cases/selectors.py::no_such_selector",
        "cases/nowhere.py::case_list",
    ]
    assert missing([("cases/selectors.py", "case_visible_list")]) == []


def test_files_the_documents_name_exist():
    for document in [RULES, ROOT / "docs" / "architecture.md"]:
        for path in re.findall(r"`([\w/-]+(?:/[\w-]+)*\.py)(?:::[\w.]+)?`", document.read_text()):
            assert (ROOT / path).is_file(), f"{document.name} names {path}, which does not exist"


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed]


def test_the_repository_cites_no_document_outside_itself():
    wanted = re.compile(r"\.(py|html|md|txt|toml)$|^Makefile$")
    offenders = []
    for path in tracked_files():
        relative = path.relative_to(ROOT).as_posix()
        if not wanted.search(path.name) or not path.is_file():
            continue
        text = path.read_text(errors="ignore")
        offenders += [f"{relative}: {needle}" for needle in OUTSIDE if needle in text]
    assert offenders == []

"""The documents stay true to the code.

`docs/rules.md` states the nineteen legal rules, each with its source, the code that enforces it
and the tests that prove it. These tests fail when a rule is missing or out of order, cites no code or
no test, or cites a module, function, class or test that does not exist. Cited names are found
by reading the modules with `ast`: nothing is imported and no database is needed. The documents
must also name only files that exist, and the repository must not point at design documents
kept outside it.
"""

import ast
import os
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RULES = DOCS / "rules.md"

# The instruments a rule may come from (docs/rules.md, first paragraph).
INSTRUMENTS = ("Law of 30 July 2018", "law of 30 July 2018", "Criminal Code", "GDPR", "Flemish decree")
HEADING = re.compile(r"^## Rule (\d+)\. (\S.*)$", re.MULTILINE)
BACKTICKED = re.compile(r"`([^`\n]+)`")
REFERENCE = re.compile(r"([\w./-]+\.py)::([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)")
PYTHON_PATH = re.compile(r"`((?:[\w.-]+/)*[\w.-]+\.py)(?:::[\w.]+)?`")
DEFINITIONS = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
FUNCTIONS = ast.FunctionDef | ast.AsyncFunctionDef

# Spelled in pieces, so that this file passes its own check.
OUTSIDE = ("../" + "shared", "shared/" + "DESIGN", "DESIGN" + ".md", "STYLE" + ".md", "GLOSSARY" + ".md")
CHECKED_FILES = ("README.md", "CONTRIBUTING.md", "CHANGELOG.md", "Makefile", "pyproject.toml")
CHECKED_TREES = (
    "livc",
    "participants",
    "cases",
    "meetings",
    "retention",
    "dpo",
    "bench",
    "templates",
    "tests",
)
CHECKED_SUFFIXES = (".py", ".html", ".txt", ".md")
SKIPPED = frozenset({".venv", ".git", "__pycache__", "node_modules", ".mypy_cache", ".ruff_cache"})


# --- Reading the documents -------------------------------------------------------------------


def rule_sections() -> list[tuple[int, str]]:
    """(number, body) of every `## Rule N. Title` section of docs/rules.md, in written order."""
    text = RULES.read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    ends = [*(match.start() for match in found[1:]), len(text)]
    return [(int(match[1]), text[match.end() : end]) for match, end in zip(found, ends, strict=True)]


def cited(body: str, label: str) -> list[str]:
    """Every backticked item on a section's `- Code:` or `- Tests:` line."""
    items = []
    for line in body.splitlines():
        if line.startswith(f"- {label}:"):
            items += BACKTICKED.findall(line)
    return items


def as_reference(item: str) -> tuple[str, str] | None:
    """`path.py::name` as (path, name); None for anything else."""
    match = REFERENCE.fullmatch(item)
    return (match[1], match[2]) if match else None


def rule_references(label: str) -> list[tuple[int, str, tuple[str, str] | None]]:
    """(rule number, cited item, reference or None) for every item cited on the label's lines."""
    found = []
    for number, body in rule_sections():
        found += [(number, item, as_reference(item)) for item in cited(body, label)]
    return found


def documents() -> list[Path]:
    """The documents whose file names and references are checked. Not the changelog: it rightly
    names files that are gone."""
    return [*sorted(DOCS.rglob("*.md")), ROOT / "CONTRIBUTING.md"]


# --- Reading the code ------------------------------------------------------------------------


@cache
def defined_names(path: str) -> frozenset[str]:
    """The module's top-level functions and classes, and `Class.method` for each class's methods."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    names = set()
    for node in tree.body:
        if isinstance(node, DEFINITIONS):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}.{item.name}" for item in node.body if isinstance(item, FUNCTIONS)}
    return frozenset(names)


def missing(references: list[tuple[str, str]]) -> list[str]:
    """The references whose module does not exist or does not define the name."""
    absent = []
    for path, name in references:
        if not (ROOT / path).is_file() or name not in defined_names(path):
            absent.append(f"{path}::{name}")
    return absent


# --- docs/rules.md ----------------------------------------------------------------------------


def test_the_rules_are_all_there_once_and_in_order():
    assert [number for number, _body in rule_sections()] == list(range(1, 20))


def test_every_rule_states_itself_then_gives_its_source_its_code_and_its_tests():
    for number, body in rule_sections():
        lines = [line for line in body.splitlines() if line.strip()]
        labels = [line.split(":", 1)[0] for line in lines if line.startswith("- ")]
        assert labels == ["- Source", "- Code", "- Tests"], f"rule {number}: Source, Code, Tests lines"
        assert not lines[0].startswith("- "), f"rule {number} has no paragraph stating the rule"


def test_every_rule_names_its_instrument_and_the_cells_it_holds_for():
    for number, body in rule_sections():
        source = next(line for line in body.splitlines() if line.startswith("- Source:"))
        assert any(instrument in source for instrument in INSTRUMENTS), f"rule {number} names no instrument"
        assert "every cell" in source or "Flemish cell" in source, f"rule {number}: for which cells?"


def test_every_rule_cites_the_code_that_enforces_it():
    for number, body in rule_sections():
        assert cited(body, "Code"), f"rule {number} cites no code"


def test_every_rule_cites_a_test():
    for number, body in rule_sections():
        assert cited(body, "Tests"), f"rule {number} cites no test"


def test_every_citation_is_a_path_and_a_name():
    cited_items = rule_references("Code") + rule_references("Tests")
    malformed = [f"rule {number}: {item}" for number, item, reference in cited_items if reference is None]
    assert malformed == []


def test_the_cited_tests_are_test_functions_under_tests():
    wrong = []
    for number, item, reference in rule_references("Tests"):
        if reference and not (reference[0].startswith("tests/") and reference[1].startswith("test_")):
            wrong.append(f"rule {number}: {item}")
    assert wrong == []


def test_the_cited_code_is_production_code():
    wrong = []
    for number, item, reference in rule_references("Code"):
        if reference and reference[0].startswith("tests/"):
            wrong.append(f"rule {number}: {item}")
    assert wrong == []


def test_every_cited_module_function_class_and_test_exists():
    cited_items = rule_references("Code") + rule_references("Tests")
    references = [reference for _number, _item, reference in cited_items if reference]
    assert references
    assert missing(references) == []


def test_the_existence_check_notices_what_is_not_there():
    absent = [
        ("cases/selectors.py", "no_such_selector"),
        ("cases/nowhere.py", "case_list"),
        ("livc/cells/models.py", "Membership.no_such_method"),
        ("livc/cells/models.py", "MINIMUM_COMPOSITION"),
    ]
    assert missing(absent) == [f"{path}::{name}" for path, name in absent]
    present = [
        ("cases/selectors.py", "case_visible_list"),
        ("livc/cells/models.py", "Membership.require_role"),
    ]
    assert missing(present) == []


# --- Every document ---------------------------------------------------------------------------


def test_every_python_file_the_documents_name_exists():
    absent = []
    for document in documents():
        for path in PYTHON_PATH.findall(document.read_text(encoding="utf-8")):
            if not (ROOT / path).is_file():
                absent.append(f"{document.relative_to(ROOT)} names {path}")
    assert absent == []


def test_every_path_and_name_the_documents_cite_exists():
    references = []
    for document in documents():
        items = BACKTICKED.findall(document.read_text(encoding="utf-8"))
        references += [reference for item in items if (reference := as_reference(item))]
    assert missing(references) == []


def test_the_decision_records_are_numbered_in_order_and_give_context_decision_and_consequences():
    records = sorted((DOCS / "adr").glob("*.md"))
    assert [path.name[:5] for path in records] == [f"{n:04d}-" for n in range(1, len(records) + 1)]
    for path in records:
        text = path.read_text(encoding="utf-8")
        for part in ("**Context.**", "**Decision.**", "**Consequences.**"):
            assert part in text, f"{path.name} lacks {part}"


# --- The repository is self-contained ---------------------------------------------------------


def checked_files() -> list[Path]:
    """README, CONTRIBUTING, the changelog, the build files, docs/, and every source file of the
    apps, the templates and the tests (found by walking the tree, skipping the virtualenv)."""
    files = [ROOT / name for name in CHECKED_FILES if (ROOT / name).is_file()]
    files += sorted(DOCS.rglob("*.md"))
    for tree in CHECKED_TREES:
        for directory, subdirectories, names in os.walk(ROOT / tree):
            subdirectories[:] = sorted(name for name in subdirectories if name not in SKIPPED)
            files += [Path(directory, name) for name in sorted(names) if name.endswith(CHECKED_SUFFIXES)]
    return files


def test_nothing_points_at_design_documents_outside_the_repository():
    offenders = []
    for path in checked_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {needle}" for needle in OUTSIDE if needle in text]
    assert offenders == []


def test_the_self_containment_check_reads_the_code_the_docs_and_itself():
    files = {path.relative_to(ROOT).as_posix() for path in checked_files()}
    expected = {
        "README.md",
        "CONTRIBUTING.md",
        "docs/rules.md",
        "cases/selectors.py",
        "tests/docs/test_rules.py",
    }
    assert expected <= files
    assert "templates/base.html" in files and "livc/cells/middleware.py" in files
    assert not any(part in SKIPPED for name in files for part in name.split("/"))

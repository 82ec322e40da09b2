"""What depends on a cell's legal framework is decided in livc/legal.py only (docs/adr/0015)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = ("livc", "participants", "cases", "meetings", "retention", "dpo", "bench", "templates")
# Where the setting may be named without deciding anything: its field, the admin, the demo.
ALLOWED = {"livc/legal.py", "livc/cells/models.py", "livc/cells/admin.py", "livc/cells/demo.py"}
DECIDING = re.compile(r"legal_framework\s*(==|!=|\bin\b|\bnot in\b)|LegalFramework\.(FLEMISH|FEDERAL)")
IN_TEMPLATE = re.compile(r"\.legal_framework")  # the attribute; the `{% legal_framework %}` tag asks legal.py
DECREE_WORDS = re.compile(r"decree|decreet|décret|Dekret|Vlaamse Toezichtcommissie", re.IGNORECASE)


def _files(suffix: str) -> list[Path]:
    found = []
    for tree in TREES:
        found += [
            path
            for path in (ROOT / tree).rglob(f"*{suffix}")
            if "migrations" not in path.parts and "__pycache__" not in path.parts
        ]
    return found


def test_no_module_but_livc_legal_asks_which_framework_a_cell_has() -> None:
    offending = [
        str(path.relative_to(ROOT))
        for path in _files(".py")
        if str(path.relative_to(ROOT)) not in ALLOWED and DECIDING.search(path.read_text(encoding="utf-8"))
    ]
    offending += [
        str(path.relative_to(ROOT))
        for path in _files(".html")
        if IN_TEMPLATE.search(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def test_no_template_names_the_decree_itself() -> None:
    """A reference to the decree reaches a page only through livc/legal.py, for a Flemish cell."""
    offending = [
        str(path.relative_to(ROOT))
        for path in _files(".html") + _files(".typ")
        if DECREE_WORDS.search(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def test_the_check_notices_a_template_deciding_for_itself() -> None:
    assert DECIDING.search("if cell.legal_framework == 'flemish':")
    assert DECIDING.search("LegalFramework.FEDERAL")
    assert IN_TEMPLATE.search("{% if cell.legal_framework %}")
    assert not IN_TEMPLATE.search("{% legal_framework cell %}")
    assert DECREE_WORDS.search("set by the decree")

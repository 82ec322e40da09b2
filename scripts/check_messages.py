#!/usr/bin/env python3
"""Fail when a UI string has no nl/fr/en translation or a compiled catalogue is stale.

Extracts the strings from the code into a scratch copy of the catalogues (the tree is left
as it was), then checks that no entry is untranslated or fuzzy, and that each committed
.mo holds exactly the messages of its .po.
"""

import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["nl", "fr", "de", "en"]


def run(*args: str, **kwargs: object) -> str:
    # Fixed programs (msgfmt, msgattrib, manage.py) with our own arguments.
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout  # type: ignore[call-overload]  # noqa: S603


def catalogue(mo_path: Path) -> dict[object, str]:
    with mo_path.open("rb") as handle:
        messages = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    messages.pop("", None)  # the header changes with every extraction
    return messages


def main() -> int:
    if shutil.which("msgfmt") is None:
        print("gettext is not installed (apt-get install gettext)")
        return 1
    problems: list[str] = []
    backup = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "locale", backup / "locale")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "livc.settings.test"}
    try:
        for language in LOCALES:
            po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
            mo = po.with_suffix(".mo")
            if not mo.exists():
                problems.append(f"{mo.relative_to(ROOT)} is missing: run `make messages`")
                continue
            compiled_now = backup / f"{language}.mo"
            run("msgfmt", "--check", "-o", str(compiled_now), str(po))
            if catalogue(compiled_now) != catalogue(mo):
                problems.append(f"{mo.relative_to(ROOT)} does not match its .po: run `make messages`")
        run(
            sys.executable, "manage.py", "makemessages", *[f"-l{code}" for code in LOCALES],
            "--no-obsolete", "--ignore=.venv", "--ignore=tests", "--add-location=file",
            cwd=ROOT, env=env,
        )  # fmt: skip
        for language in LOCALES:
            po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
            for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
                found = run("msgattrib", flag, "--no-obsolete", str(po))
                lines = found.splitlines()
                ids = [line for line in lines if line.startswith("msgid ") and line != 'msgid ""']
                problems.extend(f"{language}: {what} {line[6:]}" for line in ids)
    finally:
        shutil.rmtree(ROOT / "locale")
        shutil.copytree(backup / "locale", ROOT / "locale")
        shutil.rmtree(backup)
    for problem in problems:
        print(problem)
    print("Catalogues complete." if not problems else f"{len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

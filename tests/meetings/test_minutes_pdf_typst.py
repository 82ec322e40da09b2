"""The minutes PDF made by Typst (ADR 9): what people typed prints as text, never as Typst markup;
multi-line texts keep their lines; the file is tagged PDF/UA-1 in the recipient's language, with
Dutch and French labels; a template Typst cannot compile fails the copy, naming no data."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from meetings import minutes_pdf
from meetings.minutes_pdf import MinutesPdfError, render_minutes
from meetings.models import MinutesDocument
from tests.meetings.conftest import end_and_finalise, write_minutes

pytestmark = pytest.mark.django_db

NUMBER = "LIVC-7KQ4-M2XA"
MARKUP = [
    '#panic("x")',
    "*bold*",
    "_emph_",
    "= heading",
    "$x^2$",
    "<label>",
    "@ref",
    "back\\slash \\",
    "a ] b [ c",
    "#{1 + 1}",
    '#read("minutes.typ")',
    "`raw` // comment /* c */",
    "- item + item / term: x",
]
PSEUDONYM = 'Pers #panic("boem") *vet* ] $y$ <l> @r \\'


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_typst_markup_in_a_pseudonym_and_the_minutes_prints_literally(members, running, agenda):
    case = agenda["case_a"].case
    case.subject.pseudonym = PSEUDONYM
    case.subject.save(update_fields=["pseudonym"])
    write_minutes(members, agenda["case_a"], "\n".join(MARKUP))
    write_minutes(members, agenda["topic"], '= Kop\n#panic("onderwerp") ] *x*')
    text = text_of(render_minutes(running, members["coordinator"], number=NUMBER))
    assert f"{case.reference} — {PSEUDONYM}" in collapsed(text)
    lines = text.splitlines()
    for line in MARKUP:  # each on a line of its own, as typed
        assert line in lines, (line, lines)
    assert "= Kop" in lines and '#panic("onderwerp") ] *x*' in lines


def test_multi_line_texts_keep_their_lines(members, running, agenda):
    write_minutes(members, agenda["case_a"], "Eerste regel\r\nTweede   regel\n\nVierde regel")
    text = text_of(render_minutes(running, members["coordinator"], number=NUMBER))
    assert re.search(r"Eerste regel\n+Tweede regel\n+Vierde regel", text), text


def test_the_pdf_is_tagged_pdf_ua_in_the_recipients_language(cast, members, running, agenda):
    cast.bob.language = "nl"
    cast.bob.save(update_fields=["language"])
    members["participant"].user.refresh_from_db()
    pdf = render_minutes(running, members["participant"], number=NUMBER)
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "nl"
    assert reader.metadata.title == "Verslag: Casusoverleg november · LIVC-R Alfa"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp), xmp  # declares PDF/UA-1


@pytest.mark.parametrize(
    "language, labels",
    [
        (
            "nl",
            [
                "Verslag: Casusoverleg november",
                "Alleen voor Bob Bosmans",
                f"Documentnr. {NUMBER}",
                "Aanwezigheid",
                "Signalen",
            ],
        ),
        (
            "fr",
            [
                "Procès-verbal: Casusoverleg november",
                "Uniquement pour Bob Bosmans",
                f"Document n° {NUMBER}",
                "Présence",
                "Signaux",
            ],
        ),
    ],
)
def test_dutch_and_french_recipients_read_their_labels(cast, members, running, agenda, language, labels):
    cast.bob.language = language
    cast.bob.save(update_fields=["language"])
    members["participant"].user.refresh_from_db()
    write_minutes(members, agenda["case_a"], "Bespreking.")
    text = collapsed(text_of(render_minutes(running, members["participant"], number=NUMBER)))
    for label in labels:
        assert label in text, (label, text)


def broken_template(tmp_path, monkeypatch):
    """A template that fails with the data in its message, as a Typst error could."""
    (tmp_path / minutes_pdf.TEMPLATE).write_text(
        "#let data = json(bytes(sys.inputs.data))\n#panic(data.title, data.items)\n"
    )
    monkeypatch.setattr(minutes_pdf, "TEMPLATE_DIR", tmp_path)


def test_a_compile_error_raises_an_error_that_names_no_data(members, running, agenda, tmp_path, monkeypatch):
    write_minutes(members, agenda["case_a"], "EIK-GEHEIM")
    broken_template(tmp_path, monkeypatch)
    with pytest.raises(MinutesPdfError) as raised:
        render_minutes(running, members["coordinator"], number=NUMBER)
    assert "Casusoverleg" not in str(raised.value) and "EIK-GEHEIM" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_copy_typst_cannot_make_is_marked_failed(
    cast, as_user, members, running, agenda, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    write_minutes(members, agenda["case_a"], "EIK-GEHEIM")
    end_and_finalise(members, running)
    broken_template(tmp_path, monkeypatch)
    url = reverse("meetings:pdf_request", kwargs={"cell_slug": "alfa", "pk": running.pk})
    with django_capture_on_commit_callbacks(execute=True):
        as_user(cast.bob).post(url)
    assert MinutesDocument.objects.get(recipient=cast.bob).status == MinutesDocument.Status.FAILED


def test_the_template_reads_no_file_outside_its_folder(members, running, tmp_path, monkeypatch):
    root = tmp_path / "root"
    root.mkdir()
    (root / minutes_pdf.TEMPLATE).write_text('#read("../settings.py")\n')
    (tmp_path / "settings.py").write_text("SECRET = 1\n")
    monkeypatch.setattr(minutes_pdf, "TEMPLATE_DIR", root)
    with pytest.raises(MinutesPdfError):
        render_minutes(running, members["coordinator"], number=NUMBER)

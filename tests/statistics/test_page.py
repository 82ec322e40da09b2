"""The statistics page, its CSV and its PDF annual report: who reads them (the mayor, the
coordinator, the strategic table; everyone else a 404), what they show (the same figures, small
counts hidden, the rule stated), per year and, for a joint cell, per municipality."""

import base64
import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pypdf import PdfReader

from livc.statistics.access import MENU_SECONDS
from livc.statistics.models import StatEvent, StatKind
from livc.statistics.selectors import HIDDEN_TEXT, SMALL_TEXT, suppression_rule
from livc.statistics.services import stat_record
from meetings.models import Attendance, AttendanceStatus
from meetings.services import meetings as meeting_services
from tests.base import earlier_today
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(name: str, slug: str = "alfa", **query) -> str:
    address = reverse(f"statistics:{name}", kwargs={"cell_slug": slug})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def day(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter - 1, 10)


def count(cell, kind, n, *, quarter, year=2026, detail="", months=None, municipality=None):
    for _ in range(n):
        stat_record(
            cell=cell,
            kind=kind,
            on=day(year, quarter),
            detail=detail,
            months=months,
            municipality=municipality,
        )


@pytest.fixture
def counted(cast):
    """Cell A's 2026: referrals from schools (big) and the CLB (small), outcomes, closed cases,
    meetings; one event in 2025."""
    cell = cast.cell_a
    count(cell, StatKind.REFERRAL_RECEIVED, 9, quarter=1, detail="school")
    count(cell, StatKind.REFERRAL_RECEIVED, 2, quarter=1, detail="clb")
    count(cell, StatKind.REFERRAL_RECEIVED, 7, quarter=2, detail="school")
    count(cell, StatKind.REFERRAL_RECEIVED, 6, quarter=3, detail="social_service")
    count(cell, StatKind.REFERRAL_QUALIFIED, 8, quarter=1, detail="retained")
    count(cell, StatKind.REFERRAL_QUALIFIED, 3, quarter=1, detail="not_retained")
    count(cell, StatKind.REFERRAL_QUALIFIED, 12, quarter=2, detail="retained")
    count(cell, StatKind.CASE_OPENED, 8, quarter=1)
    count(cell, StatKind.CASE_OPENED, 12, quarter=2)
    count(cell, StatKind.CASE_CLOSED, 6, quarter=3, months=8)
    count(cell, StatKind.CASE_CLOSED, 1, quarter=3, months=30)
    count(cell, StatKind.MEETING_HELD, 3, quarter=1, detail="operational")
    count(cell, StatKind.MEETING_HELD, 6, quarter=2, detail="operational")
    count(cell, StatKind.MEETING_HELD, 1, quarter=2, detail="strategic")
    count(cell, StatKind.MINOR_INVOLVED, 1, quarter=4, year=2025)
    count(cell, StatKind.MEETING_HELD, 7, quarter=4, year=2025, detail="operational")
    return cell


def strategic_meeting(members, rules, participant, *, stands_in_for=None):
    meeting = meeting_services.meeting_create(member=members["coordinator"], kind="strategic",
                                              title="Strategisch overleg", starts_at=earlier_today(hours=1))  # fmt: skip
    return Attendance.objects.create(
        meeting=meeting, participant=participant, status=AttendanceStatus.PRESENT, stands_in_for=stands_in_for
    )


def menu_links(response) -> bool:
    return url("report").encode() in response.content


# --- Who reads them ----------------------------------------------------------------------------------


def test_the_mayor_and_the_coordinator_read_the_statistics_and_the_menu_leads_there(cast, as_user, counted):
    for user in (cast.alice, cast.mayor):
        client = as_user(user)
        response = client.get(url("report"))
        assert response.status_code == 200
        assert b'aria-current="page">Statistics' in response.content
        assert menu_links(client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"})))


def test_a_participant_reads_them_once_she_sits_at_the_strategic_table(
    cast, as_user, members, seats, rules, clock, counted
):
    bob = as_user(cast.bob)
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert bob.get(url("report")).status_code == 404
    assert not menu_links(bob.get(home))
    strategic_meeting(members, rules, seats["participant"])
    assert bob.get(url("report")).status_code == 200  # the page asks every time
    assert bob.get(url("pdf")).status_code == 200
    clock.move_to(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=MENU_SECONDS + 1))
    assert menu_links(bob.get(home))  # the menu, within minutes


def test_standing_in_for_someone_at_a_strategic_meeting_gives_no_access(cast, as_user, members, seats, rules):
    strategic_meeting(members, rules, seats["participant"], stands_in_for=seats["mayor"])
    assert as_user(cast.bob).get(url("report")).status_code == 404


@pytest.mark.parametrize("name", ["report", "csv", "pdf"])
def test_everyone_else_gets_404(cast, as_user, members, seats, rules, name):
    strategic_meeting(members, rules, seats["mayor"])  # someone is at the strategic table; not they
    for user in (cast.officer, cast.dpo, cast.bob, cast.dries, cast.charlie):
        assert as_user(user).get(url(name)).status_code == 404, user
    assert as_user(cast.officer).post(url(name)).status_code == 404


def test_another_cells_coordinator_reads_his_own_cells_figures_only(cast, as_user, counted):
    stat_record(cell=cast.cell_b, kind=StatKind.CASE_OPENED, on=day(2026, 1))
    count(cast.cell_b, StatKind.MEETING_HELD, 9, quarter=2, detail="operational")
    response = as_user(cast.charlie).get(url("report", slug="bravo"))
    assert response.status_code == 200
    assert tables_of(response.content.decode())["The year per quarter"]["Cases opened"] == [
        "< 5",
        "0",
        "0",
        "0",
        "< 5",
    ]


# --- What they show -----------------------------------------------------------------------------------


class Tables(HTMLParser):
    """The page's tables as {title: {row label: [figures]}}, without the words for screen readers."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self.title, self.row, self.text, self.hidden_depth, self.in_cell, self.in_title = (
            "",
            None,
            "",
            0,
            False,
            False,
        )

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if self.hidden_depth or (tag == "span" and "visually-hidden" in classes):
            self.hidden_depth += tag == "span"
        elif tag == "h3":
            self.in_title, self.text = True, ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.in_cell, self.text = True, ""

    def handle_endtag(self, tag):
        if self.hidden_depth:
            self.hidden_depth -= tag == "span"
        elif tag == "h3":
            self.in_title, self.title = False, self.text.strip()
            self.tables[self.title] = {}
        elif tag in ("td", "th") and self.in_cell:
            self.row.append(" ".join(self.text.split()))
            self.in_cell = False
        elif tag == "tr" and self.row:
            self.tables[self.title][self.row[0]] = self.row[1:]
            self.row = None

    def handle_data(self, data):
        if not self.hidden_depth and (self.in_cell or self.in_title):
            self.text += data


def tables_of(html: str) -> dict[str, dict[str, list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def csv_tables(text: str) -> dict[str, dict[str, list[str]]]:
    tables, title, rows = {}, None, list(csv.reader(io.StringIO(text)))
    for row, following in zip(rows, [*rows[1:], []], strict=True):
        if len(row) == 1 and following:  # a table's title, then its header
            title = row[0]
            tables[title] = {}
        elif title and row:
            tables[title][row[0]] = row[1:]
    return tables


def test_the_page_shows_charts_the_figures_and_the_rule(cast, as_user, counted):
    html = as_user(cast.alice).get(url("report", year=2026)).content.decode()
    charts = re.findall(
        r'<img class="stat-chart__img" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html
    )
    assert [alt for _svg, alt in charts] == [
        "Referrals received per quarter",
        "Referrals received in the year, by organisation type",
        "Referrals qualified in the year, by outcome",
        "Cases closed in the year, by how long they were open",
        "Meetings held in the year, by table",
    ]
    per_quarter = base64.b64decode(charts[0][0]).decode()
    assert per_quarter.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert per_quarter.count('<rect class="stat-chart__bar"') == 3  # 11, 7 and 6; no bar for the 0
    assert ">11</text>" in per_quarter and "<style>" in per_quarter
    by_type = base64.b64decode(charts[1][0]).decode()
    assert by_type.count("<rect") == 1 and by_type.count(">" + HIDDEN_TEXT + "<") == 1  # the school's 16
    assert "Counts from 1 to 4 are shown as" in html
    tables = tables_of(html)
    assert tables["The year per quarter"]["Referrals received"] == ["11", "7", "6", "0", "24"]
    by_type = tables["Referrals received, by the referrer's organisation type"]
    assert by_type["School"] == ["9", "7", "0", "0", "16"]
    # The CLB's 2 would follow from 11 - 9 in the first quarter, and from 24 - 16 - 6 in the year:
    # the social service's figures are hidden too, and the CLB's in the third quarter (a 0).
    assert by_type["CLB (pupil guidance centre)"] == [SMALL_TEXT, "0", HIDDEN_TEXT, "0", SMALL_TEXT]
    assert by_type["OCMW / social service"] == [HIDDEN_TEXT, "0", HIDDEN_TEXT, "0", HIDDEN_TEXT]
    assert list(by_type) == [
        "Category",
        "OCMW / social service",
        "CLB (pupil guidance centre)",
        "School",
        "Total",
    ]
    assert tables["The year per quarter"]["Meetings held"][1:] == ["7", HIDDEN_TEXT, "0", "10"]


def test_the_page_the_csv_and_the_pdf_show_the_same_figures(cast, as_user, counted):
    client = as_user(cast.alice)
    page = tables_of(client.get(url("report", year=2026)).content.decode())
    csv_response = client.get(url("csv", year=2026))
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="statistics-alfa-2026.csv"' in csv_response["Content-Disposition"]
    text = csv_response.content.decode()
    assert suppression_rule() in text
    assert csv_tables(text) == page
    hidden = [figure for rows in page.values() for figures in rows.values() for figure in figures]
    assert SMALL_TEXT in hidden and HIDDEN_TEXT in hidden  # something to compare
    pdf = client.get(url("pdf", year=2026))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    words = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "LIVC-R Alfa" in words and "2026" in words
    assert " ".join(suppression_rule().split()) in words
    for title, rows in page.items():
        assert title in words
        for label, figures in rows.items():
            assert " ".join([label, *figures]) in words, (title, label)


def test_a_year_is_chosen_and_a_bad_choice_is_explained(cast, as_user, counted):
    client = as_user(cast.alice)
    last_year = tables_of(client.get(url("report", year=2025)).content.decode())
    assert last_year["The year per quarter"]["Cases involving a minor"] == [
        "0",
        "0",
        "0",
        SMALL_TEXT,
        SMALL_TEXT,
    ]
    response = client.get(url("report", year="abc"))
    assert response.status_code == 400
    assert b"Select a valid choice. abc is not one of the available choices." in response.content
    assert client.get(url("report", year=1999)).status_code == 400  # no year without events but this one
    back = client.get(url("pdf", year="abc"))
    assert back.status_code == 302 and back["Location"] == url("report", year="abc")


def test_the_pdf_is_in_the_readers_language_with_a_title_page(cast, as_user, counted):
    cast.alice.language = "fr"
    cast.alice.save(update_fields=["language"])
    pdf = PdfReader(io.BytesIO(as_user(cast.alice).get(url("pdf", year=2026)).content))
    assert pdf.trailer["/Root"]["/Lang"] == "fr"
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "LIVC-R Alfa" in first and "2026" in first
    assert re.search(r"\d{1,2}[/.]\d{1,2}[/.]2026|novembre 2026", first)  # the day it was made


# --- A joint cell ---------------------------------------------------------------------------------------


def test_a_joint_cell_reports_per_municipality_and_the_cells_own_apart(cast, as_user, joint, counted):
    StatEvent.objects.filter(cell=cast.cell_a).update(municipality=joint["first"])
    StatEvent.objects.filter(cell=cast.cell_a, kind=StatKind.MEETING_HELD).update(municipality=None)
    count(
        cast.cell_a, StatKind.REFERRAL_RECEIVED, 8, quarter=4, detail="school", municipality=joint["second"]
    )
    client = as_user(cast.alice)
    whole = tables_of(client.get(url("report", year=2026)).content.decode())
    per_place = whole["The year per municipality"]
    assert list(per_place) == ["Counted", *(k.label for k in StatKind)]
    columns = per_place["Counted"]
    assert columns[-2:] == ["The cell itself, or no municipality recorded", "The whole cell"]
    place = {name: columns.index(name) for name in columns}
    assert per_place["Meetings held"][place["The cell itself, or no municipality recorded"]] == "10"
    assert per_place["Meetings held"][place["Lindeveld"]] == "0"
    assert per_place["Referrals received"][place["Lindeveld"]] in ("8", HIDDEN_TEXT)
    assert per_place["Referrals received"][place["The whole cell"]] in ("32", HIDDEN_TEXT)
    second = tables_of(client.get(url("report", year=2026, municipality=joint["second"].pk)).content.decode())
    assert "The year per municipality" not in second
    assert second["The year per quarter"]["Meetings held"] == ["0"] * 5
    received = second["The year per quarter"]["Referrals received"]
    assert received[:3] == ["0", "0", "0"] and received[3:] in (["8", "8"], [HIDDEN_TEXT, HIDDEN_TEXT])
    assert client.get(url("report", municipality=999_999)).status_code == 400
    csv_text = client.get(url("csv", year=2026, municipality=joint["second"].pk)).content.decode()
    assert csv_tables(csv_text) == second


def test_a_single_municipality_cell_offers_no_municipality_choice(cast, as_user, counted):
    html = as_user(cast.alice).get(url("report")).content.decode()
    assert 'name="municipality"' not in html
    assert 'name="year"' in html


def test_a_member_of_two_cells_reads_each_cells_figures_under_its_address(cast, as_user, counted):
    MembershipFactory(cell=cast.cell_b, user=cast.alice, coordinator=True)
    stat_record(cell=cast.cell_b, kind=StatKind.CASE_OPENED, on=day(2026, 1))
    count(cast.cell_b, StatKind.MEETING_HELD, 9, quarter=2, detail="operational")
    client = as_user(cast.alice)
    a = tables_of(client.get(url("report", year=2026)).content.decode())
    b = tables_of(client.get(url("report", slug="bravo", year=2026)).content.decode())
    assert a["The year per quarter"]["Cases opened"][-1] == "20"
    assert b["The year per quarter"]["Cases opened"][-1] == SMALL_TEXT

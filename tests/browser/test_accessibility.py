"""axe-core on every page each role can reach, at 1280 and 390 pixels.

The data is the demo seeding (cells, invitations, referrals, cases with items, a table and
relations, a past meeting with minutes and an upcoming one with its agenda) plus a breach. For
each role the test walks the links it is shown, starting from the cell home, and checks one
page of each kind (a case, a meeting...: the same URL with another id is the same template).
axe-core is the copy bundled in axe-playwright-python (`AXE_SCRIPT`), evaluated in the page:
nothing is fetched from the network.

A page passes with no violation and no "incomplete" colour-contrast result: axe files text it
cannot measure (white on white through a transparent background, 1:1) under "incomplete",
so those fail too.
"""

import datetime
import re
import time
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Browser, Page

from cases.models import Case, CaseStatus
from dpo.services import breach_create
from livc.accounts.models import User
from livc.cells import demo
from livc.cells.models import Membership
from meetings.services import actions, meetings
from participants.models import Participant
from tests.base import earlier_today
from tests.browser.helpers import logged_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
CELL = "demostad"
ROLES = {
    "coordinator": "coordinator@demostad.example",
    "mayor": "burgemeester@demostad.example",
    "information officer": "io@pz-demo.example",
    "participant": "clb@demostad.example",
    "dpo": "dpo@demostad.example",
}
# Downloads, PDFs and log-out are not pages; query strings are the same page filtered.
NOT_A_PAGE = re.compile(r"(\.csv|\.pdf|\.ics|/pdf/|/download/|/logout/)")
ID = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=/)")
PAGES_PER_ROLE = 60  # a guard against a crawl that runs away
# Kinds whose pages differ by state: each meeting (held, in progress, planned), two cases.
PAGES_PER_KIND = {f"/c/{CELL}/meetings/*/": 3, f"/c/{CELL}/cases/*/": 2}


def seed() -> None:
    """The demo data of `seed_demo` but the meetings, which are built here: one held with
    minutes and actions, one in progress (the chairing screen), one planned with its agenda.
    And one breach for the DPO's register."""
    data = demo.seed()
    for config in apps.get_app_configs():
        hook = getattr(config, "seed_demo", None)
        if callable(hook) and config.label != "meetings":
            hook(data)
    coordinator = Membership.objects.get(cell__slug=CELL, user__email=ROLES["coordinator"])
    cases = list(Case.objects.filter(cell=coordinator.cell).exclude(status=CaseStatus.CLOSED))
    owner = Participant.objects.get(
        membership__cell=coordinator.cell, membership__user__email=ROLES["participant"]
    )
    held_at = earlier_today(hours=2)  # both today, whatever the hour: no "another day?" question
    running_at = min(held_at + datetime.timedelta(hours=1), timezone.now())
    held, running, planned = (
        meetings.meeting_create(
            member=coordinator,
            kind="operational",
            title=title,
            starts_at=starts_at,
            location="Stadhuis, zaal 2",
        )
        for title, starts_at in (
            ("Casusoverleg van vandaag", held_at),
            ("Casusoverleg, tweede ronde", running_at),
            ("Casusoverleg december", timezone.now() + datetime.timedelta(days=10)),
        )
    )
    for meeting in (held, running, planned):
        for case in cases:
            meetings.agenda_add_case(member=coordinator, meeting=meeting, case=case)
        meetings.agenda_add_topic(member=coordinator, meeting=meeting, topic="Afspraken met de scholen")
    meetings.agenda_add_actions_review(member=coordinator, meeting=planned)
    for meeting in (held, running):
        meetings.meeting_start(member=coordinator, meeting=meeting)
        for participant in Participant.objects.filter(cell=coordinator.cell, membership__is_active=True):
            meetings.attendance_record(member=coordinator, meeting=meeting, participant=participant,
                                       status="present", acknowledged=True)  # fmt: skip
    for item in held.items.select_related("case"):
        if item.case is None:
            meetings.minutes_save(member=coordinator, item=item, version=item.version,
                                  agreements="Scholen krijgen een infosessie.")  # fmt: skip
        else:
            meetings.minutes_save(member=coordinator, item=item, version=item.version,
                                  signals="Toestand besproken.", assessment="Geen acuut risico.",
                                  agreements="School en CLB blijven in contact.")  # fmt: skip
            actions.action_create(member=coordinator, case=item.case, item=item, owner=owner,
                                  description="Gesprek met de leerlingbegeleider plannen.",
                                  due_on=timezone.localdate() + datetime.timedelta(days=7))  # fmt: skip
    meetings.meeting_end(member=coordinator, meeting=held)
    meetings.meeting_finalise(member=coordinator, meeting=held)
    dpo = Membership.objects.get(cell__slug=CELL, user__email=ROLES["dpo"])
    breach_create(
        cell=dpo.cell,
        recorded_by=dpo.user,
        data={
            "discovered_at": timezone.now() - datetime.timedelta(hours=30),
            "description": "Een uitgeprinte agenda lag een uur in de vergaderzaal (verzonnen).",
            "data_concerned": "Referenties en pseudoniemen van twee casussen.",
        },
    )


def kind_of(path: str) -> str:
    """The URL with its ids replaced: one page of each kind is enough."""
    return ID.sub("/*", path)


def problems(page: Page) -> list[str]:
    """axe-core's violations, and the colour contrasts it could not decide."""
    results = page.evaluate(
        "options => axe.run(document, options)", {"resultTypes": ["violations", "incomplete"]}
    )
    found = [
        f"{rule['id']} ({rule['impact']}): {node['target']} {node['failureSummary'] or ''}".strip()
        for rule in results["violations"]
        for node in rule["nodes"]
    ]
    found += [
        f"color-contrast incomplete: {node['target']} {[check['message'] for check in node['any']]}"
        for rule in results["incomplete"]
        if rule["id"] == "color-contrast"
        for node in rule["nodes"]
    ]
    return found


def check_both_widths(page: Page) -> dict[int, list[str]]:
    found = {}
    page.evaluate(AXE_SCRIPT)  # once per page, for both runs
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found[width] = problems(page)
    return {width: items for width, items in found.items() if items}


def links(page: Page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "elements => elements.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        path = parts.path
        if f"{parts.scheme}://{parts.netloc}" != origin or NOT_A_PAGE.search(path):
            continue
        if path.startswith(f"/c/{CELL}/") or path in ("/accounts/security/", "/c/"):
            found.append(path)
    return found


def crawl(page: Page, origin: str) -> tuple[dict[str, dict[int, list[str]]], list[str]]:
    """Visit one page of each kind the role is shown a link to; axe each at both widths."""
    queue, visited, failures = [f"/c/{CELL}/"], [], {}
    kinds: Counter[str] = Counter()

    def wanted(path: str) -> bool:
        return path not in visited and kinds[kind_of(path)] < PAGES_PER_KIND.get(kind_of(path), 1)

    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if not wanted(path):
            continue
        kinds[kind_of(path)] += 1
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(origin + path)
        visited.append(path)
        if response is None or response.status != 200:  # a link to a broken page fails the walk too
            failures[path] = {0: [f"HTTP {response and response.status}"]}
            continue
        found = check_both_widths(page)
        if found:
            failures[path] = found
        queue += [link for link in links(page, origin) if wanted(link)]
    return failures, visited


def report(failures: dict[str, dict[int, list[str]]]) -> str:
    lines = []
    for path, by_width in failures.items():
        for width, items in by_width.items():
            lines += [f"{path} @{width}px: {item}" for item in items]
    return "\n".join(lines)


def test_every_page_of_every_role_passes_axe_at_both_widths(live_server, browser: Browser):
    seed()  # once: the walk only reads (a GET changes nothing but the access log)
    failures, walked = {}, []
    for role, email in ROLES.items():
        started = time.monotonic()
        context = logged_in_context(browser, live_server.url, User.objects.get(email=email))
        found, visited = crawl(context.new_page(), live_server.url)
        context.close()
        walked.append(f"{role}: {len(visited)} pages in {time.monotonic() - started:.0f}s")
        assert len(visited) >= 10, (role, visited)  # the walk found the role's pages
        failures.update({f"{role} {path}": by_width for path, by_width in found.items()})
    print(*walked, sep="\n")
    assert not failures, report(failures)


def test_the_login_page_passes_axe_at_both_widths_also_with_its_error_summary(live_server, page: Page):
    page.goto(f"{live_server.url}/accounts/login/")
    assert check_both_widths(page) == {}
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.get_by_role("button", name="Log in", exact=True).click()  # an empty form: every field is missing
    assert page.locator(".error-summary").is_visible()
    assert check_both_widths(page) == {}


# --- Every button variant, in every state, measured from its computed styles ----------------

VARIANTS = ["", "button--secondary", "button--small", "button--link", "button--danger",
            "button--small button--secondary", "button--link button--danger"]  # fmt: skip
STATES = ["normal", "hover", "focus-visible", "disabled"]
# Where buttons stand: the page, its soft and tinted boxes, an overdue row, the header and the menu.
GROUNDS = {
    "page": '<main class="main">{}</main>',
    "card": '<main class="main"><div class="card card--warning">{}</div></main>',
    "message": '<main class="main"><ul class="messages"><li class="message message--error">{}</li></ul></main>',
    "table head": '<main class="main"><table><tr><th>{}</th></tr></table></main>',
    "overdue row": '<main class="main"><table><tr class="overdue"><td>{}</td></tr></table></main>',
    "header": '<header class="site-header"><div class="site-header__inner"><div class="site-header__tools">{}</div></div></header>',
    "menu": '<header class="site-header"><nav class="cell-nav"><div class="cell-nav__inner">{}</div></nav></header>',
}
MEASURE = """button => {
  const rgb = value => (value.match(/[\\d.]+/g) || []).map(Number);
  const ground = element => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const style = getComputedStyle(button);
  return {
    text: rgb(style.color).slice(0, 3),
    own: ground(button),
    around: ground(button.parentElement),
    border: parseFloat(style.borderTopWidth) > 0 ? rgb(style.borderTopColor).slice(0, 3) : null,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 ? rgb(style.outlineColor).slice(0, 3) : null,
  };
}"""


def luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: list[float], other: list[float]) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_button_variant_in_every_state_has_aa_contrast(live_server, page: Page):
    """Text 4.5:1 on the button's own ground; the edge (its ground or its border) 3:1 against
    what surrounds it, unless it is a link-styled button; the focus outline 3:1 (WCAG 1.4.3, 1.4.11)."""
    buttons = "".join(
        f'<button type="button" class="button {variant}" data-variant="{variant or "primary"}"'
        f'{" disabled" if state == "disabled" else ""} data-state="{state}">Verplaatsen</button> '
        for variant in VARIANTS
        for state in STATES
    )
    body = "".join(ground.format(buttons) for ground in GROUNDS.values())
    page.goto(f"{live_server.url}/accounts/login/")  # base.css, loaded as every page loads it
    page.evaluate("html => { document.body.innerHTML = html; }", body)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "button"})["nodeIds"]
    grounds = list(GROUNDS)
    failures: list[str] = []
    lowest: dict[str, list[float]] = {}  # per variant: the lowest text and edge ratios (pytest -s)
    for index, (node_id, button) in enumerate(zip(node_ids, page.locator("button").all(), strict=True)):
        state, variant = button.get_attribute("data-state"), button.get_attribute("data-variant") or ""
        forced = {"hover": ["hover"], "focus-visible": ["focus", "focus-visible"]}.get(state or "", [])
        cdp.send("CSS.forcePseudoState", {"nodeId": node_id, "forcedPseudoClasses": forced})
        seen = button.evaluate(MEASURE)
        cdp.send("CSS.forcePseudoState", {"nodeId": node_id, "forcedPseudoClasses": []})
        where = f"{grounds[index // (len(VARIANTS) * len(STATES))]}: {variant} {state}"
        text = contrast(seen["text"], seen["own"])
        if text < 4.5:
            failures.append(f"{where}: text {text:.2f}:1")
        link_styled = seen["border"] is None and seen["own"] == seen["around"]
        edge = max(
            contrast(seen["own"], seen["around"]), contrast(seen["border"] or seen["own"], seen["around"])
        )
        if not link_styled and edge < 3:
            failures.append(f"{where}: edge {edge:.2f}:1")
        outline = seen["outline"]
        if state == "focus-visible" and (outline is None or contrast(outline, seen["around"]) < 3):
            failures.append(f"{where}: focus outline {outline}")
        low = lowest.setdefault(variant, [99.0, 99.0])
        low[0], low[1] = min(low[0], text), low[1] if link_styled else min(low[1], edge)
    print(
        *(f"{name}: text >= {text:.1f}:1, edge >= {edge:.1f}:1" for name, (text, edge) in lowest.items()),
        sep="\n",
    )
    assert len(node_ids) == len(GROUNDS) * len(VARIANTS) * len(STATES)
    assert not failures, "\n".join(failures)

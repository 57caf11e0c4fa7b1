"""The dashboard in a real browser: Playwright drives Debian's Chromium against the app served by
uvicorn on 127.0.0.1. Load the page, pick the flagship scenario, move a slider, check that the
P(deal) number and the plotly chart change, step through a replay, upload a broken file and see
the error inline; a screenshot is saved as a test artifact.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``); Playwright's own browser downloads are
never used. Screenshots go to ``$BURDENSHARE_ARTIFACTS`` or ``tests/web/artifacts/``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
US_RESERVATION = "#p-parties-US-utility-contribution-reservation"
TIMEOUT_MS = 15_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason="Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
)


def artifacts_dir() -> Path:
    out = Path(os.environ.get("BURDENSHARE_ARTIFACTS") or ROOT / "tests" / "web" / "artifacts")
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served by uvicorn in a background thread."""
    import uvicorn

    from burdenshare.web import create_app

    store = tmp_path_factory.mktemp("store") / "runs.duckdb"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the dashboard server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" and "status of 422" not in msg.text
            else None
        ),
    )
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith(base_url) else None,
    )
    page.problems = problems
    page.outside = outside
    yield page
    context.close()


def updates(page: Any) -> int:
    return int(page.evaluate("Number(document.body.dataset.updates)"))


def wait_for_update(page: Any, after: int) -> None:
    page.wait_for_function("(n) => Number(document.body.dataset.updates) > n", arg=after)


def chart_counts(page: Any) -> list[int]:
    counts: list[int] = page.evaluate("Array.from(document.getElementById('hist-chart').data[0].y)")
    return counts


def test_pick_the_flagship_move_a_slider_and_replay(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    wait_for_update(page, 0)
    page.wait_for_selector("#hist-chart .main-svg")

    # pick another scenario, then the flagship, through the picker
    n = updates(page)
    page.select_option("#scenario-select", "split-the-pie")
    wait_for_update(page, n)
    n = updates(page)
    page.select_option("#scenario-select", "us-rok-sma-2019")
    wait_for_update(page, n)
    assert "11th SMA" in page.text_content("#scenario-title")
    page.wait_for_selector(US_RESERVATION)

    p_before = page.text_content("#p-deal")
    counts_before = chart_counts(page)
    value_before = page.input_value(US_RESERVATION)
    shown_before = page.text_content(US_RESERVATION + "-value")
    assert p_before.endswith("%")
    assert sum(counts_before) > 0

    # move the US walk-away slider down, as a user would with the keyboard
    n = updates(page)
    slider = page.locator(US_RESERVATION)
    slider.focus()
    slider.press("PageDown")
    assert float(page.input_value(US_RESERVATION)) < float(value_before)
    wait_for_update(page, n)
    page.wait_for_function(
        "(before) => document.getElementById('p-deal').textContent !== before", arg=p_before
    )
    p_after = page.text_content("#p-deal")
    counts_after = chart_counts(page)
    assert p_after != p_before
    assert float(p_after.rstrip("%")) > float(p_before.rstrip("%"))
    assert counts_after != counts_before
    assert page.text_content(US_RESERVATION + "-value") != shown_before
    assert page.is_hidden("#whatif-error")

    # step through one session of the ensemble that agreed, then one at central beliefs
    page.click("button.replay-example[data-outcome='agreement']")
    page.wait_for_selector("#replay", state="visible")
    page.wait_for_function("() => document.getElementById('replay-summary').textContent !== ''")
    assert "agreement" in page.text_content("#replay-summary")
    step = page.text_content("#replay-step")
    assert step.startswith("offer 1 of ")
    total = int(step.rsplit(" ", 1)[1])
    if total > 1:
        page.click("#replay-next")
        assert page.text_content("#replay-step") == f"offer 2 of {total}"
        assert page.locator("#replay-table tbody tr:visible").count() == 2
        # back to the start, so that "Last" is enabled even when offer 2 is the last
        page.click("#replay-first")
        assert page.text_content("#replay-step") == f"offer 1 of {total}"
        page.click("#replay-last")
    else:  # one offer: it is the first and the last, and every step button is disabled
        assert page.is_disabled("#replay-last")
        assert page.is_disabled("#replay-first")
    assert page.text_content("#replay-step") == f"offer {total} of {total}"
    assert page.is_disabled("#replay-next")
    assert "accepts" in page.text_content("#replay-offer")
    if total > 1:
        page.click("#replay-first")
        assert page.text_content("#replay-step") == f"offer 1 of {total}"

    shot = artifacts_dir() / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.problems == []
    assert page.outside == [], "the page must load nothing from other hosts"


def test_an_out_of_range_move_shows_the_field(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    wait_for_update(page, 0)
    # the US ask below the US walk-away point: the server answers 422 naming the field
    page.fill("#p-parties-US-utility-contribution-ideal", "1000")
    page.wait_for_selector("#whatif-error", state="visible")
    text = page.text_content("#whatif-error")
    assert "parties.US.utility.contribution" in text
    assert page.locator(".param.invalid").count() == 1


def test_an_uploaded_broken_file_shows_its_line_and_field(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    wait_for_update(page, 0)
    bad = (ROOT / "tests" / "hostile" / "corpus" / "reservation-wrong-side.yaml").read_bytes()
    page.set_input_files(
        "#upload", files=[{"name": "mine.yaml", "mimeType": "text/yaml", "buffer": bad}]
    )
    page.wait_for_selector("#upload-error", state="visible")
    text = page.text_content("#upload-error")
    assert "mine.yaml, line 11" in text
    assert "parties.US.utility.contribution.reservation" in text

    good = (ROOT / "tests" / "hostile" / "well-formed.yaml").read_bytes()
    n = updates(page)
    page.set_input_files(
        "#upload", files=[{"name": "good.yaml", "mimeType": "text/yaml", "buffer": good}]
    )
    wait_for_update(page, n)
    assert page.is_hidden("#upload-error")
    assert page.input_value("#scenario-select") == "__upload__"
    page.screenshot(path=str(artifacts_dir() / "dashboard-upload.png"), full_page=True)


def test_store_a_run_and_see_its_download_links(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    wait_for_update(page, 0)
    page.click("#store-run")
    page.wait_for_selector("#runs-table tbody tr[data-run]", timeout=60_000)
    row = page.locator("#runs-table tbody tr[data-run]").first
    run_id = row.get_attribute("data-run")
    links = [a.get_attribute("href") for a in row.locator("a").all()]
    assert links == [
        f"/api/runs/{run_id}?download=true",
        f"/api/runs/{run_id}/export.csv",
        f"/api/runs/{run_id}/report",
    ]
    with page.expect_download() as info:
        row.locator("a", has_text="CSV").click()
    assert info.value.suggested_filename == f"run-{run_id}.csv"


def deadline_updates(page: Any) -> int:
    return int(page.evaluate("Number(document.body.dataset.deadlineUpdates)"))


def deadline_lines(page: Any) -> list[dict[str, Any]]:
    """The chart's lines (one per believed deadline): name, x and y."""
    lines: list[dict[str, Any]] = page.evaluate(
        """() => document.getElementById('deadline-chart').data
            .filter((t) => t.mode === 'lines')
            .map((t) => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y)}))"""
    )
    return lines


def test_the_combined_forecast_is_shown_above_the_models_table(page: Any, base_url: str) -> None:
    """The flagship: the combined forecast (or why there is none) and the spread chart come
    before the table of each model's forecast; the hindsight verdicts are on separate lines."""
    page.goto(base_url + "/")
    page.wait_for_function("() => Number(document.body.dataset.forecastUpdates) > 0")
    page.wait_for_selector("#spread-chart .main-svg")
    headline = page.text_content("#combined-text")
    assert headline.startswith(("No combined forecast", "₩"))
    assert "forecasts span ₩1,038.9bn" in headline
    combined_top = page.locator("#combined").bounding_box()["y"]
    table_top = page.locator("#forecast-table").bounding_box()["y"]
    assert combined_top < table_top
    assert page.locator("#forecast-table tbody tr").count() >= 10
    points = page.evaluate("document.getElementById('spread-chart').data[0].y.length")
    assert points == page.locator("#forecast-table tbody tr").count()  # no solution: no zone
    assert page.locator("#hindsight-lines dt").all_text_contents()[:2] == ["Zone", "Timing"]
    assert page.is_hidden("#forecast-error")
    assert page.problems == []


def test_the_deadline_panel_draws_one_line_per_believed_deadline(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_function("() => Number(document.body.dataset.deadlineUpdates) > 0")
    page.wait_for_selector("#deadline-chart .main-svg")
    lines = deadline_lines(page)
    rows = page.locator("#deadline-table tbody tr").count()
    assert len(lines) == rows >= 2
    for line in lines:
        assert line["name"].startswith("believes ")
        assert len(line["x"]) == len(line["y"]) > 1
        assert line["y"] == sorted(line["y"])  # P(deal by date) never falls
    # the protocol deadline is marked on the chart
    shapes = page.evaluate("document.getElementById('deadline-chart').layout.shapes.length")
    assert shapes == 1
    assert "protocol deadline" in page.text_content("#deadline-chart")
    assert "sessions per line" in page.text_content("#deadline-note")

    # other negotiators: the panel is recomputed
    n = deadline_updates(page)
    page.select_option("#neg-a", "conceder")
    page.select_option("#neg-b", "conceder")
    page.wait_for_function("(n) => Number(document.body.dataset.deadlineUpdates) > n", arg=n)
    page.wait_for_function(
        "() => document.getElementById('deadline-note').textContent.includes('conceder vs')"
    )
    assert deadline_lines(page) != lines
    assert page.is_hidden("#deadline-error")
    assert page.problems == []


def test_the_deadline_panel_is_readable_on_a_phone(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(base_url + "/")
        page.wait_for_function("() => Number(document.body.dataset.deadlineUpdates) > 0")
        page.wait_for_selector("#deadline-chart .main-svg")
        panel = page.locator("#deadline-panel")
        panel.scroll_into_view_if_needed()
        box = panel.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
        # nothing in the panel sticks out of it, and the chart fills it
        overflow = page.evaluate(
            "() => { const p = document.getElementById('deadline-panel');"
            " return p.scrollWidth - p.clientWidth; }"
        )
        assert overflow <= 1
        chart = page.locator("#deadline-chart .main-svg").first.bounding_box()
        assert chart is not None
        assert 300 <= chart["width"] <= box["width"]
        # the legend sits under the plot, so no line is hidden behind it
        legend = page.evaluate("document.getElementById('deadline-chart').layout.legend")
        assert legend["orientation"] == "h"
        panel.screenshot(path=str(artifacts_dir() / "dashboard-deadlines-390.png"))
    finally:
        context.close()


def test_three_parties_get_a_negotiator_each_and_every_party_on_the_line(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "/")
    wait_for_update(page, 0)
    n = updates(page)
    page.select_option("#scenario-select", "us-japan-rok-trilateral")
    wait_for_update(page, n)
    # one select for every party, and one per party (the first two keep their ids)
    for sel in ("#neg-all", "#neg-a", "#neg-b", "#neg-2"):
        assert page.locator(sel).count() == 1
    labels = page.text_content("#negotiators")
    for name in ("US", "Japan", "ROK"):
        assert f"{name}'s negotiator" in labels
        assert f"{name} walk-away" in page.text_content("#zopa-line")
    assert "3 parties" in page.text_content("#zopa-text")

    # "every party" sets each party's select and reruns the what-if with one name
    n = updates(page)
    with page.expect_request(lambda r: r.url.endswith("/api/whatif")) as sent:
        page.select_option("#neg-all", "linear")
    assert sent.value.post_data_json["negotiators"] == ["linear"]
    for sel in ("#neg-a", "#neg-b", "#neg-2"):
        assert page.input_value(sel) == "linear"
    wait_for_update(page, n)
    page.wait_for_function(
        "() => document.getElementById('deadline-note').textContent.includes('linear for all 3')"
    )

    # one party's own negotiator (under the fold): the request names each party's
    page.click("details.per-party summary")
    n = updates(page)
    with page.expect_request(lambda r: r.url.endswith("/api/whatif")) as sent:
        page.select_option("#neg-2", "conceder")
    assert sent.value.post_data_json["negotiators"] == ["linear", "linear", "conceder"]
    wait_for_update(page, n)

    page.click("#replay-central")
    page.wait_for_function("() => document.getElementById('replay-summary').textContent !== ''")
    summary = page.text_content("#replay-summary")
    assert "US (linear) vs Japan (linear) vs ROK (conceder)" in summary
    assert page.is_hidden("#whatif-error")
    assert page.problems == []

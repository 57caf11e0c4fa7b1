"""Hostile and malformed record and FACTS files: each is one located ScenarioError, never a
traceback (docs/reference/record.md, "Limits and errors")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from burdenshare.errors import ScenarioError
from burdenshare.history.record import load_facts, load_record
from burdenshare.history.record_io import MAX_RECORD_BYTES, MAX_ROUNDS, parse_record_text

ROUND = """\
rounds:
  - id: test-round
    talks: test talks
    alliance: A-B
    demander: A
    payer: B
    currency: KRW
    scale: billion
    fx: {USD: 1000.0}
    status_quo: {amount: 100.0, year: 2018, previous_amount: 90.0, source: test}
    expiry: 2018-12-31
    talks_start: 2018-06-01
    positions:
      - {date: 2018-07-01, party: A, kind: ask, amount: 200.0, source: test}
      - {date: 2018-08-01, party: B, kind: offer, amount: 5 bn USD, source: test}
    outcome:
      agreed: true
      agreement_date: 2019-02-01
      signature_date: 2019-03-01
      first_year: 2019
      first_year_amount: 110.0
      source: test
"""


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_record_text(text, source="r.yaml")
    return info.value


def test_the_valid_fixture_reads() -> None:
    (r,) = parse_record_text(ROUND, source="r.yaml")
    assert r.id == "test-round"
    assert r.facts.positions[1].amount == 5000.0  # 5 bn USD at 1,000 KRW per USD
    assert r.facts.positions[1].stated == "5 bn USD"
    # a bare number without `stated` keeps its words in the round's own unit (never blank)
    assert r.facts.positions[0].stated == "200 billion KRW"
    assert r.outcome.settlement_amount == 110.0  # defaults to the first year's amount
    assert r.outcome.deal_date == dt.date(2019, 2, 1)


@pytest.mark.parametrize(
    ("old", "new", "field", "line"),
    [
        ("amount: 200.0", "amount: -1", "rounds.0.positions.0.amount", 14),
        ("amount: 200.0", "amount: .inf", "rounds.0.positions.0.amount", 14),
        ("amount: 200.0", "amount: .nan", "rounds.0.positions.0.amount", 14),
        ("amount: 200.0", "amount: lots", "rounds.0.positions.0.amount", 14),
        ("amount: 200.0", "amount: 5 bn EUR", "rounds.0.positions.0.amount", 14),
        ("amount: 200.0", "amount: [1]", "rounds.0.positions.0.amount", 14),
        ("party: A, kind: ask", "party: C, kind: ask", "rounds.0.positions.0.party", 14),
        ("kind: ask", "kind: demand", "rounds.0.positions.0.kind", 14),
        ("expiry: 2018-12-31", "expiry: 2018-02-30", "rounds.0.expiry", 11),
        ("expiry: 2018-12-31", "expiry: yesterday", "rounds.0.expiry", 11),
        ("expiry: 2018-12-31", "expiry: 2018-12-31 10:00:00", "rounds.0.expiry", 11),
        ("expiry: 2018-12-31", "expiry: 1066-10-14", "rounds.0.expiry", 11),
        (
            "talks_start: 2018-06-01",
            "talks_start: 2019-06-01",
            "rounds.0.outcome.agreement_date",
            18,
        ),
        (
            "signature_date: 2019-03-01",
            "signature_date: 2019-01-01",
            "rounds.0.outcome.signature_date",
            19,
        ),
        ("year: 2018", "year: 2018.5", "rounds.0.status_quo.year", 10),
        ("currency: KRW", "currency: won", "rounds.0.currency", 7),
        ("scale: billion", "scale: zillion", "rounds.0.scale", 8),
        ("fx: {USD: 1000.0}", "fx: {USD: -3}", "rounds.0.fx.USD", 9),
        ("fx: {USD: 1000.0}", "fx: {KRW: 1}", "rounds.0.fx.KRW", 9),
        ("agreed: true", "agreed: yes", "rounds.0.outcome.agreed", 17),
        (
            "    talks: test talks\n",
            "    talks: test talks\n    colour: red\n",
            "rounds.0.colour",
            4,
        ),
        ("source: test}\n", "source: test, vibes: 3}\n", "rounds.0.status_quo.vibes", 10),
        ("id: test-round", "id: Test Round!", "rounds.0.id", 2),
        ("talks: test talks", "talks: [1, 2]", "rounds.0.talks", 3),
        # found by the hostile review: each was accepted, then overflowed to "inf" in a built
        # case, failed later without the file's name, or contradicted the status quo
        ("amount: 200.0", "amount: 1e308", "rounds.0.positions.0.amount", 14),
        ("amount: 100.0, year", "amount: 1.0e+300, year", "rounds.0.status_quo.amount", 10),
        ("amount: 100.0, year", "amount: 0, year", "rounds.0.status_quo.amount", 10),
        ("expiry: 2018-12-31", "expiry: 2017-12-31", "rounds.0.expiry", 11),
    ],
)
def test_a_bad_value_is_located(old: str, new: str, field: str, line: int) -> None:
    assert old in ROUND
    err = _error(ROUND.replace(old, new, 1))
    assert err.file == "r.yaml"
    assert (err.field or "").startswith(field), str(err)
    assert err.line == line, str(err)
    assert err.expected or "unknown" in err.message or "agreed" in err.message


def test_the_error_names_the_value_and_what_was_expected() -> None:
    err = _error(ROUND.replace("amount: 200.0", "amount: -5", 1))
    assert str(err).startswith("r.yaml:14: rounds.0.positions.0.amount: ")
    assert "got -5" in str(err)
    assert "expected a number >= 0" in str(err)


def test_duplicate_ids_in_one_file_are_refused() -> None:
    body = ROUND.split("\n", 1)[1]
    err = _error("rounds:\n" + body + body)
    assert err.field == "rounds.1.id"
    assert "duplicate" in err.message


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("- 1\n- 2\n", "mapping"),
        ("just text\n", "mapping"),
        ("rounds: {a: 1}\n", "wrong type"),
        ("rounds: []\ncolour: red\n", "unknown key"),
        ("title: x\n", "missing key 'rounds'"),
        ("rounds: [1]\n", "wrong type"),
        ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        ("rounds: !!python/object:os.system {}\n", "tag"),
        ("a: 1\na: 2\nrounds: []\n", "duplicate key"),
        ("<<: {rounds: []}\n", "merge keys"),
        ("rounds: [\n", "not valid YAML"),
        ("rounds: []\n---\nrounds: []\n", "more than one"),
        ("rounds: []\n\x00", "NUL"),
    ],
)
def test_hostile_or_malformed_files_are_refused(text: str, what: str) -> None:
    err = _error(text)
    assert what in str(err), str(err)


def test_a_billion_laughs_is_refused_at_the_first_alias() -> None:
    bomb = (
        'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n'
    )
    err = _error(bomb)
    assert "anchors and aliases" in err.message
    assert err.line == 1


def test_deep_nesting_is_refused() -> None:
    err = _error("rounds: " + "[" * 200 + "]" * 200 + "\n")
    assert "nested too deeply" in err.message


def test_more_than_max_rounds_is_refused() -> None:
    text = "rounds:\n" + "  - {}\n" * (MAX_ROUNDS + 1)
    err = _error(text)
    assert err.field == "rounds"
    assert "too many rounds" in err.message


def test_a_file_over_2_mb_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_RECORD_BYTES + "\nrounds: []\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="too large"):
        load_record([big], bundled=False)
    with pytest.raises(ScenarioError, match="too large"):
        parse_record_text("# " + "x" * MAX_RECORD_BYTES + "\nrounds: []\n")


def test_not_utf8_and_not_a_file_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"rounds: []\n\xff\xfe\n")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_record([bad], bundled=False)
    with pytest.raises(ScenarioError, match="directory"):
        load_record([tmp_path], bundled=False)
    with pytest.raises(ScenarioError, match="no such file"):
        load_facts(tmp_path / "missing.yaml")


def test_a_deal_needs_a_date_and_no_deal_has_none() -> None:
    err = _error(
        ROUND.replace("      agreement_date: 2019-02-01\n", "").replace(
            "      signature_date: 2019-03-01\n", ""
        )
    )
    assert "agreement_date or signature_date" in err.message
    err = _error(ROUND.replace("agreed: true", "agreed: false"))
    assert "no dates or amounts" in err.message


def test_a_position_after_the_deal_and_an_as_of_date_on_it_are_refused() -> None:
    err = _error(ROUND.replace("date: 2018-07-01", "date: 2019-05-01"))
    assert "after the deal date" in err.message
    err = _error(ROUND + "    as_of_dates:\n      - {date: 2019-02-01, label: deal day}\n")
    assert err.field == "rounds.0.as_of_dates.0.date"


def test_defaults_apply_and_are_located_in_defaults() -> None:
    body = ROUND.split("\n", 1)[1].replace("    currency: KRW\n", "")
    (r,) = parse_record_text("defaults: {currency: KRW}\nrounds:\n" + body)
    assert r.facts.currency == "KRW"
    err = _error("defaults: {currency: won}\nrounds:\n" + body)
    assert err.field == "defaults.currency"
    assert err.line == 1
    err = _error("defaults: {id: x}\nrounds:\n" + body)
    assert err.field == "defaults.id"


FACTS = """\
as_of: 2019-11-19
talks: 11th SMA
alliance: US-ROK
demander: US
payer: ROK
currency: KRW
scale: billion
fx: {USD: 1165.0}
status_quo: {amount: 1038.9, year: 2019, previous_amount: 960.2, source: MOFA}
expiry: 2019-12-31
positions:
  - {date: 2019-10-24, party: US, kind: ask, amount: 5 bn USD, source: Yonhap}
  - {date: 2019-11-01, party: US, kind: ask, amount: 4.7, currency: USD, source: CNN,
     stated: "$4.7 billion"}
"""


def test_facts_convert_other_currencies_and_keep_the_words(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    facts = load_facts(path)
    assert facts.as_of == dt.date(2019, 11, 19)
    first, second = facts.positions
    assert first.amount == pytest.approx(5 * 1165.0)
    assert first.stated == "5 bn USD"
    assert second.amount == pytest.approx(4.7 * 1165.0)
    assert second.stated == "$4.7 billion"
    assert facts.latest("US") == second


def test_facts_refuse_a_future_position_and_an_outcome(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS.replace("2019-11-01", "2019-12-01"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="not yet public") as info:
        load_facts(path)
    assert info.value.field == "positions.1.date"
    assert info.value.line == 13
    path.write_text(FACTS + "outcome: {agreed: true}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="unknown key 'outcome'"):
        load_facts(path)
    path.write_text(FACTS.replace("as_of: 2019-11-19\n", ""), encoding="utf-8")
    with pytest.raises(ScenarioError, match="missing key 'as_of'"):
        load_facts(path)


def test_errors_say_what_is_wrong_not_wrong_type() -> None:
    """An as-of date after the deal and an exchange rate of 0 were both reported as "wrong
    type", which they are not: the message names the actual mistake."""
    err = _error(ROUND + "    as_of_dates:\n      - {date: 2019-03-01, label: late}\n")
    assert "on or after the deal date" in err.message
    assert "wrong type" not in err.message
    for rate in ("0", "-3"):
        err = _error(ROUND.replace("fx: {USD: 1000.0}", f"fx: {{USD: {rate}}}"))
        assert err.field == "rounds.0.fx.USD"
        assert "must be positive" in err.message

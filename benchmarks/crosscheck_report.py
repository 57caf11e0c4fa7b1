"""The table and the markdown report of ``crosscheck.py`` (docs/explanation/negmas-crosscheck.md).

Everything here is computed from the figures ``crosscheck.py`` gathered in one run; only the
introduction and the rule-by-rule comparison of the two negotiators are fixed text. Re-running
``make crosscheck`` regenerates the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

#: findings shown as columns of the agreements table, in order
COLUMNS = (
    ("parsed tables", "parsed"),
    ("frontier", "frontier"),
    ("rational frontier", "rational"),
    ("Nash d=(0,0)", "Nash d=0"),
    ("Nash d=r", "Nash d=r"),
    ("Kalai-Smorodinsky", "KS"),
    ("opposition", "opposition"),
    ("session", "session"),
    ("native frontier", "native"),
    ("GENIUS agents", "GENIUS agents"),
)

INTRO = """\
This page compares burdenshare's outcome-space tools and its time-dependent negotiators with
[NegMAS](https://github.com/yasserfarouk/negmas) 0.16, the reference Python library of
automated negotiation, on the GENIUS/ANAC domains of `tests/known_values/data/genius`. NegMAS is
AGPL-3.0: it runs as a separate program in its own virtualenv (`benchmarks/.venv-negmas`), and
burdenshare never imports it. Everything below, from the tables to the list of differences, is
written by `benchmarks/crosscheck.py` from one run; re-running it regenerates the page. The check
is a real one: a difference that is not in the script's list of explained differences, or whose
evidence does not hold, makes it exit with status 1.
"""

SESSION_RULES = """\
Both sides play the same concession curves: NegMAS's `BoulwareTBNegotiator` and
`ConcederTBNegotiator` aspire to `1 - t^p` of their utility range with p = 4 and 0.25
(`PolyAspiration`, `POLY_ASPIRATION_EXPONENTS`); burdenshare's `TimeDependent(e)` asks for
`r + (1 - r)(1 - t^(1/e))`, so `TimeDependent(0.25)` and `TimeDependent(4)` are the same curves.
The first profile of each folder plays Boulware and opens. Everything else differs by design:

1. **Range conceded over.** NegMAS scales the aspiration onto [max(least utility, reserved
   value), largest utility] of the ufun (`UtilityInverter.scale_utilities`); burdenshare onto
   [outside option, 1] (`reservation_utility`, `time_dependent_target`). They differ wherever the
   least utility over the outcome space is above the reservation value (most of these domains:
   compare the columns of "d: r / NegMAS's" in the figures above).
2. **Time grid.** NegMAS's relative time in step s (1-based) is s/(n + 1), so it starts at
   1/101 and never reaches 1; burdenshare's is (k - 1)/(K - 1) in round k, from 0 to exactly 1.
   A conceder at t = 1/101 already asks for only 1 - (1/101)^0.25 = 68% of its range; at t = 0
   burdenshare's asks for all of it.
3. **Offers per step.** A NegMAS step holds one offer from each side (up to 200 offers in 100
   steps); a burdenshare round holds one offer (up to 100).
4. **Which outcome is offered.** NegMAS offers the outcome it likes least among all rational
   outcomes worth at least its aspiration less `eps = 1e-4` (`stochastic=False`: the inverter's
   `worst_in`), searching the whole outcome space. burdenshare concedes uniformly issue by
   issue: every issue at the category whose utility is the smallest at or above the target
   (`AdditiveUtility.target_outcome`), so its offer is usually worth more to itself than the
   target and is a different outcome from NegMAS's.
5. **Acceptance.** NegMAS accepts an offer within its aspiration band widened by 1e-4;
   burdenshare accepts an offer worth at least its target less 1e-9, and any admissible offer in
   the last round.

So exact equality is not expected. The check still verifies, on each side, that the agreement
is worth what the tool reports (evaluated with the other tool's utility tables) and that the
accepting negotiator's utility meets the threshold its documented rule gives at that moment.
"""


def fmt(x: Any, digits: int = 4) -> str:
    if x is None:
        return "-"
    if isinstance(x, int | str):
        return str(x)
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return "(" + ", ".join(fmt(v, digits) for v in x) + ")"


def cell(finding: dict[str, Any] | None) -> str:
    if finding is None:
        return "-"
    if finding["status"] == "explained":
        return f"explained ({finding['key']})"
    return str(finding["status"])


def by_item(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["item"]: f for f in result["findings"]}


def md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def table(doc: dict[str, Any]) -> str:
    """The plain-text summary printed to stdout."""
    head = ["domain", "outcomes", "frontier bs/nm/matched", *(short for _, short in COLUMNS)]
    rows = []
    for r in doc["domains"]:
        f = r["frontier"]
        items = by_item(r)
        rows.append(
            [
                r["domain"],
                f"{r['outcomes']:,}",
                f"{f['burdenshare']}/{f['negmas']}/{f['matched']}",
                *(cell(items.get(item)).replace("explained", "expl.") for item, _ in COLUMNS),
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
        for row in [head, *rows]
    ]
    bad = sum(f["status"] == "UNEXPLAINED" for r in doc["domains"] for f in r["findings"])
    lines.append(f"skipped: {', '.join(doc['skipped']) or 'none'}; unexplained differences: {bad}")
    return "\n".join(lines)


def render(doc: dict[str, Any]) -> str:
    """The markdown report."""
    results = doc["domains"]
    m = doc["machine"]
    parts = [
        "# Cross-check with NegMAS 0.16",
        INTRO,
        f"Run of {m['date']}: NegMAS {doc['negmas']}, Python {m['python']}, numpy {m['numpy']}, "
        f"{m['nproc']} x {m['cpu']}; {len(results)} domains in {doc['seconds']:.0f} s "
        f"(`{doc['command']}`).",
        how_to_run(doc),
        what_is_compared(doc),
        agreements(doc),
        differences(doc),
        sessions(doc),
        genius_agents(doc),
        readme_values(doc),
        timings(doc),
    ]
    return "\n\n".join(p.strip("\n") for p in parts) + "\n"


def how_to_run(doc: dict[str, Any]) -> str:
    return f"""## How to run

```sh
make crosscheck
```

from the repository root: it installs the project (`make install`), creates
`benchmarks/.venv-negmas` with `negmas>=0.16,<0.17` if needed, and runs

```sh
.venv/bin/python benchmarks/crosscheck.py --json benchmarks/results/crosscheck.json \\
    --report docs/explanation/negmas-crosscheck.md
```

which prints the agreements table, writes every figure to the JSON file and this page, and exits
with status 1 on an unexplained difference. `--domains Laptop Party` limits the run,
`--steps N` sets the session length (default 100), `--no-tb` skips the GENIUS-style agents
([below](#genius-style-agents-against-negmass-time-based-negotiators), most of the run time),
and `--slow` also runs NegMAS's `calc_stats()` and its opposition over every outcome on
AMPOvsCity (1,944,000 outcomes, about 5 minutes more). It is not part of `make test`. The run
shown here took {doc["seconds"]:.0f} s."""


def what_is_compared(doc: dict[str, Any]) -> str:
    skipped = "\n".join(f"- **{k}**: {v}." for k, v in doc["skipped"].items())
    return f"""## What is compared, and on what scale

**The scale.** GENIUS defines an XML profile's utility as the sum over issues of weight x
(evaluation / the issue's largest evaluation), with the weights summing to 1; a GeniusWeb
profile's value utilities are used as given. burdenshare's importer does exactly this
(`load_genius`, `utility_tables`) and keeps reservation values as given. **NegMAS 0.16 does not
normalise when it loads**: `Scenario.load(folder, ignore_discount=True)` (for XML the same as
`load_genius_domain_from_folder(folder, ignore_discount=True, ignore_reserved=False,
safe_parsing=False)`) multiplies each weight by the *raw* evaluation, keeps the reservation value
as a number on that raw scale, and `Scenario.normalize()` (not called at load) then maps each
party's utility by a common-scale affine map (divide by the largest minus the least utility over
both parties, shift so that each party's best is 1, reservation values moved the same way).
Neither option makes NegMAS's function GENIUS's when the issues of a profile have different
largest evaluations. So the NegMAS side (`benchmarks/crosscheck_negmas_side.py`) takes the tables
NegMAS parsed, divides each XML issue by its largest evaluation and the weights by their sum,
keeps the reservation values, and runs NegMAS's own functions on that: the *GENIUS scale*, on
which every comparison below is made (tolerance {doc["tolerance"]:g} on each utility). The
*native* scale (NegMAS's ufuns as loaded) is checked separately, against burdenshare's dynamic
programme on the same raw tables. Discounting is off on both sides (`ignore_discount=True`;
the burdenshare scenario is written without `discount_per_round`).

**Reservation values.** burdenshare keeps them exactly as given (the scenario's
`outside_option`, the `d` of `frontier_solutions`). NegMAS 0.16 keeps the `<reservation>` number
as written (0 when absent; GeniusWeb: the utility of the reservation bid), but on its raw scale,
where it no longer means what GENIUS meant (Ultimatum's 0.1 becomes 0.1 out of 100,
FiftyFiftyA's 0.5 out of 1000); `ignore_reserved=True` sets it to -inf; `normalize()` moves it
with the utilities ([below](#readme-reference-values)). Then `pareto_frontier` drops the outcomes
below it, `nash_points` and `ks_points` take d_i = max(r_i, least utility), `opposition_level`
skips outcomes below it, and the time-based negotiators concede down to max(least utility, r),
not to r. Below, Nash is compared with d = (0, 0) on both sides, and with d = r (burdenshare) /
NegMAS's own d.

**What.**

- *Parsed tables*: NegMAS's parsed weights and raw evaluations equal burdenshare's
  `raw_weights` and `raw_evaluations`, value by value.
- *Frontier*: every distinct utility pair of burdenshare's exact frontier (`additive_frontier`)
  against NegMAS's `pareto_frontier(ufuns, issues=...)` called with the reservation values set to
  -inf, so that both are frontiers of the whole outcome space; *rational frontier*: NegMAS's
  default frontier (reservation values in force) against burdenshare's restricted to u >= r
  (where no reservation value exceeds the party's least utility, NegMAS's filter keeps every
  outcome, and its whole frontier is reused rather than recomputed).
- *Nash d=(0,0)*: burdenshare's `frontier_solutions(front, (0, 0))` against `nash_points` with
  every reserved value 0. *Nash d=r*: burdenshare with d = the reservation values as given
  against `nash_points(ufuns, frontier)`, whose disagreement point is max(reserved value, least
  utility); when they differ, burdenshare is rerun with NegMAS's d. *Kalai-Smorodinsky*:
  burdenshare with NegMAS's d against `ks_points`.
- *Opposition*: burdenshare's `opposition(tables, front, "max")` (distance to (1, 1) of u / max
  u, the least over the outcomes) against `opposition_level(ufuns, max_utils=(max u1, max u2),
  outcomes=...)` as `calc_stats()` calls it (over every outcome; on AMPOvsCity over the frontier
  outcomes unless `--slow`, which gives the same minimum since it is attained on the frontier).
  burdenshare's default normalisation, min-max, is in the JSON.
- *Session*: one `SAOMechanism` session of {doc["steps"]} steps against one burdenshare session of
  {doc["steps"]} rounds, see [the sessions](#the-sessions).
- *GENIUS agents*: burdenshare's `genius-*` agents against NegMAS's time-based negotiators,
  every ordered pair of six exponents, see
  [below](#genius-style-agents-against-negmass-time-based-negotiators).
- *Native frontier* and the README's reference values: see
  [README reference values](#readme-reference-values).

**Skipped.**

{skipped}"""


def agreements(doc: dict[str, Any]) -> str:
    rows = []
    for r in doc["domains"]:
        f, items = r["frontier"], by_item(r)
        rows.append(
            [
                r["domain"],
                f"{r['outcomes']:,}",
                f"{f['burdenshare']} / {f['negmas']} / {f['matched']}",
                *(cell(items.get(item)) for item, _ in COLUMNS),
            ]
        )
    status = md_table(
        ["domain", "outcomes", "frontier points bs / NegMAS / matched", *(c for c, _ in COLUMNS)],
        rows,
    )
    nums = []
    for r in doc["domains"]:
        s, o = r["solutions"], r["opposition"]
        nums.append(
            [
                r["domain"],
                fmt(s["nash_d0"]["burdenshare"]),
                f"{fmt(s['reservation'], 3)} / {fmt(s['negmas_d'], 3)}",
                fmt(s["nash"]["burdenshare_d_r"]),
                fmt(s["nash"]["negmas"][0] if s["nash"]["negmas"] else None),
                fmt(s["kalai_smorodinsky"]["burdenshare_d_negmas"]),
                fmt(
                    s["kalai_smorodinsky"]["negmas"][0]
                    if s["kalai_smorodinsky"]["negmas"]
                    else None
                ),
                f"{fmt(o['burdenshare_max'])} / {fmt(o['negmas'])}",
                fmt(o["burdenshare_minmax"]),
            ]
        )
    values = md_table(
        [
            "domain",
            "Nash d=(0,0)",
            "d: r / NegMAS's",
            "Nash, bs d=r",
            "Nash, NegMAS",
            "KS, bs (NegMAS's d)",
            "KS, NegMAS",
            "opposition (max) bs / NegMAS",
            "bs opposition (min-max)",
        ],
        nums,
    )
    return f"""## Agreements

`agree`: the same within {doc["tolerance"]:g}; `explained (key)`: a difference listed under
[explained differences](#explained-differences), with its evidence checked in this run.

{status}

The figures (GENIUS scale; u1 is the first profile in file order):

{values}"""


def differences(doc: dict[str, Any]) -> str:
    found: dict[str, list[str]] = {}
    for r in doc["domains"]:
        for f in r["findings"]:
            if f["status"] == "explained":
                found.setdefault(f["key"], []).append(f"{r['domain']}, {f['item']}: {f['detail']}")
    out = ["## Explained differences"]
    if not found:
        out.append("None in this run.")
    for key, text in doc["explained"].items():
        if key not in found:
            continue
        evidence = "\n".join(f"  - {e}" for e in found[key])
        out.append(f"### `{key}`\n\n{text}\n\nSeen in this run ({len(found[key])}):\n\n{evidence}")
    out.append(claims(doc))
    unused = [k for k in doc["explained"] if k not in found]
    if unused:
        out.append(
            "Listed in the script but not seen in this run: "
            + ", ".join(f"`{k}`" for k in unused)
            + "."
        )
    bad = [
        f"{r['domain']}, {f['item']}: {f['detail']}"
        for r in doc["domains"]
        for f in r["findings"]
        if f["status"] == "UNEXPLAINED"
    ]
    if bad:
        out.append("### Unexplained\n\n" + "\n".join(f"- {b}" for b in bad))
    return "\n\n".join(out)


def claims(doc: dict[str, Any]) -> str:
    """The two differences reported before this check, tested against this run's figures."""
    ampo = next((r for r in doc["domains"] if r["domain"] == "AMPOvsCity"), None)
    if ampo is None:
        return ""
    parsed = by_item(ampo)["parsed tables"]
    native = ampo["native"]["frontier"]
    ties = sum(
        len(r[k]["unmatched"]) for r in doc["domains"] for k in ("frontier", "rational_frontier")
    )
    near_dups = [
        r["domain"]
        for r in doc["domains"]
        if r["frontier"]["burdenshare"] != r["frontier"]["negmas"]
        and not r["frontier"]["unmatched"]
    ]
    gen, nat = ampo["frontier"], native
    return f"""### Earlier reports, checked

- *"AMPOvsCity has a value '0' evaluated twice in one profile; burdenshare keeps the last
  evaluation (as GENIUS does), hence 192 frontier points against NegMAS's 193."* **Not the
  cause.** NegMAS's reader keeps the last evaluation too (it fills a dict item by item). Parsed
  tables: {parsed["status"]}, {parsed["detail"]}. On the GENIUS scale burdenshare finds
  {gen["burdenshare"]} points and NegMAS {gen["negmas"]}, {gen["matched"]} matched. NegMAS's
  193 is its *native* raw-point frontier, another utility function (`raw-points`): on those raw
  tables burdenshare's dynamic programme finds {nat["burdenshare"]} points and NegMAS
  {nat["negmas"]}, {nat["matched"]} matched.
- *"Floating-point ties."* Frontier points found on one side only, in this run: {ties};
  domains where NegMAS lists near-duplicate points: {", ".join(near_dups) or "none"}.
  burdenshare decides ties on exact quantised sums (multiples of 2^-40), NegMAS on floating
  sums; on these domains no tie falls differently by more than {doc["tolerance"]:g}
  (`frontier-tie` would report it)."""


def rules(
    reservation: Sequence[float], nm: dict[str, Any], bs: dict[str, Any], acc: dict[str, Any]
) -> str:
    """Which of the numbered differences of SESSION_RULES bear on this pair of sessions."""
    if "error" in bs:
        return "-"
    out = []
    ranges = zip(nm["concession_ranges"], reservation, strict=True)
    if any(lo > r + 1e-12 for (lo, _), r in ranges):
        out.append("1")
    out.append("2")
    if nm["step"] != bs["round"] or nm["n_offers"] != bs["n_offers"]:
        out.append("3")
    same = (
        nm["agreement"] is not None
        and bs["agreement"] is not None
        and max(abs(a - b) for a, b in zip(nm["utilities"], bs["utilities"], strict=True)) <= 1e-9
    )
    if not same:
        out.append("4")
    if acc.get("burdenshare", {}).get("last_round"):
        out.append("5")
    return ", ".join(out) + (" (same agreement)" if same else "")


def sessions(doc: dict[str, Any]) -> str:
    rows = []
    for r in doc["domains"]:
        if "session" not in r:
            continue
        nm, bs, acc = (
            r["session"]["negmas"],
            r["session"]["burdenshare"],
            r["session"]["acceptance"],
        )

        def side(s: dict[str, Any], when: str) -> str:
            if "error" in s:
                return f"error: {s['error']}"
            if s["agreement"] is None:
                return f"none ({s['n_offers']} offers)"
            return f"{fmt(s['utilities'], 3)}, {when}, {s['n_offers']} offers"

        def answer(a: dict[str, Any] | None, who: Sequence[str]) -> str:
            if a is None:
                return "-"
            verb = "accepted" if a["accepted"] else "rejected"
            return (
                f"{who[a['answerer']]} {verb} {a['utility']:.3f} at t = {a['t']:.3f} "
                f"(threshold {a['threshold']:.3f})"
            )

        rows.append(
            [
                r["domain"],
                side(nm, f"step {nm['step']}"),
                answer(acc.get("negmas"), ("Boulware", "Conceder")),
                side(bs, f"round {bs.get('round')}"),
                answer(acc.get("burdenshare"), ("TD(1/4)", "TD(4)")),
                f"{fmt(nm['concession_ranges'][0], 2)} {fmt(nm['concession_ranges'][1], 2)}",
                rules(r["solutions"]["reservation"], nm, bs, acc),
            ]
        )
    body = md_table(
        [
            "domain",
            "NegMAS agreement (u1, u2)",
            "NegMAS: last answer",
            "burdenshare agreement (u1, u2)",
            "burdenshare: last answer",
            "NegMAS's ranges [lo, hi]",
            "differences that apply",
        ],
        rows,
    )
    return f"""## The sessions

{body}

burdenshare's ranges are [r, 1] for each party (r the reservation value, 0 where the profile
has none). "Last answer" is the last response of the session with the threshold the answerer's
documented rule gives at that moment (checked: every last answer follows its rule). The last
column numbers the differences of the next section that bear on the pair: 1 when a NegMAS range
starts above the reservation value, 2 always, 3 when the sessions end at a different step or
after a different number of offers, 4 when the agreements differ, 5 when burdenshare agreed in
its last round. The per-offer traces are in the JSON (`session.negmas.trace`,
`session.burdenshare.trace`).

### Why the sessions differ

{SESSION_RULES}"""


def readme_values(doc: dict[str, Any]) -> str:
    rows, res_rows, example = [], [], None
    for r in doc["domains"]:
        nat = r["native"]
        if "readme" in nat:
            ref, now = nat["readme"]["readme"], nat["readme"]["negmas_now"]
            rows.append(
                [
                    r["domain"],
                    f"{ref['pareto_points']} / {now['pareto_points']} / "
                    f"{r['frontier']['burdenshare']}",
                    f"{fmt(ref['opposition'], 3)} / {fmt(now['opposition'], 4)} / "
                    f"{fmt(r['opposition']['burdenshare_max'], 4)}",
                    f"{fmt(ref['nash'], 3)} / {fmt(now['nash'], 3)} / "
                    f"{fmt(r['solutions']['nash']['burdenshare_d_r'], 3)}",
                ]
            )
        if "reserved_after_normalize" in nat:
            rv = nat["reserved_after_normalize"]
            res_rows.append(
                [r["domain"], fmt(rv["loaded"], 4), fmt(rv["negmas"], 4), fmt(rv["predicted"], 4)]
            )
            if [round(x, 3) for x in rv["negmas"]] == [-0.021, 0.883]:
                example = r["domain"]
    example_text = (
        f"{example}'s (the GENIUS party domain); Laptop's and Party's are in the table"
        if example
        else "not reproduced in this run"
    )
    ref_table = md_table(
        [
            "domain",
            "Pareto points: README / NegMAS now / burdenshare",
            "opposition: README / NegMAS now / burdenshare (max)",
            "Nash: README / NegMAS now / burdenshare (d = r)",
        ],
        rows,
    )
    res_table = md_table(
        ["domain", "reserved values as loaded", "after normalize()", "1 - (max_i - r_i) / span"],
        res_rows,
    )
    return f"""## README reference values

The reference values in `tests/known_values/data/genius/README.md` are NegMAS's
`Scenario.load(folder, ignore_discount=True).normalize().calc_stats()` on its native scale
(AMPOvsCity: the native frontier, and `calc_stats()` only with `--slow`). This run recomputes
them with NegMAS; they are *not* comparable with burdenshare's GENIUS-scale figures where a
profile's issues have different largest evaluations (`raw-points`), and `normalize()` moves the
reservation values, which moves NegMAS's Nash and Kalai points.

{ref_table}

**Reservation values under `normalize()`.** `normalize()` applies the common-scale affine map
to the reservation values too: r' = 1 - (max_i - r_i) / (max over both parties - min over both
parties), computed here from burdenshare's raw tables and checked against NegMAS's result. The
README's example, "raw [0, 0] to [-0.021, 0.883]", attributed there to the Party and Laptop
profiles, is {example_text}.

{res_table}"""


def ms(seconds: float) -> str:
    """Milliseconds with about three significant digits."""
    x = seconds * 1e3
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def timings(doc: dict[str, Any]) -> str:
    rows = []
    for r in doc["domains"]:
        t = r["timings"]
        bs_f, nm_f = t["burdenshare_frontier_s"], t["negmas_frontier_s"]
        bs_n, nm_n = t["burdenshare_nash_s"], t["negmas_nash_s"]
        stats = t["negmas_calc_stats_s"]
        rows.append(
            [
                r["domain"],
                f"{r['outcomes']:,}",
                ms(bs_f),
                ms(nm_f),
                f"{nm_f / bs_f:,.0f}",
                ms(bs_f + bs_n),
                ms(nm_f + nm_n),
                f"{(nm_f + nm_n) / (bs_f + bs_n):,.0f}",
                "(--slow)" if stats is None else f"{stats:,.2f}",
            ]
        )
    body = md_table(
        [
            "domain",
            "outcomes",
            "bs frontier (ms)",
            "NegMAS frontier (ms)",
            "ratio",
            "bs frontier + Nash (ms)",
            "NegMAS frontier + Nash (ms)",
            "ratio",
            "NegMAS calc_stats (s)",
        ],
        rows,
    )
    return f"""## Timings

Measured in the run above, on the GENIUS scale: burdenshare's `additive_frontier` (median of 5)
and `frontier_solutions` (Nash and the other points, median of 5); NegMAS's `pareto_frontier`
over the enumerated space and `nash_points` given that frontier (one call each, in its own
process). The ratio is NegMAS's time over burdenshare's. These are measurements, never
assertions: they vary from run to run, so compare ratios within one run only. NegMAS's
`calc_stats()` (frontier, Nash, Kalai and Kalai-Smorodinsky points, welfare and opposition over
every outcome, on the normalised native scale) is the last column; AMPOvsCity's takes minutes
and runs only with `--slow`. Computing the Nash point from the frontier is cheap on both sides:
it is the enumeration of the frontier that costs.

{body}"""


#: the conventions of the two time-based agents (read in NegMAS 0.16's and burdenshare's source)
TB_CONVENTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "time",
        "`relative_time = (step + 1) / (n_steps + 1)` (`Mechanism._relative_time_for`, no time "
        "limit); with `one_offer_per_step=True` the offer of step s (0-based) is made at (s + "
        "1)/(n + 1) and answered at step s + 1, at (s + 2)/(n + 1), in the same call as the "
        "counter-offer; t never reaches 1",
        "`state.time` = (date - start) / (deadline belief - start) = (k - 1)/(K - 1) in round k "
        "(daily rounds, the deadline on the last round); the offer of round k and its answer both"
        " at that t; 1 in the last round",
    ),
    (
        "rounds",
        "`n_steps = K`: K offers, the last one unanswered",
        "K rounds: K offers, each answered",
    ),
    (
        "curve",
        "aspiration `1 - t^p` (`PolyAspiration`), the same curve for offering and accepting",
        "`f(t) = k + (1 - k) t^(1/e)`, target `Pmin + (Pmax - Pmin)(1 - f(t))` (Faratin et al. "
        "1998, GENIUS); here k = 0",
    ),
    (
        "exponent",
        "p: boulware 4, linear 1, conceder 0.25, hardheaded inf (`POLY_ASPIRATION_EXPONENTS`)",
        "e = 1/p: genius-boulware 0.2, genius-linear 1, genius-conceder 2, genius-hardliner 0 (`f"
        " = k` at every t; NegMAS's `1 - 1^inf` is 0 at t = 1, which its clock never reaches)",
    ),
    (
        "range",
        "[max(least utility, reserved value), largest utility] "
        "(`UtilityBasedOutcomeSetRecommender`)",
        "[max(u_min, least own utility), largest] with u_min the outside option (the GENIUS "
        "reservation value): the same numbers",
    ),
    (
        "bid",
        "`worst_in` of the presorting inverter over the rational outcomes (utility >= reserved "
        "value): the first, in a numpy argsort, at or above `aspiration - eps` (eps = 1e-4), or "
        "one up to 1e-6 below it when nearer; above 10^6 outcomes the approximate BIDS inverter",
        "among admissible outcomes (>= u_min - 1e-9, own ratifier) worth >= target - 1e-9, "
        "those in GENIUS's window [target, target + 0.01 m] (`OMStrategy.getBid`, m the smallest "
        "whole number >= 1 that holds one); of these the one the opponent model rates highest, "
        "ties to the higher own utility, then the lower outcome index (`select_bid`); "
        "`model=none` rates every outcome 1.0, so: the highest own utility in the window",
    ),
    (
        "acceptance",
        "`UtilBasedNegotiator.respond`: accept iff the offer lies in the scaled aspiration band, "
        "in effect u >= max(range low, aspiration - 1e-4)",
        "`accept=next`: AC_next(1, 0), u >= the own utility of the bid it would make now "
        "(Baarslag et al. 2014), and the offer admissible",
    ),
    (
        "first mover",
        "the negotiator added first",
        "`protocol.first_mover` (the first profile)",
    ),
)


def tb_cell(c: dict[str, Any]) -> str:
    if c["status"] == "agree":
        return "="
    if c["status"] == "explained":
        if c["key"] == "tb-space-limit":
            return "refused"
        if c["key"] == "tb-float-tie":
            return "float tie"
        sets = c["detail"].rsplit("reproduced by NegMAS with ", 1)[-1]
        return sets.replace("{", "").replace("}", "").replace(", ", "+")
    return "**UNEXPLAINED**"


def genius_agents(doc: dict[str, Any]) -> str:
    from crosscheck_tb import AGENTS, spec

    results = [r for r in doc["domains"] if "tb" in r]
    if not results:
        return ""
    conventions = md_table(
        [
            "convention",
            "NegMAS 0.16 (`TimeBasedConcedingNegotiator`)",
            "burdenshare (`genius-time-dependent`)",
        ],
        TB_CONVENTIONS,
    )
    agents = md_table(
        ["label", "e", "burdenshare", "NegMAS p", "NegMAS class"],
        [[lab, f"{e:g}", f"`{spec(e)}`", f"{p:g}", f"`{cls}`"] for lab, e, p, cls in AGENTS],
    )
    labels = [a[0] for a in AGENTS]
    rows, mats = [], []
    tot = {"agree": 0, "explained": 0, "UNEXPLAINED": 0}
    for r in results:
        tb = r["tb"]
        n = {k: sum(p["status"] == k for p in tb["pairs"]) for k in tot}
        for k, x in n.items():
            tot[k] += x
        sets: dict[str, int] = {}
        for p in tb["pairs"]:
            if p["status"] == "explained":
                k = tb_cell(p)
                sets[k] = sets.get(k, 0) + 1
        rows.append(
            [
                r["domain"],
                f"{tb['n_outcomes']:,}",
                f"{n['agree']} / {n['explained']} / {n['UNEXPLAINED']}",
                ", ".join(f"{k} {v}" for k, v in sorted(sets.items())) or "-",
                f"{tb['negmas_sessions']:,} in {tb['negmas_session_seconds']:.1f} s "
                f"({tb['negmas_seconds']:.1f} s with loading)",
                f"{tb['burdenshare_sessions']} in {tb['burdenshare_seconds']:.1f} s",
            ]
        )
        grid = {tuple(p["pair"]): p for p in tb["pairs"]}
        mat = md_table(
            ["opens \\ answers", *labels],
            [
                [labels[i], *(tb_cell(grid[i, j]) for j in range(len(labels)))]
                for i in range(len(labels))
            ],
        )
        mats.append(f"**{r['domain']}**\n\n{mat}")
    counts = md_table(
        [
            "domain",
            "outcomes",
            "agree / explained / unexplained",
            "smallest switch sets",
            "NegMAS sessions",
            "burdenshare sessions",
        ],
        rows,
    )
    return f"""## GENIUS-style agents against NegMAS's time-based negotiators

burdenshare's outcome-space agents (`negotiation/negotiators/bidding.py`) against NegMAS 0.16's
time-based negotiators (`negmas/gb/negotiators/timebased.py`), every ordered pair of six
exponents on every domain: {doc["steps"]} rounds in burdenshare (`run_session` on the imported
scenario, no discounting) and `SAOMechanism(n_steps={doc["steps"]}, one_offer_per_step=True)` in
NegMAS, the first profile's agent opening. burdenshare's agents run as registered, without an
opponent model (`model=none`: NegMAS's time-based negotiators have none), with AC_next
(`accept=next`, the default and GENIUS's) and GENIUS's bidding window (`window=0.01`, the
default).

### The conventions, side by side

Read in NegMAS 0.16's source (`gb/negotiators/timebased.py`, `gb/negotiators/utilbased.py`,
`gb/components/inverter.py`, `preferences/inv_ufun/presorting.py`, `mechanisms.py`,
`sao/mechanism.py`) and burdenshare's (`negotiation/negotiators/bidding.py`,
`negotiation/acceptance.py`, `negotiation/state.py`).

{conventions}

The agents and their counterparts:

{agents}

### The check

A pair *agrees* when both sides reach the same agreement (outcome) on the same offer (one offer
a round on both sides), or neither agrees. Otherwise NegMAS is rerun with each of the 32 subsets
of five of its conventions replaced by burdenshare's, through NegMAS's own extension points (the
relative time handed to the negotiator, `respond`, the negotiator's `eps`, the `ufun_inverter`
factory; `benchmarks/crosscheck_negmas_tb.py` documents each): **time** (burdenshare's clock,
measured round by round in a probe session, and the last round's offer answered), **accept**
(AC_next), **band** (bid and accept down to the target less 1e-9, not 1e-4), **order** (ties
in enumeration order, not argsort order) and **window** (the highest own utility in GENIUS's
window above the target, not the lowest at or above it). The difference is *explained* by the
smallest subsets whose run plays burdenshare's session offer for offer; if none does, it is
unexplained (unless the first difference is a floating-point tie, `tb-float-tie`, or burdenshare
refuses the domain, `tb-space-limit`, each with its own check).

Totals over {len(results)} domains: {tot["agree"]} pairs agree, {tot["explained"]} explained,
{tot["UNEXPLAINED"]} unexplained.

{counts}

Per pair (`=`: same agreement on the same offer; otherwise the smallest switch sets that
reproduce burdenshare's session; `float tie`: see `tb-float-tie` under
[explained differences](#explained-differences); `refused`: burdenshare's agents refuse the
space):

{chr(10).join(chr(10) + m for m in mats)}"""

"""Reading a shared-cost file (docs/how-to/allocate.md) into a :class:`SharedCost`.

The text is read by the scenario reader (:func:`burdenshare.scenario.readers.load_yaml`: YAML
event by event, no tags, anchors, aliases, merge keys or duplicate keys, within the size, depth
and count limits, each field with its line); the file is opened as the scenarios are
(:func:`burdenshare.scenario.paths.read_regular_file`: FIFOs and devices refused, at most
:data:`MAX_GAME_BYTES`); keys and texts follow the scenario text rule (no control or bidi
characters). Every problem is one ScenarioError naming the file, the line and the field.

>>> text = '''
... title: car rental
... players: {Alan: {}, Bob: {}}
... game: {kind: airport, stand_alone: {Alan: 70, Bob: 40}}
... '''
>>> p = parse_game_text(text, source="g.yaml")
>>> p.players, p.total, p.kind
(('Alan', 'Bob'), 70.0, 'airport')
>>> parse_game_text("title: t\\nplayers: {A: {gdp: -1}, B: {}}\\ngame: {kind: total, total: 1}\\n",
...                 source="g.yaml")
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: g.yaml:2: players.A.gdp: must be a finite number >= 0 (got -1; \
expected an income in any one unit, the same for every player)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, NoReturn

from burdenshare.cooperative.game import MAX_PLAYERS, CostGame, cost_game
from burdenshare.cooperative.problem import GAME_KINDS, MAX_TOTAL_PLAYERS, SharedCost
from burdenshare.cooperative.structured import airport_game, facility_game
from burdenshare.errors import ScenarioError
from burdenshare.scenario.paths import path_kind, read_regular_file
from burdenshare.scenario.readers import Lines, load_yaml
from burdenshare.scenario.text import describe, printable, unsafe_strings

__all__ = ["MAX_GAME_BYTES", "parse_game_text", "read_game_file"]

#: largest shared-cost file accepted, in bytes (a 20-player table of coalitions fits)
MAX_GAME_BYTES = 5_000_000
_ROOT_KEYS = ("title", "currency", "scale", "sources", "notes", "players", "game")
_PLAYER_KEYS = ("gdp", "gni", "note")
_GAME_KEYS = {
    "total": ("kind", "total"),
    "coalitions": ("kind", "costs"),
    "airport": ("kind", "stand_alone"),
    "facility": ("kind", "stand_alone", "fixed", "marginal"),
}
_REQUIRED = {
    "total": ("total",),
    "coalitions": ("costs",),
    "airport": ("stand_alone",),
    "facility": ("stand_alone", "fixed"),
}
Path_ = tuple[str, ...]


class _Ctx:
    def __init__(self, source: str, lines: Lines) -> None:
        self.source, self.lines = source, lines

    def fail(
        self,
        path: Path_,
        message: str,
        value: Any = None,
        expected: str | None = None,
        *,
        has_value: bool | None = None,
    ) -> NoReturn:
        line = None
        for n in range(len(path), 0, -1):
            if path[:n] in self.lines:
                line = self.lines[path[:n]]
                break
        raise ScenarioError(
            message,
            file=self.source,
            line=line,
            field=".".join(path) or None,
            value=value,
            expected=expected,
            has_value=has_value,
        )


def read_game_file(path: str | Path) -> SharedCost:
    """The shared cost in the YAML file ``path``."""
    name, p = str(path), Path(path)
    if path_kind(p) != "file":
        raise ScenarioError("no such file", file=name, expected="the path of a .yaml game file")
    data = read_regular_file(p, MAX_GAME_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=name,
            line=data[: exc.start].count(b"\n") + 1,
            expected="UTF-8 text",
        ) from None
    return parse_game_text(text, source=name)


def parse_game_text(text: str, *, source: str = "<input>") -> SharedCost:
    """The shared cost in a YAML text (see the module's docstring for what is checked)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_GAME_BYTES:
        raise ScenarioError(
            "file is too large", file=source, expected=f"at most {MAX_GAME_BYTES:,} bytes"
        )
    if "\x00" in text:
        raise ScenarioError("file contains NUL bytes", file=source, expected="UTF-8 text")
    raw, lines = load_yaml(text.removeprefix("\ufeff"), source)
    ctx = _Ctx(source, lines)
    if not isinstance(raw, dict):
        ctx.fail(
            (),
            "the file must be a mapping of keys",
            type(raw).__name__,
            "title, players and game (see docs/how-to/allocate.md)",
        )
    for path, value, ch, is_key in unsafe_strings(raw):
        ctx.fail(
            path,
            f"{'key' if is_key else 'text'} holds {describe(ch)}",
            printable(value),
            "text without control or bidirectional formatting characters",
        )
    _keys(ctx, raw, (), _ROOT_KEYS, ("title", "players", "game"))
    title = _text(ctx, raw["title"], ("title",))
    currency = _text(ctx, raw.get("currency", ""), ("currency",))
    scale = _text(ctx, raw.get("scale", ""), ("scale",))
    sources = raw.get("sources", [])
    if not isinstance(sources, list):
        ctx.fail(("sources",), "wrong type", sources, "a list of texts")
    srcs = tuple(_text(ctx, s, ("sources", str(i))) for i, s in enumerate(sources))
    if "notes" in raw:
        _text(ctx, raw["notes"], ("notes",))
    players, gdp, gni = _players(ctx, raw["players"])
    game_raw = raw["game"]
    if not isinstance(game_raw, dict):
        ctx.fail(("game",), "wrong type", game_raw, "a mapping with a kind")
    kind = game_raw.get("kind")
    if kind not in GAME_KINDS:
        ctx.fail(
            ("game", "kind"), "unknown game kind", kind, " | ".join(GAME_KINDS), has_value=True
        )
    _keys(ctx, game_raw, ("game",), _GAME_KEYS[kind], _REQUIRED[kind])
    if kind != "total" and len(players) > MAX_PLAYERS:
        ctx.fail(
            ("players",),
            f"{len(players)} players",
            None,
            f"at most {MAX_PLAYERS} players for a {kind} game (only kind: total, which "
            f"needs no coalition costs, takes up to {MAX_TOTAL_PLAYERS})",
        )
    game = _game(ctx, kind, game_raw, players)
    total = game.total if game is not None else _amount(ctx, game_raw["total"], ("game", "total"))
    return SharedCost(
        title=title,
        players=players,
        total=total,
        kind=kind,
        game=game,
        gdp=gdp,
        gni=gni,
        currency=currency,
        scale=scale,
        sources=srcs,
        source=source,
    )


def _players(
    ctx: _Ctx, raw: Any
) -> tuple[tuple[str, ...], tuple[float, ...] | None, tuple[float, ...] | None]:
    if not isinstance(raw, dict) or not 2 <= len(raw) <= MAX_TOTAL_PLAYERS:
        ctx.fail(
            ("players",),
            "wrong players",
            raw if not isinstance(raw, dict) else len(raw),
            f"a mapping of 2 to {MAX_TOTAL_PLAYERS} players, each with optional gdp and gni",
            has_value=True,
        )
    names = []
    incomes: dict[str, list[float | None]] = {"gdp": [], "gni": []}
    for name, spec in raw.items():
        path = ("players", name)
        if not name.strip() or len(name) > 80:
            ctx.fail(path, "a player needs a name of 1 to 80 characters", name, has_value=True)
        spec = {} if spec is None else spec
        if not isinstance(spec, dict):
            ctx.fail(path, "wrong type", spec, "a mapping (gdp, gni, note) or nothing")
        _keys(ctx, spec, path, _PLAYER_KEYS, ())
        if "note" in spec:
            _text(ctx, spec["note"], (*path, "note"))
        for key in ("gdp", "gni"):
            value = spec.get(key)
            incomes[key].append(
                None
                if value is None
                else _amount(
                    ctx, value, (*path, key), "an income in any one unit, the same for every player"
                )
            )
        names.append(name)
    out: list[tuple[float, ...] | None] = []
    for key, values in incomes.items():
        given = [v for v in values if v is not None]
        if given and len(given) != len(values):
            missing = names[values.index(None)]
            ctx.fail(
                ("players", missing, key),
                f"{key} given for some players but not this one",
                None,
                f"{key} for every player or for none",
            )
        out.append(tuple(given) if given else None)
    return tuple(names), out[0], out[1]


def _game(ctx: _Ctx, kind: str, raw: dict[str, Any], players: tuple[str, ...]) -> CostGame | None:
    try:
        if kind == "total":
            return None
        if kind == "coalitions":
            return cost_game(players, _coalitions(ctx, raw["costs"], players))
        stand = _per_player(ctx, raw["stand_alone"], ("game", "stand_alone"), players)
        if kind == "airport":
            return airport_game(players, stand)
        marginal = raw.get("marginal")
        return facility_game(
            players,
            stand_alone=stand,
            fixed=_amount(ctx, raw["fixed"], ("game", "fixed")),
            marginal=None
            if marginal is None
            else _per_player(ctx, marginal, ("game", "marginal"), players),
        )
    except ScenarioError as exc:
        if exc.file:
            raise
        path = tuple((exc.field or "game").split("."))
        ctx.fail(path, exc.message, exc.value, exc.expected, has_value=exc.has_value)


def _coalitions(ctx: _Ctx, raw: Any, players: tuple[str, ...]) -> dict[tuple[str, ...], float]:
    path = ("game", "costs")
    if not isinstance(raw, list):
        ctx.fail(path, "wrong type", raw, "a list of {members: [...], cost: ...}")
    out: dict[tuple[str, ...], float] = {}
    for i, item in enumerate(raw):
        where = (*path, str(i))
        if not isinstance(item, dict):
            ctx.fail(where, "wrong type", item, "{members: [...], cost: ...}")
        _keys(ctx, item, where, ("members", "cost"), ("members", "cost"))
        members = item["members"]
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            ctx.fail((*where, "members"), "wrong type", members, "a list of player names")
        key = tuple(sorted(members))
        if key in out:
            ctx.fail((*where, "members"), "coalition given twice", members, "each coalition once")
        unknown = [m for m in members if m not in players]
        if unknown or len(set(members)) != len(members) or not members:
            ctx.fail(
                (*where, "members"),
                "not a coalition of the players",
                members,
                "distinct names among " + ", ".join(players),
            )
        out[key] = _amount(ctx, item["cost"], (*where, "cost"))
    return out


def _per_player(ctx: _Ctx, raw: Any, path: Path_, players: tuple[str, ...]) -> list[float]:
    if not isinstance(raw, dict) or set(raw) != set(players):
        ctx.fail(
            path,
            "one amount per player is needed",
            raw,
            "a mapping with every player: " + ", ".join(players),
            has_value=True,
        )
    return [_amount(ctx, raw[p], (*path, p)) for p in players]


def _amount(ctx: _Ctx, value: Any, path: Path_, expected: str = "an amount") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        ctx.fail(path, "must be a number", value, expected, has_value=True)
    out = float(value)
    if not math.isfinite(out) or out < 0 or out > 1e300:
        ctx.fail(path, "must be a finite number >= 0", value, expected, has_value=True)
    return out


def _text(ctx: _Ctx, value: Any, path: Path_) -> str:
    if not isinstance(value, str) or len(value) > 4000:
        ctx.fail(path, "must be a text of at most 4,000 characters", value, "text", has_value=True)
    return value


def _keys(
    ctx: _Ctx, m: dict[str, Any], path: Path_, allowed: tuple[str, ...], required: tuple[str, ...]
) -> None:
    for key in m:
        if key not in allowed:
            ctx.fail((*path, key), f"unknown key {key!r}", None, "one of " + ", ".join(allowed))
    for key in required:
        if key not in m:
            ctx.fail(path, f"missing key {key!r}", None, "keys " + ", ".join(required))

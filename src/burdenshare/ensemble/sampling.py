"""Draw the uncertain numbers of a scenario for an ensemble of sessions, reproducibly.

A scenario value may be a :class:`~burdenshare.scenario.distributions.Distribution`.
:func:`uncertain_parameters` lists them under the dotted field paths that
:func:`burdenshare.preferences.build.party_parameters` accepts as ``overrides``; :func:`draw`
gives each of ``n`` sessions one value per parameter, by plain Monte Carlo (``"mc"``) or by
Latin hypercube sampling (``"lhs"``; McKay, Beckman & Conover 1979), optionally with rank
correlations imposed by the method of Iman & Conover (1982).

Seeding convention
------------------
Randomness is passed in, never global (STYLE.md, convention 6). From a root
:class:`numpy.random.SeedSequence` (an ``int`` seed ``s`` means ``SeedSequence(s)``), the random
numbers of *stream* ``k``, *block* ``b`` come from ::

    np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        entropy=root.entropy, spawn_key=(*root.spawn_key, k, b), pool_size=root.pool_size)))

which is what :func:`block_seed` and :func:`block_rng` build. Streams are reserved per consumer:
``SAMPLING_STREAM = 0`` (this module), ``NEGOTIATION_STREAM = 1`` (the negotiation engine's
per-session randomness); new consumers take the next free number. Because keys of length
``len(root.spawn_key) + 2`` are used, do not also call ``root.spawn()`` on the same root (its
grandchildren would collide with these keys); spawn from a separate root instead.

An ``n``-session ensemble is cut into blocks of ``B = min(block_size, n)`` sessions: block ``b``
covers sessions ``[b*B, min((b+1)*B, n))``, and all of its draws come from stream 0, block ``b``.
Within a block the generator is consumed parameter by parameter, in the order of the ``params``
mapping: ``mc`` takes ``rng.random(size)``; ``lhs`` takes ``rng.permutation(size)`` then
``rng.random(size)``. Rank correlations reorder these uniforms without drawing anything more;
then each column goes through its distribution's ``ppf``. So the values for session ``i`` depend
only on ``(seed, n, method, correlations, block_size, i)`` and the parameter list, never on
how ``[0, n)`` is split into chunks:

>>> params = {"x": Distribution(kind="uniform", params=(0.0, 1.0))}
>>> whole = draw(params, 10, seed=7, block_size=4)["x"]
>>> parts = [draw(params, 10, seed=7, block_size=4, start=a, stop=b)["x"]
...          for a, b in [(0, 3), (3, 9), (9, 10)]]
>>> bool(np.array_equal(whole, np.concatenate(parts)))
True

References
----------
- M. D. McKay, R. J. Beckman and W. J. Conover (1979), "A comparison of three methods for
  selecting values of input variables in the analysis of output from a computer code",
  Technometrics 21(2):239–245.
- R. L. Iman and W. J. Conover (1982), "A distribution-free approach to inducing rank
  correlation among input variables", Communications in Statistics B 11(3):311–334.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import NDArray
from scipy import special

from burdenshare.errors import ScenarioError, SimulationError
from burdenshare.scenario.distributions import Distribution
from burdenshare.scenario.uncertain import uncertain_parameters
from burdenshare.seeds import (
    DEFAULT_BLOCK_SIZE,
    NEGOTIATION_STREAM,
    SAMPLING_STREAM,
    _root,
    block_rng,
    block_seed,
)

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "NEGOTIATION_STREAM",
    "SAMPLING_STREAM",
    "Method",
    "SamplePlan",
    "block_rng",
    "block_seed",
    "draw",
    "sample_block",
    "session_overrides",
    "uncertain_parameters",
]

#: the sampling method: plain Monte Carlo or Latin hypercube (stratified within each block)
Method = Literal["mc", "lhs"]


#: smallest probability passed to ``ppf``: keeps unbounded distributions (``normal``) finite
_TINY = 2.0**-53

Draws = dict[str, NDArray[np.float64]]


# -- the uncertain numbers of a scenario -----------------------------------------------------


# -- seeds -----------------------------------------------------------------------------------


# -- correlations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _RankCorrelation:
    """Validated target rank correlations: the columns involved and the Cholesky factor."""

    columns: tuple[int, ...]
    factor: NDArray[np.float64]  # lower-triangular P with P @ P.T = target


def _pair_field(a: str, b: str) -> str:
    return f"correlations[{a}, {b}]"


def _normalise_correlations(
    correlations: Mapping[tuple[str, str], float] | Iterable[tuple[str, str, float]] | None,
) -> tuple[tuple[str, str, float], ...]:
    """``{(a, b): rho}`` (or ``(a, b, rho)`` triples) as sorted, de-duplicated triples."""
    if correlations is None:
        return ()
    items: Iterable[Any]
    if isinstance(correlations, Mapping):
        items = [
            (*key, rho) if isinstance(key, tuple) else (key, rho)
            for key, rho in correlations.items()
        ]
    else:
        items = correlations
    pairs: dict[tuple[str, str], float] = {}
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 3):
            raise ScenarioError(
                "a correlation is keyed by a pair of parameter names",
                field="correlations",
                value=item,
                expected="{(name_a, name_b): rho}",
            )
        a, b, rho = item
        if not (isinstance(a, str) and isinstance(b, str)):
            raise ScenarioError(
                "a correlation is keyed by a pair of parameter names",
                field="correlations",
                value=(a, b),
                expected="{(name_a, name_b): rho}",
            )
        if a == b:
            raise ScenarioError(
                "a parameter cannot be correlated with itself",
                field=_pair_field(a, b),
                value=rho,
                expected="a pair of two different parameters",
            )
        number = None if isinstance(rho, bool) else rho
        if not isinstance(number, int | float | np.floating | np.integer) or not (
            math.isfinite(float(number)) and abs(float(number)) < 1.0
        ):
            raise ScenarioError(
                "a rank correlation must lie strictly between -1 and 1",
                field=_pair_field(a, b),
                value=rho,
                expected="a number in (-1, 1)",
            )
        key = (a, b) if a < b else (b, a)
        if key in pairs and pairs[key] != float(number):
            raise ScenarioError(
                "the pair is given two different correlations",
                field=_pair_field(*key),
                value=[pairs[key], float(number)],
                expected="one value per pair",
            )
        pairs[key] = float(number)
    return tuple((a, b, rho) for (a, b), rho in sorted(pairs.items()))


def _rank_correlation(
    names: tuple[str, ...], triples: tuple[tuple[str, str, float], ...]
) -> _RankCorrelation | None:
    position = {name: j for j, name in enumerate(names)}
    for a, b, _ in triples:
        for name in (a, b):
            if name not in position:
                raise ScenarioError(
                    "unknown parameter in a correlation",
                    field=_pair_field(a, b),
                    value=name,
                    expected=f"one of {list(names)}",
                )
    triples = tuple(t for t in triples if t[2] != 0.0)  # a zero leaves the pair independent
    if not triples:
        return None
    columns = tuple(
        sorted({position[a] for a, _, _ in triples} | {position[b] for _, b, _ in triples})
    )
    local = {col: k for k, col in enumerate(columns)}
    target = np.eye(len(columns))
    for a, b, rho in triples:
        i, j = local[position[a]], local[position[b]]
        target[i, j] = target[j, i] = rho
    try:
        factor = np.linalg.cholesky(target)
    except np.linalg.LinAlgError:
        factor = None
    if factor is None or float(np.linalg.eigvalsh(target).min()) <= 1e-12:
        raise ScenarioError(
            "the correlations do not form a positive-definite correlation matrix",
            field="correlations",
            value={f"{a}, {b}": rho for a, b, rho in triples},
            expected="mutually consistent correlations (for example, not rho(a,b) = rho(b,c) = "
            "0.9 with rho(a,c) = -0.9)",
        )
    return _RankCorrelation(columns=columns, factor=np.asarray(factor, dtype=np.float64))


def _iman_conover(u: NDArray[np.float64], corr: _RankCorrelation) -> NDArray[np.float64]:
    """Reorder columns of ``u`` (size x d uniforms) to carry the target rank correlations.

    Iman & Conover (1982), section 3: (1) replace each column by van der Waerden scores
    ``Phi^-1(r / (size + 1))`` at its ranks ``r``; (2) with ``T = Q Q'`` the scores' sample
    correlation and ``C = P P'`` the target, ``X* = X (P Q^-1)'`` has correlation ``C``; (3)
    rearrange each original column so its ranks match those of ``X*``. Only the order within a
    column changes, so marginals (and Latin hypercube strata) are untouched. The scores come from
    the ranks of ``u`` itself, so no extra random numbers are drawn. When the block is too small
    for ``T`` to be positive definite, ``Q = I`` is used (step 2 without the correction).
    """
    size = u.shape[0]
    if size < 2:
        return u
    cols = list(corr.columns)
    sub = u[:, cols]
    order = np.argsort(sub, axis=0, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(size)[:, None], axis=0)
    scores = special.ndtri(np.arange(1, size + 1) / (size + 1.0))
    x = scores[ranks]
    transform: NDArray[np.float64] = corr.factor
    if size > len(cols) + 1:
        with np.errstate(all="ignore"):
            t = np.atleast_2d(np.corrcoef(x, rowvar=False))
        if np.all(np.isfinite(t)) and float(np.linalg.eigvalsh(t).min()) > 1e-8:
            q = np.linalg.cholesky(t)
            # S = P Q^-1, computed as (Q^-T P^T)^T
            transform = np.asarray(np.linalg.solve(q.T, corr.factor.T).T, dtype=np.float64)
    target = x @ transform.T
    out = u.copy()
    new_order = np.argsort(target, axis=0, kind="stable")
    for k, col in enumerate(cols):
        column = np.empty(size, dtype=np.float64)
        column[new_order[:, k]] = np.take(sub[:, k], order[:, k])
        out[:, col] = column
    return out


# -- one block -------------------------------------------------------------------------------


def _uniforms(rng: np.random.Generator, size: int, d: int, method: Method) -> NDArray[np.float64]:
    u = np.empty((size, d), dtype=np.float64)
    for j in range(d):
        if method == "mc":
            u[:, j] = rng.random(size)
        else:  # Latin hypercube: stratum perm[i] of size, jittered uniformly within it
            perm = rng.permutation(size)
            col = (perm + rng.random(size)) / size
            u[:, j] = np.minimum(col, np.nextafter((perm + 1.0) / size, 0.0))
    return np.maximum(u, _TINY)


def _block_values(
    names: tuple[str, ...],
    dists: tuple[Distribution, ...],
    root: np.random.SeedSequence,
    block: int,
    size: int,
    method: Method,
    corr: _RankCorrelation | None,
) -> Draws:
    rng = block_rng(root, SAMPLING_STREAM, block)
    u = _uniforms(rng, size, len(names), method)
    if corr is not None:
        u = _iman_conover(u, corr)
    return {
        name: np.asarray(dist.ppf(u[:, j]), dtype=np.float64)
        for j, (name, dist) in enumerate(zip(names, dists, strict=True))
    }


def _check_method(method: object) -> Method:
    if method not in get_args(Method):
        raise SimulationError(f"unknown sampling method {method!r}; expected 'mc' or 'lhs'")
    return method  # type: ignore[return-value]


def _check_count(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise SimulationError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_params(
    params: Mapping[str, Distribution],
) -> tuple[tuple[str, ...], tuple[Distribution, ...]]:
    for name, dist in params.items():
        if not isinstance(name, str) or not isinstance(dist, Distribution):
            raise ScenarioError(
                "a sampled parameter must be a Distribution keyed by its field path",
                field=str(name),
                value=dist,
                expected="a burdenshare.scenario.Distribution",
            )
    return tuple(params), tuple(params.values())


def sample_block(
    params: Mapping[str, Distribution],
    *,
    seed: np.random.SeedSequence | int,
    block: int,
    size: int,
    method: Method = "mc",
    correlations: Mapping[tuple[str, str], float] | None = None,
) -> Draws:
    """The draws of one block of ``size`` sessions: one array of ``size`` values per parameter.

    ``"mc"``: independent uniforms mapped through each distribution's ``ppf``. ``"lhs"``: Latin
    hypercube sampling (McKay, Beckman & Conover 1979): for each parameter, a random
    permutation of the ``size`` strata ``[k/size, (k+1)/size)`` plus a uniform jitter within
    each, so every stratum holds exactly one probability. ``correlations`` maps pairs of
    parameter names to target rank correlations, imposed on the uniforms by the method of Iman &
    Conover (1982) before ``ppf``; as in their paper, the target is applied to van der Waerden
    scores, so the Spearman correlation achieved is close to, and for large blocks slightly
    below, the target (about 0.68 for 0.7). See the module docstring for the generator used.

    >>> d = {"x": Distribution(kind="uniform", params=(0.0, 1.0))}
    >>> x = sample_block(d, seed=0, block=0, size=4, method="lhs")["x"]
    >>> sorted(np.floor(x * 4).astype(int).tolist())
    [0, 1, 2, 3]
    """
    names, dists = _check_params(params)
    corr = _rank_correlation(names, _normalise_correlations(correlations))
    return _block_values(
        names,
        dists,
        _root(seed),
        _check_count("block", block, 0),
        _check_count("size", size, 0),
        _check_method(method),
        corr,
    )


# -- the ensemble plan -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SamplePlan:
    """How an ``n``-session ensemble draws its uncertain parameters (immutable).

    Build one with :meth:`create`; :meth:`draw` then returns any range of sessions, and
    :meth:`block_bounds` / :meth:`blocks` tell which blocks a range needs (each block can be
    generated independently, for instance by a different worker). Two plans are equal when they
    would draw the same numbers.

    >>> plan = SamplePlan.create({"x": Distribution(kind="uniform", params=(0.0, 1.0))}, 10,
    ...                          seed=1, block_size=4)
    >>> plan.block_length, plan.n_blocks, plan.block_bounds(2), list(plan.blocks(3, 9))
    (4, 3, (8, 10), [0, 1, 2])
    """

    params: tuple[tuple[str, Distribution], ...]
    n: int
    seed: np.random.SeedSequence
    method: Method = "mc"
    block_size: int = DEFAULT_BLOCK_SIZE
    #: target rank correlations as ``(a, b, rho)`` with ``a < b``, sorted
    correlations: tuple[tuple[str, str, float], ...] = field(default=())

    def __post_init__(self) -> None:
        _check_params(dict(self.params))
        if len({name for name, _ in self.params}) != len(self.params):
            raise ScenarioError("a parameter is listed twice", field="params")
        _check_count("n", self.n, 0)
        _check_count("block_size", self.block_size, 1)
        _check_method(self.method)
        if not isinstance(self.seed, np.random.SeedSequence):
            raise SimulationError(f"seed must be a numpy SeedSequence, got {self.seed!r}")
        object.__setattr__(self, "correlations", _normalise_correlations(self.correlations))
        _ = self._rank_correlation  # validate now

    @classmethod
    def create(
        cls,
        params: Mapping[str, Distribution],
        n: int,
        *,
        seed: np.random.SeedSequence | int,
        method: Method = "mc",
        block_size: int = DEFAULT_BLOCK_SIZE,
        correlations: Mapping[tuple[str, str], float] | None = None,
    ) -> SamplePlan:
        """A plan for ``n`` sessions of ``params`` (parameters drawn in mapping order)."""
        return cls(
            params=tuple(params.items()),
            n=n,
            seed=_root(seed),
            method=method,
            block_size=block_size,
            correlations=_normalise_correlations(correlations),
        )

    @property
    def _key(self) -> tuple[Any, ...]:
        entropy: Any = self.seed.entropy
        if not isinstance(entropy, int):  # a sequence of ints
            entropy = tuple(int(e) for e in np.atleast_1d(np.asarray(entropy)))
        seed_key = (entropy, tuple(self.seed.spawn_key), self.seed.pool_size)
        return (self.params, self.n, seed_key, self.method, self.block_size, self.correlations)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SamplePlan) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    @cached_property
    def _rank_correlation(self) -> _RankCorrelation | None:
        return _rank_correlation(tuple(name for name, _ in self.params), self.correlations)

    @property
    def names(self) -> tuple[str, ...]:
        """The parameter names, in drawing order."""
        return tuple(name for name, _ in self.params)

    @property
    def block_length(self) -> int:
        """``B = min(block_size, n)`` (at least 1): the sessions in every block but the last."""
        return max(1, min(self.block_size, self.n))

    @property
    def n_blocks(self) -> int:
        """How many blocks cover the ``n`` sessions."""
        return -(-self.n // self.block_length)

    def block_bounds(self, block: int) -> tuple[int, int]:
        """The sessions ``[lo, hi)`` that ``block`` covers."""
        b = _check_count("block", block, 0)
        if b >= self.n_blocks:
            raise SimulationError(f"block {b} is out of range: the plan has {self.n_blocks}")
        lo = b * self.block_length
        return lo, min(lo + self.block_length, self.n)

    def blocks(self, start: int = 0, stop: int | None = None) -> range:
        """The blocks that cover sessions ``[start, stop)``."""
        lo, hi = self._range(start, stop)
        if lo == hi:
            return range(0)
        return range(lo // self.block_length, (hi - 1) // self.block_length + 1)

    def _range(self, start: int, stop: int | None) -> tuple[int, int]:
        lo = _check_count("start", start, 0)
        hi = self.n if stop is None else _check_count("stop", stop, 0)
        if not lo <= hi <= self.n:
            raise SimulationError(
                f"sessions [{lo}, {hi}) are not within the ensemble's [0, {self.n}): "
                "need 0 <= start <= stop <= n"
            )
        return lo, hi

    def sample_block(self, block: int) -> Draws:
        """All the draws of one block (see :func:`sample_block`)."""
        lo, hi = self.block_bounds(block)
        names = self.names
        dists = tuple(dist for _, dist in self.params)
        return _block_values(
            names, dists, self.seed, block, hi - lo, self.method, self._rank_correlation
        )

    def draw(self, start: int = 0, stop: int | None = None) -> Draws:
        """The draws for sessions ``[start, stop)`` (``stop`` defaults to ``n``).

        The covering blocks are generated whole and sliced, so the values of a session never
        depend on the range asked for.
        """
        lo, hi = self._range(start, stop)
        pieces: dict[str, list[NDArray[np.float64]]] = {name: [] for name in self.names}
        for b in self.blocks(lo, hi):
            b_lo, b_hi = self.block_bounds(b)
            values = self.sample_block(b)
            cut = slice(max(lo, b_lo) - b_lo, min(hi, b_hi) - b_lo)
            for name in self.names:
                pieces[name].append(values[name][cut])
        return {
            name: np.concatenate(parts) if parts else np.empty(0, dtype=np.float64)
            for name, parts in pieces.items()
        }


def draw(
    params: Mapping[str, Distribution],
    n: int,
    *,
    seed: np.random.SeedSequence | int,
    method: Method = "mc",
    start: int = 0,
    stop: int | None = None,
    block_size: int = DEFAULT_BLOCK_SIZE,
    correlations: Mapping[tuple[str, str], float] | None = None,
) -> Draws:
    """The draws for sessions ``[start, stop)`` of an ``n``-session ensemble.

    Returns one float64 array of ``stop - start`` values per parameter, in the order of
    ``params``. Any chunking of ``[0, n)`` gives, concatenated, exactly the values of one full
    draw (the blocks are described in the module docstring). ``method`` is ``"mc"`` or
    ``"lhs"`` (McKay, Beckman & Conover 1979; stratified within each block); ``correlations``
    are target rank correlations (Iman & Conover 1982).

    >>> d = {"r": Distribution(kind="triangular", params=(1.0, 2.0, 4.0))}
    >>> a = draw(d, 5, seed=0)["r"]
    >>> a.shape, bool(np.array_equal(a, draw(d, 5, seed=0)["r"]))
    ((5,), True)
    """
    plan = SamplePlan.create(
        params, n, seed=seed, method=method, block_size=block_size, correlations=correlations
    )
    return plan.draw(start, stop)


def session_overrides(draws: Mapping[str, NDArray[np.float64]], i: int) -> dict[str, float]:
    """The override mapping for one session: ``{field path: value}`` at position ``i`` of
    ``draws`` (position ``i`` of a draw that began at session ``start`` is session
    ``start + i``). Pass it to :func:`burdenshare.preferences.build.party_parameters`.

    >>> d = {"parties.US.discount_per_round": Distribution(kind="uniform", params=(0.9, 1.0))}
    >>> ov = session_overrides(draw(d, 3, seed=0), 2)
    >>> list(ov), 0.9 <= ov["parties.US.discount_per_round"] < 1.0
    (['parties.US.discount_per_round'], True)
    """
    if isinstance(i, bool) or not isinstance(i, int | np.integer):
        raise SimulationError(f"session index must be an integer, got {i!r}")
    out: dict[str, float] = {}
    for name, values in draws.items():
        if not 0 <= i < len(values):
            raise IndexError(f"session {i} is outside the {len(values)} draws of {name!r}")
        out[name] = float(values[i])
    return out

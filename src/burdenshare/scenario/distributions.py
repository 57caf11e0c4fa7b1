"""Uncertain numbers: a scenario value may be a plain number or a distribution.

A distribution is written as a one-key mapping, for example ``{triangular: [1300, 1500, 4700]}``.
Until sampling is used, every model works with the distribution's *central value*, its mean
(documented in docs/reference/scenario.md). ``ppf`` maps a probability to a value, which is
what plain Monte Carlo and Latin hypercube sampling need.
"""

from __future__ import annotations

import functools
import math
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from burdenshare.scenario.units import FieldError

__all__ = [
    "DISTRIBUTION_KINDS",
    "Distribution",
    "Uncertain",
    "central",
    "is_uncertain",
    "parse_uncertain",
]

DistributionKind = Literal["uniform", "triangular", "normal", "truncated_normal", "beta", "choice"]

#: the distribution names a scenario may use, with the parameters each takes
DISTRIBUTION_KINDS: dict[str, str] = {
    "uniform": "[low, high]",
    "triangular": "[low, mode, high]",
    "normal": "[mean, sd]",
    "truncated_normal": "[mean, sd, low, high]",
    "beta": "[a, b] or [a, b, low, high] (a beta on [low, high], default [0, 1])",
    "choice": "[v1, v2, ...] or {values: [...], weights: [...]}",
}


class Distribution(BaseModel):
    """A distribution over one numeric parameter.

    >>> d = Distribution(kind="triangular", params=(1300.0, 1500.0, 4700.0))
    >>> d.central()
    2500.0
    >>> d.support()
    (1300.0, 4700.0)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: DistributionKind
    params: tuple[float, ...]
    weights: tuple[float, ...] | None = None

    @model_validator(mode="after")
    def _check(self) -> Distribution:
        p = self.params
        if not all(math.isfinite(v) for v in p):
            raise ValueError(f"{self.kind} parameters must be finite numbers, got {list(p)}")
        arity = {
            "uniform": (2,),
            "triangular": (3,),
            "normal": (2,),
            "truncated_normal": (4,),
            "beta": (2, 4),
        }
        if self.kind in arity and len(p) not in arity[self.kind]:
            raise ValueError(
                f"{self.kind} takes {DISTRIBUTION_KINDS[self.kind]}, got {len(p)} numbers"
            )
        if self.kind == "uniform" and not p[0] < p[1]:
            raise ValueError(f"uniform range is empty: low {p[0]} must be below high {p[1]}")
        if self.kind == "triangular" and not (p[0] <= p[1] <= p[2] and p[0] < p[2]):
            raise ValueError(f"triangular needs low <= mode <= high with low < high, got {list(p)}")
        if self.kind in ("normal", "truncated_normal") and not p[1] > 0:
            raise ValueError(f"{self.kind} needs a positive sd, got {p[1]}")
        if self.kind == "truncated_normal" and not p[2] < p[3]:
            raise ValueError(
                f"truncated_normal range is empty: low {p[2]} must be below high {p[3]}"
            )
        if self.kind == "beta":
            if not (p[0] > 0 and p[1] > 0):
                raise ValueError(f"beta needs positive shape parameters a, b, got {p[0]}, {p[1]}")
            if len(p) == 4 and not p[2] < p[3]:
                raise ValueError(f"beta range is empty: low {p[2]} must be below high {p[3]}")
        if self.kind == "choice":
            if len(p) < 1:
                raise ValueError("choice needs at least one value")
            if self.weights is not None:
                w = self.weights
                if len(w) != len(p):
                    raise ValueError(f"choice has {len(p)} values but {len(w)} weights")
                if any(x < 0 or not math.isfinite(x) for x in w) or sum(w) <= 0:
                    raise ValueError(
                        f"choice weights must be non-negative with a positive sum, got {list(w)}"
                    )
        elif self.weights is not None:
            raise ValueError(f"weights apply only to choice, not {self.kind}")
        if self.kind != "choice":
            with np.errstate(all="ignore"):
                mean = float(self._frozen().mean())
                lo, hi = self.support()
            if not (math.isfinite(mean) and lo <= mean <= hi):
                raise ValueError(
                    f"{self.kind} {list(p)} has no usable mean (numerically degenerate parameters)"
                )
        return self

    def _frozen(self) -> Any:
        from scipy import stats  # imported here: scipy.stats costs a second at start-up

        p = self.params
        if self.kind == "uniform":
            return stats.uniform(loc=p[0], scale=p[1] - p[0])
        if self.kind == "triangular":
            return stats.triang(c=(p[1] - p[0]) / (p[2] - p[0]), loc=p[0], scale=p[2] - p[0])
        if self.kind == "normal":
            return stats.norm(loc=p[0], scale=p[1])
        if self.kind == "truncated_normal":
            a, b = (p[2] - p[0]) / p[1], (p[3] - p[0]) / p[1]
            return stats.truncnorm(a, b, loc=p[0], scale=p[1])
        if self.kind == "beta":
            lo, hi = (p[2], p[3]) if len(p) == 4 else (0.0, 1.0)
            return stats.beta(p[0], p[1], loc=lo, scale=hi - lo)
        raise AssertionError(self.kind)  # pragma: no cover - choice handled by callers

    def _choice_probs(self) -> npt.NDArray[np.float64]:
        w = np.asarray(self.weights if self.weights is not None else [1.0] * len(self.params))
        return np.asarray(w / w.sum(), dtype=np.float64)

    def central(self) -> float:
        """The central value used wherever a single number is needed: the mean.

        Computed once per distinct distribution (:func:`_mean`): a session-by-session ensemble
        asks for it thousands of times, and building a frozen scipy distribution each time took
        most of its time.
        """
        return _mean(self.kind, tuple(self.params), self.weights)

    def support(self) -> tuple[float, float]:
        """The smallest interval holding all the probability (may be infinite for ``normal``)."""
        if self.kind == "choice":
            return (min(self.params), max(self.params))
        with np.errstate(all="ignore"):
            lo, hi = self._frozen().support()
        return (float(lo), float(hi))

    def ppf(self, q: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Inverse CDF at probabilities ``q`` in [0, 1) (for Monte Carlo and Latin hypercube)."""
        qa = np.asarray(q, dtype=np.float64)
        if self.kind == "choice":
            values = np.asarray(self.params, dtype=np.float64)
            order = np.argsort(values, kind="stable")  # an inverse CDF needs sorted values
            cdf = np.cumsum(self._choice_probs()[order])
            idx = np.minimum(np.searchsorted(cdf, qa, side="right"), len(values) - 1)
            return np.asarray(values[order][idx], dtype=np.float64)
        return np.asarray(self._frozen().ppf(qa), dtype=np.float64)

    def to_yaml(self) -> dict[str, Any]:
        """The one-key mapping that writes this distribution in a scenario file."""
        if self.kind == "choice" and self.weights is not None:
            return {"choice": {"values": list(self.params), "weights": list(self.weights)}}
        return {self.kind: list(self.params)}


@functools.lru_cache(maxsize=4096)
def _mean(kind: str, params: tuple[float, ...], weights: tuple[float, ...] | None) -> float:
    """The mean of a distribution, by its kind and parameters (memoised; exactly what the
    distribution's own computation gives, so results do not change)."""
    dist = Distribution(kind=kind, params=params, weights=weights)
    if kind == "choice":
        return float(np.dot(dist._choice_probs(), np.asarray(params)))
    with np.errstate(all="ignore"):
        return float(dist._frozen().mean())


def _number(value: Any) -> float | None:
    """``value`` as a float if it is a (non-boolean) number, else None; huge ints become inf."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _numbers(args: Any) -> list[float] | None:
    if not isinstance(args, list | tuple):
        return None
    out = [_number(a) for a in args]
    return None if any(v is None for v in out) else [float(v) for v in out if v is not None]


def _parse(value: Any) -> Any:
    """Turn the YAML forms of an uncertain number into a float or a :class:`Distribution`."""
    if isinstance(value, Distribution):
        return value
    number = _number(value)
    if number is not None:
        if not math.isfinite(number):
            raise FieldError(
                "not a finite number", value=value, expected="a finite number or a distribution"
            )
        return number
    if isinstance(value, dict):
        if len(value) != 1:
            raise FieldError(
                "a distribution is a mapping with exactly one key naming it",
                value=value,
                expected=f"one of {', '.join(DISTRIBUTION_KINDS)}",
            )
        ((kind, args),) = value.items()
        if kind not in DISTRIBUTION_KINDS:
            raise FieldError(
                f"unknown distribution {kind!r}",
                value=value,
                expected=f"one of {', '.join(DISTRIBUTION_KINDS)}",
            )
        weights: Any = None
        if kind == "choice" and isinstance(args, dict):
            extra = set(args) - {"values", "weights"}
            if extra or "values" not in args:
                raise FieldError(
                    "choice written as a mapping takes the keys 'values' and 'weights'",
                    value=value,
                    expected="{choice: {values: [...], weights: [...]}}",
                )
            weights, args = args.get("weights"), args["values"]
        params = _numbers(args)
        if params is None:
            raise FieldError(
                f"{kind} takes a list of numbers",
                value=value,
                expected=f"{{{kind}: {DISTRIBUTION_KINDS[kind]}}}",
            )
        wts = None if weights is None else _numbers(weights)
        if weights is not None and wts is None:
            raise FieldError(
                "choice weights must be a list of numbers", value=weights, expected="[w1, w2, ...]"
            )
        try:
            return Distribution(
                kind=kind, params=tuple(params), weights=None if wts is None else tuple(wts)
            )
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            msg = str(err["msg"]).removeprefix("Value error, ")
            raise FieldError(
                msg, value=value, expected=f"{{{kind}: {DISTRIBUTION_KINDS[kind]}}}"
            ) from None
    raise FieldError(
        "not a number or a distribution",
        value=value,
        expected="a number or a distribution such as {uniform: [low, high]}",
    )


#: a number, or a distribution over numbers
Uncertain = Annotated[float | Distribution, BeforeValidator(_parse)]
#: the YAML forms of an uncertain number as a float or a :class:`Distribution` (raises
#: :class:`~burdenshare.scenario.units.FieldError`), for fields that take other forms too
parse_uncertain = _parse


def central(value: float | Distribution) -> float:
    """The central value of an uncertain number (the number itself, or the distribution's mean).

    >>> central(3.0), central(Distribution(kind="uniform", params=(0.0, 1.0)))
    (3.0, 0.5)
    """
    return value.central() if isinstance(value, Distribution) else float(value)


def is_uncertain(value: object) -> bool:
    """True if ``value`` is a distribution rather than a fixed number."""
    return isinstance(value, Distribution)

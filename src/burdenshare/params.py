"""scikit-learn's parameter conventions, shared by negotiators and forecasters.

``__init__`` takes keyword parameters and stores each under the same attribute name, nothing
else; :meth:`Parametrised.get_params`, :meth:`~Parametrised.clone` and ``repr`` then follow from
the signature (scikit-learn's ``BaseEstimator``, doc/developers/develop.rst).

>>> class Model(Parametrised):
...     def __init__(self, alpha: float = 0.5) -> None:
...         self.alpha = alpha
>>> Model(0.2), Model(0.2).clone().get_params()
(Model(alpha=0.2), {'alpha': 0.2})
"""

from __future__ import annotations

import contextlib
import inspect
import weakref
from collections.abc import Callable
from typing import Any, Self

__all__ = ["Parametrised"]

#: ``param_names`` by ``__init__`` function: a signature costs tens of microseconds and ``repr``
#: is asked for once per session of an ensemble (weak keys: classes made on the fly go away)
_NAMES: weakref.WeakKeyDictionary[Callable[..., None], tuple[str, ...]] = (
    weakref.WeakKeyDictionary()
)


class Parametrised:
    """Mixin: parameters read from ``__init__``'s signature (see the module docstring)."""

    @classmethod
    def param_names(cls) -> tuple[str, ...]:
        """The keyword parameters of ``__init__``."""
        init = cls.__init__
        try:
            return _NAMES[init]
        except (KeyError, TypeError):  # TypeError: a built-in ``__init__`` takes no weak reference
            pass
        sig = inspect.signature(init)
        names = tuple(
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )
        with contextlib.suppress(TypeError):
            _NAMES[init] = names
        return names

    def get_params(self) -> dict[str, Any]:
        """Parameters as passed to ``__init__``."""
        return {n: getattr(self, n) for n in self.param_names()}

    def clone(self) -> Self:
        """A fresh instance with the same parameters (and none of the fitted or session state)."""
        return type(self)(**self.get_params())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

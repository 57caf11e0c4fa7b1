"""The rule-state dynamic programme behind :func:`~.rectangle_frontier.rectangle_frontier`
(private; the algorithm and why it is exact are in that module's docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from burdenshare.solutions.additive_frontier import merge_and_prune

if TYPE_CHECKING:
    from burdenshare.solutions.rectangle_frontier import Bound, HyperRectangle

__all__ = ["Programme", "Result"]

#: candidate states expanded at a time (bounds temporary memory to some 100 MB)
_CHUNK = 1 << 20
_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class _Layer:
    """One issue's step: its value classes and the rules that finish there."""

    issue: int
    reps: NDArray[np.intp]  # first value of each class
    sizes: NDArray[np.int64]  # values per class
    masks: NDArray[np.uint64]  # (classes, words): ones except the issue's rules' membership
    add1: NDArray[np.int64]  # additive entries of each class
    add2: NDArray[np.int64]
    finish: tuple[tuple[int, int, int, int], ...]  # (word, bit, w1, w2) of rules ending here
    finish_clear: NDArray[np.uint64]  # (words,) mask clearing the finished rules
    open_after: tuple[tuple[int, int, int, int], ...]  # open rules after this layer (word, bit..)
    rest_hi: tuple[int, int]  # bound terms of unstarted rules and remaining additive entries
    rest_lo: tuple[int, int]


@dataclass(frozen=True)
class Result:
    """Final states of a programme, with back-pointers to rebuild outcomes."""

    a: NDArray[np.int64]
    b: NDArray[np.int64]
    counts: NDArray[np.int64]
    layers: tuple[_Layer, ...]
    pointers: tuple[tuple[NDArray[np.intp], NDArray[np.intp]], ...]
    n_issues: int
    classes_per_issue: tuple[int, ...]
    n_states: int

    def outcomes(self, nodes: NDArray[np.intp]) -> NDArray[np.intp]:
        """Representative outcomes (value indices) of the given final states."""
        out = np.zeros((nodes.size, self.n_issues), dtype=np.intp)
        node = np.asarray(nodes, dtype=np.intp)
        for layer, (parent, cls) in zip(
            reversed(self.layers), reversed(self.pointers), strict=True
        ):
            out[:, layer.issue] = layer.reps[cls[node]]
            node = parent[node]
        return out


class Programme:
    """The rule-state dynamic programme of the module docstring.

    ``rules`` holds ``(rule, g1, g2)``: the quantised utility ``g1`` (``g2``) the rule adds to
    objective 1 (2). The frontier uses each party's rules on its own objective; a minimum uses
    one party's negated rules on objective 1 or 2 and nothing on the other.
    """

    def __init__(self, dims: tuple[int, ...], rules: Sequence[tuple[HyperRectangle, int, int]]):
        self.dims = dims
        const = [0, 0]
        add = [[np.zeros(m, dtype=np.int64) for m in dims] for _ in range(2)]
        merged: dict[tuple[Bound, ...], list[int]] = {}
        for rule, g1, g2 in rules:
            bounds = tuple(
                sorted((i, lo, hi) for i, lo, hi in rule.bounds if hi - lo + 1 < dims[i])
            )
            if not bounds:
                const[0] += g1
                const[1] += g2
            elif len(bounds) == 1:
                i, lo, hi = bounds[0]
                add[0][i][lo : hi + 1] += g1
                add[1][i][lo : hi + 1] += g2
            else:
                acc = merged.setdefault(bounds, [0, 0])
                acc[0] += g1
                acc[1] += g2
        self.const = (const[0], const[1])
        self.add = add
        self.rules = [(bounds, g[0], g[1]) for bounds, g in merged.items() if g != [0, 0]]
        self.order = self._issue_order()
        self.layers = self._layers()

    # -- planning ---------------------------------------------------------------------------

    def _issue_order(self) -> list[int]:
        """Greedy order keeping few open rules: next issue = fewest open rules after it.

        Ties go to the issue that finishes more rules, then to fewer values, then lower index.
        """
        n = len(self.dims)
        touching = [{i for i, _, _ in bounds} for bounds, _, _ in self.rules]
        done: set[int] = set()
        order: list[int] = []
        while len(order) < n:
            best: tuple[int, int, int, int] | None = None
            for j in range(n):
                if j in done:
                    continue
                after = done | {j}
                n_open = sum(1 for t in touching if t & after and not t <= after)
                n_done = sum(1 for t in touching if t <= after and j in t)
                key = (n_open, -n_done, self.dims[j], j)
                if best is None or key < best:
                    best = key
            assert best is not None
            order.append(best[3])
            done.add(best[3])
        return order

    def _layers(self) -> tuple[_Layer, ...]:
        n_rules = len(self.rules)
        words = max(1, (n_rules + 63) // 64)
        position = {j: k for k, j in enumerate(self.order)}
        first = [min(position[i] for i, _, _ in b) for b, _, _ in self.rules]
        last = [max(position[i] for i, _, _ in b) for b, _, _ in self.rules]
        add_hi = [[int(self.add[p][j].max()) for j in self.order] for p in range(2)]
        add_lo = [[int(self.add[p][j].min()) for j in self.order] for p in range(2)]
        layers = []
        for k, j in enumerate(self.order):
            m = self.dims[j]
            local = [r for r, (b, _, _) in enumerate(self.rules) if any(i == j for i, _, _ in b)]
            member = np.zeros((m, len(local)), dtype=np.int64)
            for c, r in enumerate(local):
                for i, lo, hi in self.rules[r][0]:
                    if i == j:
                        member[lo : hi + 1, c] = 1
            signature = np.column_stack([member, self.add[0][j], self.add[1][j]])
            _, reps, sizes = np.unique(signature, axis=0, return_index=True, return_counts=True)
            by_rep = np.argsort(reps, kind="stable")  # classes in order of first value
            reps, sizes = reps[by_rep], sizes[by_rep]
            masks = np.empty((reps.size, words), dtype=np.uint64)
            masks[:] = np.iinfo(np.uint64).max
            for c, v in enumerate(reps):
                for col, r in enumerate(local):
                    if not member[v, col]:
                        masks[c, r // 64] &= ~np.uint64(1 << (r % 64))
            finish = tuple(
                (r // 64, r % 64, self.rules[r][1], self.rules[r][2])
                for r in range(n_rules)
                if last[r] == k
            )
            clear = np.empty(words, dtype=np.uint64)
            clear[:] = np.iinfo(np.uint64).max
            for word, bit, _, _ in finish:
                clear[word] &= ~np.uint64(1 << bit)
            open_after = tuple(
                (r // 64, r % 64, self.rules[r][1], self.rules[r][2])
                for r in range(n_rules)
                if first[r] <= k < last[r]
            )
            unstarted = [self.rules[r] for r in range(n_rules) if first[r] > k]
            rest_hi = (
                sum(max(g1, 0) for _, g1, _ in unstarted) + sum(add_hi[0][k + 1 :]),
                sum(max(g2, 0) for _, _, g2 in unstarted) + sum(add_hi[1][k + 1 :]),
            )
            rest_lo = (
                sum(min(g1, 0) for _, g1, _ in unstarted) + sum(add_lo[0][k + 1 :]),
                sum(min(g2, 0) for _, _, g2 in unstarted) + sum(add_lo[1][k + 1 :]),
            )
            layers.append(
                _Layer(
                    issue=j,
                    reps=reps.astype(np.intp),
                    sizes=sizes.astype(np.int64),
                    masks=masks,
                    add1=self.add[0][j][reps],
                    add2=self.add[1][j][reps],
                    finish=finish,
                    finish_clear=clear,
                    open_after=open_after,
                    rest_hi=rest_hi,
                    rest_lo=rest_lo,
                )
            )
        return tuple(layers)

    # -- running ----------------------------------------------------------------------------

    def run(self) -> Result:
        words = self.layers[0].masks.shape[1]
        mask = np.full((1, words), np.iinfo(np.uint64).max, dtype=np.uint64)
        a = np.array([self.const[0]], dtype=np.int64)
        b = np.array([self.const[1]], dtype=np.int64)
        counts = np.ones(1, dtype=np.int64)
        inc_a, inc_b = _EMPTY, _EMPTY  # incumbent corners: non-dominated lower bounds
        pointers: list[tuple[NDArray[np.intp], NDArray[np.intp]]] = []
        n_states = 0
        for layer in self.layers:
            k = layer.reps.size
            n_states += a.size * k
            step = max(1, _CHUNK // k)
            parts: list[_States] = []
            for start in range(0, a.size, step):
                stop = min(a.size, start + step)
                part = self._extend(
                    layer, mask[start:stop], a[start:stop], b[start:stop], counts[start:stop], start
                )
                part = _bound_prune(layer, part, inc_a, inc_b)
                parts.append(_group_prune(*part))
            cat = parts[0] if len(parts) == 1 else _group_prune(*_concat(parts))
            lo_a, lo_b, _, _ = _box(layer, cat[0], cat[1], cat[2])
            inc_a, inc_b, _, _ = merge_and_prune(
                np.concatenate([inc_a, lo_a]),
                np.concatenate([inc_b, lo_b]),
                np.ones(inc_a.size + lo_a.size, dtype=np.int64),
            )
            mask, a, b, counts, src = _bound_prune(layer, cat, inc_a, inc_b)
            pointers.append(((src // k).astype(np.intp), (src % k).astype(np.intp)))
        return Result(
            a=a,
            b=b,
            counts=counts,
            layers=self.layers,
            pointers=tuple(pointers),
            n_issues=len(self.dims),
            classes_per_issue=tuple(
                int(lay.reps.size) for lay in sorted(self.layers, key=lambda x: x.issue)
            ),
            n_states=n_states,
        )

    @staticmethod
    def _extend(
        layer: _Layer,
        mask: NDArray[np.uint64],
        a: NDArray[np.int64],
        b: NDArray[np.int64],
        counts: NDArray[np.int64],
        offset: int,
    ) -> _States:
        """Every state of the chunk extended by every class of the layer's issue."""
        k = layer.reps.size
        n = a.size
        new_mask = (mask[:, None, :] & layer.masks[None, :, :]).reshape(n * k, -1)
        new_a = (a[:, None] + layer.add1[None, :]).ravel()
        new_b = (b[:, None] + layer.add2[None, :]).ravel()
        for word, bit, g1, g2 in layer.finish:
            alive = ((new_mask[:, word] >> np.uint64(bit)) & np.uint64(1)).astype(np.int64)
            if g1:
                new_a += g1 * alive
            if g2:
                new_b += g2 * alive
        if layer.finish:
            new_mask &= layer.finish_clear[None, :]
        new_counts = (counts[:, None] * layer.sizes[None, :]).ravel()
        src = np.arange(offset * k, (offset + n) * k, dtype=np.int64)
        return new_mask, new_a, new_b, new_counts, src


_States = tuple[
    NDArray[np.uint64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]
]


def _concat(parts: Sequence[_States]) -> _States:
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        np.concatenate([p[3] for p in parts]),
        np.concatenate([p[4] for p in parts]),
    )


def _box(
    layer: _Layer, mask: NDArray[np.uint64], a: NDArray[np.int64], b: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """``(lo_a, lo_b, hi_a, hi_b)``: bounds on every completion of each state."""
    lo_a, lo_b = a + layer.rest_lo[0], b + layer.rest_lo[1]
    hi_a, hi_b = a + layer.rest_hi[0], b + layer.rest_hi[1]
    for word, bit, g1, g2 in layer.open_after:
        alive = ((mask[:, word] >> np.uint64(bit)) & np.uint64(1)).astype(np.bool_)
        if g1 > 0:
            hi_a += np.where(alive, g1, 0)
        elif g1 < 0:
            lo_a += np.where(alive, g1, 0)
        if g2 > 0:
            hi_b += np.where(alive, g2, 0)
        elif g2 < 0:
            lo_b += np.where(alive, g2, 0)
    return lo_a, lo_b, hi_a, hi_b


def _bound_prune(
    layer: _Layer, states: _States, inc_a: NDArray[np.int64], inc_b: NDArray[np.int64]
) -> _States:
    """Drop states whose upper corner is ``<=`` and ``!=`` an incumbent corner.

    ``inc_a, inc_b`` is a staircase from ``merge_and_prune`` (``a`` descending, so ``b``
    ascending); the incumbents with ``a >= hi_a`` are a prefix, whose last has the largest ``b``.
    """
    if inc_a.size == 0 or states[1].size == 0:
        return states
    mask, a, b = states[0], states[1], states[2]
    _, _, hi_a, hi_b = _box(layer, mask, a, b)
    # number of incumbents with a >= hi_a (inc_a is descending)
    n_ge = inc_a.size - np.searchsorted(inc_a[::-1], hi_a, side="left")
    has = n_ge > 0
    best = np.maximum(n_ge - 1, 0)
    la, lb = inc_a[best], inc_b[best]
    dominated = has & (lb >= hi_b) & ((la != hi_a) | (lb != hi_b))
    if not dominated.any():
        return states
    keep = ~dominated
    return (states[0][keep], states[1][keep], states[2][keep], states[3][keep], states[4][keep])


def _group_prune(
    mask: NDArray[np.uint64],
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    counts: NDArray[np.int64],
    src: NDArray[np.int64],
) -> _States:
    """Merge equal ``(mask, a, b)`` (adding counts, keeping the first ``src``) and keep, within
    each mask, the non-dominated distinct vectors; ordered by mask, then ``a`` descending."""
    n = a.size
    if n == 0:
        return mask, a, b, counts, src
    keys = [-b, -a] + [mask[:, w] for w in range(mask.shape[1] - 1, -1, -1)]
    order = np.lexsort(keys)  # mask asc, a desc, b desc; stable, so first src first
    sm, sa, sb = mask[order], a[order], b[order]
    new_mask = np.empty(n, dtype=np.bool_)
    new_mask[0] = True
    new_mask[1:] = np.any(sm[1:] != sm[:-1], axis=1)
    start = new_mask.copy()
    start[1:] |= (sa[1:] != sa[:-1]) | (sb[1:] != sb[:-1])
    starts = np.flatnonzero(start)
    group_counts = np.add.reduceat(counts[order], starts)
    um, ua, ub, first = sm[starts], sa[starts], sb[starts], order[starts]
    gid = np.cumsum(new_mask[starts]) - 1
    # within a mask group (a descending), a vector survives iff its b beats every earlier b of
    # the group: rank b densely and offset by group so a running maximum restarts per group
    _, rank = np.unique(ub, return_inverse=True)
    key = gid.astype(np.int64) * (ub.size + 1) + rank.reshape(-1).astype(np.int64)
    earlier = np.empty(key.size, dtype=np.int64)
    earlier[0] = -1
    earlier[1:] = np.maximum.accumulate(key)[:-1]
    keep = key > earlier
    return um[keep], ua[keep], ub[keep], group_counts[keep], src[first[keep]]

"""Faster constructors for frozen, slotted dataclasses, for the parsers that make many of them:
a frozen dataclass's __init__ sets each field through object.__setattr__ (about 3x the time of
the slots' own setters). Apart from refactor.syntax.nodes so that refactor.syntax.buildkit (which
nodes imports) can use them too."""
from __future__ import annotations

import dataclasses


def slot_setters(cls, names: tuple[str, ...]) -> tuple:
    """The slots' own setters, for parsers that make many nodes of a frozen dataclass: its
    __init__ sets each field through object.__setattr__ (about 3x the time)."""
    assert tuple(f.name for f in dataclasses.fields(cls)) == names, cls  # the fields, in order
    # a subclass without fields of its own (Comment) uses its base's slots
    return tuple(next(c.__dict__[n] for c in cls.__mro__ if n in c.__dict__).__set__ for n in names)


def node_maker(cls, names: tuple[str, ...], memo: bool = False):
    """`cls(*values)` for a frozen dataclass node whose fields are `names` (then a fresh `_memo`
    dict with `memo`), made faster for the parsers: __init__ sets each field through
    object.__setattr__, and a file is mostly pieces, lines, words and instructions."""
    setters = slot_setters(cls, (*names, "_memo") if memo else names)
    new = object.__new__
    if len(names) == 2 and not memo:
        first, second = setters

        def make2(a, b):
            node = new(cls)
            first(node, a)
            second(node, b)
            return node

        return make2
    if len(names) == 3 and not memo:
        first, second, third = setters

        def make3_plain(a, b, c):
            node = new(cls)
            first(node, a)
            second(node, b)
            third(node, c)
            return node

        return make3_plain
    if len(names) == 4 and not memo:
        first, second, third, fourth = setters

        def make4(a, b, c, d):
            node = new(cls)
            first(node, a)
            second(node, b)
            third(node, c)
            fourth(node, d)
            return node

        return make4
    if len(names) == 3 and memo:
        first, second, third, set_memo = setters

        def make3(a, b, c):
            node = new(cls)
            first(node, a)
            second(node, b)
            third(node, c)
            set_memo(node, {})
            return node

        return make3

    def make(*values):
        node = new(cls)
        for setter, value in zip(setters, (*values, {}) if memo else values):
            setter(node, value)
        return node

    return make

"""Python values decoded from the fuzzer's bytes, hostile ones among them.

`Decoder(data, lib).value()` turns bytes into a value: boundary integers and floats, text
with lone surrogates, bytes, containers nested a few deep, subclasses of the builtins, and
lying objects: an __index__ / __float__ / __len__ / __getitem__ / __iter__ / __hash__ /
__eq__ that raises, returns the wrong type or mutates the container it sits in. The same
bytes always decode to the same value, so the fuzzer builds one value for the native module
and an identical, separate one for the reference (a mutation of one must not reach the other).
`lib` gives the classes a value may be an instance of (fuzz_ext's or reference's Point, Color).
"""

import collections.abc

import atheris


class Lie(Exception):
    """What a lying special method raises."""


_INTS = (0, 1, -1, 2, 127, 128, 255, 256, -128, -129, 32767, 32768, 65535, 65536, -32768, -32769,
         2**31 - 1, 2**31, 2**32 - 1, 2**32, -2**31, -2**31 - 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64,
         -2**63, -2**63 - 1, 2**100, -2**1000, 10**400)
_FLOATS = (0.0, -0.0, 1.5, -2.5, float("nan"), float("inf"), float("-inf"), 3.4028234663852886e38,
           3.4028235677973366e38, 3.5e38, 1e-45, 1e300, -1e308, 5e-324, 2.0**63, 2.0**64)
_TEXTS = ("", "a", "é", "\u20ac", "\U0001f600", "\ud800", "\udfff", "a\0b", "\x7f", "\x80", "ab",
          "\uffff", "RED")


# --- the lying objects ----------------------------------------------------------------------
# `mode` picks the lie; `target` is the container the object sits in (for "mutate").


def _mutate(target):
    if isinstance(target, list):
        target.clear() if target else target.append(0)
    elif isinstance(target, dict):
        target.popitem() if target else target.update({"new": 1})
    elif isinstance(target, set):
        target.pop() if target else target.add(-1)


class _Liar:
    def __init__(self, mode, value, target=None):
        self.mode, self.value, self.target = mode, value, target

    def lie(self):
        if self.mode == "raise":
            raise Lie(type(self).__name__)
        if self.mode == "mutate":
            _mutate(self.target)
        if self.mode == "wrong":
            return "wrong type"
        return self.value

    def __repr__(self):
        return f"{type(self).__name__}({self.mode}, {self.value!r})"

    def __hash__(self):
        # Not by identity: both copies of a set must iterate in the same order.
        plain = self.value if isinstance(self.value, (int, float, str)) else None
        return hash((type(self).__name__, self.mode, plain))


class Index(_Liar):
    def __index__(self):
        return self.lie()


class Float(_Liar):
    def __float__(self):
        return self.lie()


class IntOnly(_Liar):
    def __int__(self):
        return self.lie()


class HashEq(_Liar):
    """Hashable by identity until asked: then __hash__ and __eq__ lie."""

    def __hash__(self):
        if self.mode == "raise":
            raise Lie("hash")
        return 7

    def __eq__(self, other):
        self.lie()
        return False


class Seq(_Liar):
    """A sequence (not a list) of `value`, whose __len__ / __getitem__ may lie."""

    def __len__(self):
        if self.mode == "raise_len":
            raise Lie("len")
        return len(self.value) + (5 if self.mode == "long" else 0)

    def __getitem__(self, i):
        if self.mode == "raise" and i == len(self.value) // 2:
            raise Lie("getitem")
        if self.mode == "mutate":
            _mutate(self.target)
        return self.value[i]


class Iterable(_Liar):
    """Iterable only (no __len__, no __getitem__), its iterator may raise midway."""

    def __iter__(self):
        for i, item in enumerate(self.value):
            if self.mode == "raise" and i == len(self.value) // 2:
                raise Lie("iter")
            yield item


class Mapping(collections.abc.Mapping):
    """A mapping that is not a dict; with mode "bad_items" its items() gives non-pairs."""

    def __init__(self, mode, value):
        self.mode, self.value = mode, value

    def __repr__(self):
        return f"Mapping({self.mode}, {self.value!r})"

    def __getitem__(self, key):
        return self.value[key]

    def __iter__(self):
        return iter(self.value)

    def __len__(self):
        return len(self.value)

    def items(self):
        if self.mode == "bad_items":
            return [(k,) for k in self.value]
        if self.mode == "raise":
            raise Lie("items")
        return list(self.value.items())


class StrSub(str):
    pass


class IntSub(int):
    pass


class FloatSub(float):
    pass


class ListSub(list):
    pass


class DictSub(dict):
    pass


_MODES = ("plain", "raise", "wrong", "mutate")


class Decoder:
    def __init__(self, data, lib):
        self.fdp = atheris.FuzzedDataProvider(data)
        self.lib = lib
        self.containers = []  # the containers being built, innermost last

    def pick(self, options):
        return options[self.fdp.ConsumeIntInRange(0, len(options) - 1)]

    def number(self, n):
        return self.fdp.ConsumeIntInRange(0, n)

    def integer(self):
        if self.fdp.ConsumeBool():
            return self.pick(_INTS) + self.fdp.ConsumeIntInRange(-2, 2)
        return self.fdp.ConsumeInt(self.number(9))

    def floating(self):
        return self.pick(_FLOATS) if self.fdp.ConsumeBool() else self.fdp.ConsumeRegularFloat()

    def text(self):
        if self.fdp.ConsumeBool():
            return self.pick(_TEXTS)
        return self.fdp.ConsumeUnicode(self.number(8))

    def liar(self, cls, value):
        mode = self.pick(_MODES)
        target = self.containers[-1] if self.containers else None
        return cls(mode, value, target)

    def items(self, depth):
        return [self.value(depth + 1) for _ in range(self.number(4))]

    def container(self, make, depth):
        """A list, dict or set that items built inside it may mutate."""
        out = make()
        self.containers.append(out)
        try:
            for _ in range(self.number(4)):
                if isinstance(out, list):
                    out.append(self.value(depth + 1))
                else:
                    key = self.key(depth + 1)
                    try:
                        if isinstance(out, dict):
                            out[key] = self.value(depth + 1)
                        else:
                            out.add(key)
                    except Lie:  # a key whose __hash__ lies cannot go in at all
                        pass
        finally:
            self.containers.pop()
        return out

    def key(self, depth):
        kind = self.number(6)
        if kind == 0:
            return self.text()
        if kind == 1:
            return self.integer()
        if kind == 2:
            return self.liar(Index, self.integer())
        if kind == 3:
            return self.liar(HashEq, self.integer())
        if kind == 4:
            return tuple(self.key(depth + 1) for _ in range(self.number(2)))
        if kind == 5:
            return StrSub(self.text())
        return self.floating()

    def value(self, depth=0):
        if self.fdp.remaining_bytes() == 0:
            return None
        leaf = depth >= 3
        kind = self.number(9 if leaf else 24)
        if kind == 0:
            return self.integer()
        if kind == 1:
            return self.floating()
        if kind == 2:
            return self.text()
        if kind == 3:
            return self.fdp.ConsumeBytes(self.number(6))
        if kind == 4:
            return self.pick((None, True, False, 1j, complex("nan+1j"), NotImplemented))
        if kind == 5:
            return self.liar(Index, self.integer() if self.fdp.ConsumeBool() else self.floating())
        if kind == 6:
            return self.liar(Float, self.floating())
        if kind == 7:
            return self.liar(IntOnly, self.integer())
        if kind == 8:
            cls, make = self.pick(((IntSub, self.integer), (FloatSub, self.floating), (StrSub, self.text)))
            return cls(make())
        if kind == 9:
            return self.pick((self.lib.Color.RED, self.lib.Color.GREEN, self.lib.Color.BLUE))
        # containers
        if kind in (10, 11, 12):
            return self.container(list, depth)
        if kind == 13:
            return tuple(self.items(depth))
        if kind == 14:
            return self.container(dict, depth)
        if kind == 15:
            return self.container(set, depth)
        if kind == 16:
            return bytearray(self.fdp.ConsumeBytes(self.number(6)))
        if kind == 17:
            return Seq(self.pick(("plain", "raise", "raise_len", "long", "mutate")), self.items(depth),
                       self.containers[-1] if self.containers else None)
        if kind == 18:
            return Iterable(self.pick(("plain", "raise")), self.items(depth))
        if kind == 19:
            return iter(self.items(depth))
        if kind == 20:
            return Mapping(self.pick(("plain", "bad_items", "raise")), self.container(dict, depth))
        if kind == 21:
            return self.subclassed(depth)
        if kind == 22:
            return self.lib.Point(self.floating(), self.floating())
        if kind == 23:
            return self.buffer()
        return range(self.number(3), self.number(6))

    def subclassed(self, depth):
        """A list or dict subclass, or a frozenset (of keys: its items must hash)."""
        shape = self.number(2)
        if shape == 0:
            return ListSub(self.items(depth))
        if shape == 1:
            return DictSub(self.container(dict, depth))
        keys = [self.key(depth + 1) for _ in range(self.number(4))]
        try:
            return frozenset(keys)
        except Lie:
            return frozenset()

    def buffer(self):
        import array
        code = self.pick(tuple("bBhHiIlLqQfd"))
        data = array.array(code, [self.number(100) for _ in range(self.number(6))])
        view = memoryview(data)
        shape = self.number(3)
        if shape == 1:
            return view[::2]
        if shape == 2 and len(data) % 2 == 0 and len(data):
            return view.cast("B").cast(code, [2, len(data) // 2])
        return data if shape == 0 else bytes(view)

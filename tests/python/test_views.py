"""Parameters that view objects inside their argument (containers of std::string_view or
of Borrowed<T>): the call keeps every viewed item alive until it returns, even when only a
temporary held it (a generator's items, the list made of a non-list sequence, a list that
a later item's __index__ empties, a mapping's items()). Each function fills freed memory
with other text before it reads its views, so a view of a freed str reads wrong here
even on a release build (and is a use after free under ASan or valgrind)."""

import gc
import sys

import pytest

import views_ext as v

DEBUG = hasattr(sys, "gettotalrefcount")


def text(i):
    # fresh strs, long enough to live in pymalloc blocks that the functions' churn reuses
    return "x" * 64 + str(i)


class Seq:
    """A sequence that is not a list: every item is a new object, held by nobody else."""

    def __init__(self, n, make=text):
        self.n, self.make = n, make

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return self.make(i)


class Items:
    """A mapping (not a dict) whose items() gives new strs each time."""

    def __init__(self, n):
        self.n = n

    def __getitem__(self, key):
        raise KeyError(key)

    def __len__(self):
        return self.n

    def __iter__(self):
        return (text(i) for i in range(self.n))

    def keys(self):
        return list(self)

    def items(self):
        return [(text(i), text(i + 100)) for i in range(self.n)]


import collections.abc  # noqa: E402

collections.abc.Mapping.register(Items)


class Emptying:
    """An int whose __index__ empties the list it is in, freeing the list's other items."""

    def __init__(self, target, value=7):
        self.target, self.value = target, value

    def __index__(self):
        self.target.clear()
        return self.value


def expected(n, offset=0):
    return [text(i + offset) for i in range(n)]


def test_vector_of_views_from_a_sequence():
    assert v.vector(Seq(50)) == expected(50)


def test_vector_of_views_from_a_list_and_a_tuple():
    assert v.vector(expected(5)) == expected(5)
    assert v.vector(tuple(expected(5))) == expected(5)


def test_set_of_views_from_a_generator():
    assert v.set(text(i) for i in range(50)) == sorted(expected(50))


def test_map_of_views_from_a_mapping():
    assert v.map(Items(30)) == {text(i): text(i + 100) for i in range(30)}


def test_map_of_views_from_a_dict():
    assert v.map({text(i): text(i + 100) for i in range(5)}) == {text(i): text(i + 100) for i in range(5)}


def test_unordered_map_keys_from_a_mapping():
    items = Items(20)
    items.items = lambda: [(text(i), i) for i in range(20)]
    assert v.unordered_map_keys(items) == set(expected(20))


def test_pair_of_a_view_from_a_list_that_its_int_empties():
    arg = []
    arg.extend([text(1), Emptying(arg)])
    assert v.pair(arg) == (text(1), 7)
    assert arg == []


def test_tuple_of_a_view_from_a_list_that_its_int_empties():
    arg = []
    arg.extend([Emptying(arg, 3), text(2)])
    assert v.tuple(arg) == text(2)


def test_array_of_views_from_a_sequence():
    assert v.array(Seq(3)) == expected(3)


def test_nested_vectors_of_views():
    assert v.nested([Seq(4), Seq(3)]) == [expected(4), expected(3)]
    assert v.nested(Seq(3, make=lambda i: Seq(i + 1))) == [expected(1), expected(2), expected(3)]


def test_optional_items():
    assert v.optional_items(Seq(4, make=lambda i: None if i % 2 else text(i))) == [text(0), "None", text(2), "None"]


def test_variant_items():
    assert v.variant_items(Seq(4, make=lambda i: i if i % 2 else text(i))) == [text(0), "1", text(2), "3"]


def test_optional_vector():
    assert v.optional_vector(Seq(6)) == expected(6)
    assert v.optional_vector(None) == []


class Marker:
    def __init__(self, i):
        self.i = i


def test_borrowed_items_stay_alive():
    out = v.borrowed(Seq(40, make=Marker))
    assert [type(o) for o in out] == [Marker] * 40
    assert [o.i for o in out] == list(range(40))


def test_views_with_another_parameter():
    assert v.with_count(Seq(10), 3) == expected(10) + ["3"]


def test_overloads_each_keep_their_items():
    # the first overload converts the items, then its int does not match: the second
    # converts them again and runs
    assert v.overloaded(Seq(10), "tag") == expected(10) + ["tag"]
    assert v.overloaded(Seq(10), 4) == "two"


def test_a_failed_item_leaves_one_error_and_no_reference():
    held = text(0)
    before = sys.getrefcount(held)
    with pytest.raises(TypeError, match=r"^vector\(\) argument 'v' must be list\[str\], not list$"):
        v.vector([held, 1])
    assert sys.getrefcount(held) == before


CALLS = 500

CASES = [
    ("vector", lambda items: v.vector(Seq(len(items), items.__getitem__))),
    ("set", lambda items: v.set(iter(items))),
    ("map", lambda items: v.map(dict(zip(items, items)))),
    ("pair", lambda items: v.pair([items[0], 5])),
    ("nested", lambda items: v.nested([items, Seq(len(items), items.__getitem__)])),
    ("borrowed", lambda items: v.borrowed(Seq(len(items), items.__getitem__))),
    ("overloaded", lambda items: v.overloaded(Seq(len(items), items.__getitem__), "t")),
    ("failed", lambda items: pytest.raises(TypeError, v.vector, items + [None])),
]


@pytest.mark.thread_unsafe
@pytest.mark.parametrize("call", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_kept_items_are_released(call):
    items = expected(8)
    call(items)  # warm-up
    gc.collect()
    before = [sys.getrefcount(s) for s in items]
    total = sys.gettotalrefcount() if DEBUG else 0
    for _ in range(CALLS):
        call(items)
    gc.collect()
    if DEBUG:
        delta = sys.gettotalrefcount() - total
        assert abs(delta) <= 10, f"total refcount changed by {delta} over {CALLS} calls"
    assert [sys.getrefcount(s) for s in items] == before


def test_plain_view_parameter():
    assert v.view(text(3)) == text(3)

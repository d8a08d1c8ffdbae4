"""Garbage collection of bound classes (classes_gc_ext).

Node names its Python-holding members with `.traverse(&Node::value, &Node::next,
&Node::items, &Node::on_drop)`; Pair defines `void traverse(py::Visitor&) const` and
`void clear()`, which pyowned detects. A reference cycle through two C++ objects must be
collected by gc.collect() (the C++ destructors run, weak references die); gc.get_referents
shows the members; an object reached after tp_clear broke its cycle has empty members, and
using an emptied py::Py raises ValueError, never crashes; a constructor that throws leaves
nothing behind.

To reach an object after tp_clear: each class calls its `on_drop` callback from its C++
destructor with the object its `next`/`other` member points to. In a two-object cycle the
collector clears one object first; that drops the other, whose destructor hands the
cleared (still alive: the collector holds it during tp_clear) object to the callback, which
keeps it.
"""

import gc
import sys
import sysconfig
import weakref

import pytest
from repeats import repeats

import classes_gc_ext as g

# Construction/destruction counters and reference counts are per process.
pytestmark = pytest.mark.thread_unsafe

DEBUG = hasattr(sys, "gettotalrefcount")
CALLS = 10**4

PLAIN_PY_BUG = (
    "classes_gc_ext could not name the plain `py::Py<py::Any> value` member in "
    ".traverse(): pyowned's MemberTraversal::clear (class/gc.h) resets members with "
    "std::exchange(member, {}), which does not compile for py::Py (no default constructor)"
)


def fresh():
    return ["payload", object()]  # a new object each time, tracked by its own refcount


def collect():
    gc.collect()
    gc.collect()


class Counter:
    """(constructed, destroyed) of a class, relative to a baseline."""

    def __init__(self, counts):
        self.counts = counts
        collect()
        self.start = counts()

    def delta(self):
        now = self.counts()
        return (now[0] - self.start[0], now[1] - self.start[1])


def cleared_survivor(cls, link):
    """A two-object cycle of `cls` linked by `link(a, b)`; returns the object the collector
    cleared first, kept alive by the other's on_drop callback, and the collector's count."""
    kept = []

    def on_drop(obj):
        kept.append(obj)

    a, b = cls(fresh()), cls(fresh())
    link(a, b)
    link(b, a)
    a.set_on_drop(on_drop)
    b.set_on_drop(on_drop)
    del a, b
    found = gc.collect()
    assert len(kept) == 1, kept
    return kept.pop(), found


# --- the classes take part in garbage collection ---------------------------------------------------


def test_instances_are_tracked():
    assert gc.is_tracked(g.Node(1))
    assert gc.is_tracked(g.Pair(1))


def test_plain_py_member_can_be_traversed():
    # .traverse(&Node::value) for a `py::Py<py::Any> value` member (the design's first example
    # of a traversable member) must compile.
    assert g.PLAIN_PY_MEMBER_TRAVERSABLE, PLAIN_PY_BUG


# --- cycles are collected ----------------------------------------------------------------------------


def link_property(a, b):
    a.next = b


def link_method(a, b):
    a.set_next(b)


def link_items(a, b):
    a.add_item(b)


def link_value(a, b):
    a.set_value(b)


@pytest.mark.parametrize(
    "link", [link_property, link_method, link_items], ids=["next property", "set_next", "items"]
)
def test_two_node_cycle_is_collected(link):
    counter = Counter(g.node_counts)
    a, b = g.Node(fresh()), g.Node(fresh())
    link(a, b)
    link(b, a)
    wa, wb = weakref.ref(a), weakref.ref(b)
    del a, b
    assert wa() is not None  # only the cycle keeps them
    collected = gc.collect()
    assert collected >= 2
    assert wa() is None and wb() is None
    assert counter.delta() == (2, 2)


def test_two_node_cycle_through_plain_py_member_is_collected():
    counter = Counter(g.node_counts)
    a, b = g.Node(fresh()), g.Node(fresh())
    link_value(a, b)
    link_value(b, a)
    wa = weakref.ref(a)
    del a, b
    gc.collect()
    assert wa() is None, PLAIN_PY_BUG
    assert counter.delta() == (2, 2)


def test_self_cycle_is_collected():
    counter = Counter(g.node_counts)
    a = g.Node(fresh())
    a.next = a
    wa = weakref.ref(a)
    del a
    gc.collect()
    assert wa() is None
    assert counter.delta() == (1, 1)


def test_cycle_through_a_python_container_is_collected():
    counter = Counter(g.node_counts)
    a = g.Node(fresh())
    box = {"node": a}
    a.add_item(box)
    wa = weakref.ref(a)
    del a, box
    gc.collect()
    assert wa() is None
    assert counter.delta() == (1, 1)


def test_long_ring_is_collected():
    counter = Counter(g.node_counts)
    nodes = [g.Node(i) for i in range(100)]
    for here, there in zip(nodes, nodes[1:] + nodes[:1]):
        here.next = there
    refs = [weakref.ref(n) for n in nodes]
    del nodes, here, there
    gc.collect()
    assert all(r() is None for r in refs)
    assert counter.delta() == (100, 100)


def test_python_subclass_cycle_is_collected():
    class Sub(g.Node):
        pass

    counter = Counter(g.node_counts)
    a = Sub(fresh())
    a.me = a  # through the subclass's __dict__
    b = Sub(fresh())
    b.next = b  # through the C++ member
    wa, wb = weakref.ref(a), weakref.ref(b)
    del a, b
    gc.collect()
    assert wa() is None and wb() is None
    assert counter.delta() == (2, 2)


def test_pair_cycle_is_collected():
    counter = Counter(g.pair_counts)
    a, b = g.Pair(fresh()), g.Pair(fresh())
    a.other = b
    b.other = a
    wa, wb = weakref.ref(a), weakref.ref(b)
    del a, b
    gc.collect()
    assert wa() is None and wb() is None
    assert counter.delta() == (2, 2)


def test_pair_cycle_through_plain_py_member_is_collected():
    counter = Counter(g.pair_counts)
    a, b = g.Pair(None), g.Pair(None)
    a.set_ref(b)
    b.set_ref(a)
    wa = weakref.ref(a)
    del a, b
    gc.collect()
    assert wa() is None
    assert counter.delta() == (2, 2)


def test_unreachable_node_without_cycle_is_freed_at_once():
    counter = Counter(g.node_counts)
    a = g.Node(fresh())
    a.next = g.Node(fresh())
    del a
    assert counter.delta() == (2, 2)  # no collection needed


def test_weakref_callback_runs_when_the_cycle_is_collected():
    called = []
    a, b = g.Node(1), g.Node(2)
    a.next, b.next = b, a
    w = weakref.ref(a, lambda ref: called.append(ref))
    del a, b
    gc.collect()
    assert called == [w]


def test_many_cycles_balance_references_and_counts():
    value = fresh()
    before = sys.getrefcount(value)
    counter = Counter(g.node_counts)
    for _ in range(CALLS // 10):
        a, b = g.Node(value), g.Node(value)
        a.next, b.next = b, a
        a.add_item(value)
        del a, b
    collect()
    assert counter.delta() == (CALLS // 10 * 2, CALLS // 10 * 2)
    assert sys.getrefcount(value) == before


# --- gc.get_referents shows the members --------------------------------------------------------------


def test_referents_show_next_and_items():
    other, item1, item2 = g.Node(0), fresh(), fresh()
    a = g.Node(fresh())
    a.next = other
    a.add_item(item1)
    a.add_item(item2)
    refs = gc.get_referents(a)
    assert any(r is other for r in refs)
    assert any(r is item1 for r in refs)
    assert any(r is item2 for r in refs)
    assert any(r is g.Node for r in refs)  # instances of heap types hold their type


def test_referents_show_on_drop_callback():
    def callback(obj):
        pass

    a = g.Node(0)
    a.set_on_drop(callback)
    assert any(r is callback for r in gc.get_referents(a))


def test_referents_show_plain_py_member():
    value = fresh()
    a = g.Node(value)
    assert any(r is value for r in gc.get_referents(a)), PLAIN_PY_BUG


def test_referents_of_pair():
    ref, other = fresh(), fresh()
    p = g.Pair(ref)
    p.other = other
    refs = gc.get_referents(p)
    assert any(r is ref for r in refs)
    assert any(r is other for r in refs)


def test_referents_empty_of_members_during_exclusive_borrow():
    # tp_traverse visits nothing while a mutation holds the object
    a = g.Node(0)
    item = fresh()
    a.add_item(item)
    during = a.mutate_with(lambda: gc.get_referents(a))
    assert not any(r is item for r in during)
    assert any(r is item for r in gc.get_referents(a))  # and visits them again after


def test_collection_during_exclusive_borrow_leaves_the_object_intact():
    a = g.Node(0)
    a.next = a  # a self-cycle, but `a` is referenced here too
    assert a.mutate_with(lambda: gc.collect()) >= 0
    assert a.next is a
    assert a.item_count() == 1
    a.next = None


# --- an object reached after tp_clear broke its cycle ------------------------------------------------
# A GIL build's collector clears one object of a cycle and frees the rest as their counts reach
# zero, so a destructor can hand the cleared object back to Python; the free-threaded collector
# (3.13t) clears every object of the garbage before freeing any, so none comes back.
survivor_test = pytest.mark.skipif(
    bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    reason="the free-threaded collector clears the whole cycle before freeing: no object survives it",
)


@survivor_test
def test_node_after_clear_has_empty_members():
    counter = Counter(g.node_counts)
    survivor, found = cleared_survivor(g.Node, link_property)
    assert found >= 2
    assert survivor.next is None
    assert survivor.get_next() is None
    assert survivor.next_value() is None
    assert survivor.items() == []
    assert survivor.item_count() == 0
    assert counter.delta() == (2, 1)  # the other one is gone
    del survivor
    assert counter.delta() == (2, 2)


@survivor_test
def test_node_after_clear_plain_py_raises_value_error():
    survivor, _ = cleared_survivor(g.Node, link_property)
    try:
        assert survivor.value_is_empty(), PLAIN_PY_BUG
        with pytest.raises(ValueError, match="empty"):
            survivor.get_value()
    finally:
        del survivor


@survivor_test
def test_node_after_clear_is_usable_again():
    survivor, _ = cleared_survivor(g.Node, link_method)
    survivor.set_value(7)
    assert survivor.get_value() == 7
    survivor.next = g.Node(8)
    assert survivor.next_value() == 8
    survivor.add_item("x")
    assert survivor.items() == ["x"]


@survivor_test
def test_node_after_clear_through_items():
    survivor, _ = cleared_survivor(g.Node, link_items)
    # the cycle went through items; `next` was never set
    assert survivor.item_count() == 0
    assert survivor.next is None


@survivor_test
def test_pair_after_clear_raises_value_error():
    counter = Counter(g.pair_counts)

    def link(a, b):
        a.other = b

    survivor, _ = cleared_survivor(g.Pair, link)
    assert survivor.ref_is_empty()
    with pytest.raises(ValueError, match=r"py::Py is empty"):
        survivor.get_ref()
    assert survivor.other is None
    # not broken: a new reference can be stored and used
    survivor.set_ref("again")
    assert survivor.get_ref() == "again"
    assert counter.delta() == (2, 1)
    del survivor
    assert counter.delta() == (2, 2)


@survivor_test
def test_pair_after_clear_repeated():
    # many times, to catch a crash or a leak on this path
    counter = Counter(g.pair_counts)

    def link(a, b):
        a.other = b

    rounds = repeats(200)
    for _ in range(rounds):
        survivor, _ = cleared_survivor(g.Pair, link)
        with pytest.raises(ValueError):
            survivor.get_ref()
        del survivor
    assert counter.delta() == (2 * rounds, 2 * rounds)


# --- a constructor that throws leaves nothing behind -------------------------------------------------


def test_throwing_constructor_leaves_nothing_behind():
    value = fresh()
    before = sys.getrefcount(value)
    total = sys.gettotalrefcount() if DEBUG else 0
    counter = Counter(g.node_counts)
    for _ in range(CALLS):
        try:
            g.Node(value, True)
        except RuntimeError as e:
            assert "construction failed" in str(e)
        else:
            raise AssertionError("Node(value, True) did not raise")
    collect()
    assert counter.delta() == (0, 0)  # never constructed, so never destroyed
    assert sys.getrefcount(value) == before
    if DEBUG:
        assert abs(sys.gettotalrefcount() - total) < 50


def test_throwing_constructor_of_python_subclass():
    class Sub(g.Node):
        def __init__(self, value):
            super().__init__(value, True)

    value = fresh()
    before = sys.getrefcount(value)
    counter = Counter(g.node_counts)
    for _ in range(CALLS // 10):
        with pytest.raises(RuntimeError, match="construction failed"):
            Sub(value)
    collect()
    assert counter.delta() == (0, 0)
    assert sys.getrefcount(value) == before


def test_throwing_factory_leaves_nothing_behind():
    value = fresh()
    before = sys.getrefcount(value)
    counter = Counter(g.made_counts)
    for _ in range(CALLS):
        try:
            g.Made(value, True)
        except ValueError as e:
            assert "factory failed" in str(e)
        else:
            raise AssertionError("Made(value, True) did not raise")
    collect()
    # the factory made and destroyed its object; the instance kept nothing
    made, destroyed = counter.delta()
    assert made == destroyed == CALLS
    assert sys.getrefcount(value) == before
    ok = g.Made(value)
    assert ok.get_value() is value
    del ok
    assert sys.getrefcount(value) == before


def test_constructor_after_failures_still_works():
    for _ in range(10):
        with pytest.raises(RuntimeError):
            g.Node(1, True)
    n = g.Node(2)
    assert n.get_value() == 2


@pytest.mark.thread_unsafe  # counts references
def test_a_base_init_on_a_derived_instance_keeps_its_dict_and_weak_references():
    # Lean.__init__ makes a Lean inside a Rich: the instance still has Rich's dict and weak
    # reference list, which its deallocation clears (the object is the base's)
    r = g.Rich.__new__(g.Rich)
    g.Lean.__init__(r)
    token = object()
    r.extra = token
    w = weakref.ref(r)
    before = sys.getrefcount(token)
    del r
    gc.collect()
    assert w() is None
    assert sys.getrefcount(token) == before - 1

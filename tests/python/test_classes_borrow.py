"""Borrow rules of bound classes (classes_borrow_ext).

Counter has a borrow flag: a method holding `Counter&` that calls Python code which uses
the same object gets RuntimeError ("already mutably borrowed" / "already borrowed"),
never an aliased reference, and the flag is released afterwards. Frozen (py::frozen) and
Tally (py::unlocked) take no borrow: no such errors, and a `std::shared_ptr<T>` parameter
shares the instance (keeping the Python object alive while C++ holds it). Threads calling
a method of one shared Counter never lose an increment: on GIL builds the call holds the
GIL throughout, on free-threaded builds the object's critical section serializes them.
"""

import gc
import inspect
import sys
import sysconfig
import threading
import weakref

import pytest
from repeats import repeats

import classes_borrow_ext as b

FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
MUTABLY = "Counter is already mutably borrowed"
SHARED = "Counter is already borrowed"


def capture(fn, *args):
    """A callback that calls fn(*args) and returns the exception it raised (or None)."""

    def callback():
        try:
            fn(*args)
        except Exception as e:  # noqa: BLE001 - the test inspects it
            return e
        return None

    return callback


# --- reentrancy under an exclusive borrow ----------------------------------------------------------


def test_exclusive_method_reentered_by_const_method():
    c = b.Counter(10)
    with pytest.raises(RuntimeError, match=MUTABLY):
        c.mutate_with(lambda: c.get())
    # the flag was released: the object is usable again
    assert c.get() == 11  # mutate_with counted 1 before the callback raised
    c.increment()
    assert c.value == 12


def test_exclusive_method_reentered_by_exclusive_method():
    c = b.Counter()
    with pytest.raises(RuntimeError, match=SHARED):
        c.mutate_with(lambda: c.increment())
    c.increment()
    assert c.get() == 2


def test_exclusive_method_reentered_callback_catches():
    c = b.Counter()
    err = c.mutate_with(capture(c.get))
    assert type(err) is RuntimeError
    assert str(err) == MUTABLY
    assert c.get() == 2  # both halves of mutate_with ran


def test_exclusive_method_reentered_by_itself():
    c = b.Counter()
    inner = []

    def again():
        inner.append(capture(c.mutate_with, lambda: None)())

    c.mutate_with(again)
    assert type(inner[0]) is RuntimeError and str(inner[0]) == SHARED
    assert c.get() == 2


def test_field_getter_during_exclusive_borrow():
    c = b.Counter()
    err = c.mutate_with(capture(getattr, c, "value"))
    assert type(err) is RuntimeError and MUTABLY in str(err)
    err = c.mutate_with(capture(getattr, c, "doubled"))
    assert type(err) is RuntimeError and MUTABLY in str(err)


def test_field_setter_during_exclusive_borrow():
    c = b.Counter(5)
    err = c.mutate_with(capture(setattr, c, "value", 100))
    assert type(err) is RuntimeError
    assert SHARED in str(err)
    assert c.value == 7  # the setter wrote nothing
    c.value = 100  # and works again
    assert c.get() == 100


def test_field_setter_during_exclusive_borrow_propagates():
    c = b.Counter()

    def set_it():
        c.value = 3

    with pytest.raises(RuntimeError, match=SHARED):
        c.mutate_with(set_it)
    c.value = 3
    assert c.value == 3


def test_handle_borrows_during_exclusive_borrow():
    c = b.Counter()
    err = c.mutate_with(capture(b.peek, c))
    assert type(err) is RuntimeError and MUTABLY in str(err)
    err = c.mutate_with(capture(b.bump, c))
    assert type(err) is RuntimeError and SHARED in str(err)
    b.bump(c)
    assert b.peek(c) == 5  # two mutate_with calls counted 2 each, and one bump


def test_get_mut_guard_during_callback():
    c = b.Counter()
    err = b.bump_with(c, capture(c.get))
    assert type(err) is RuntimeError and MUTABLY in str(err)
    assert c.get() == 1


def test_other_instance_is_free_during_exclusive_borrow():
    c, d = b.Counter(), b.Counter()
    assert c.mutate_with(lambda: d.increment()) is None
    assert d.get() == 1 and c.get() == 2


# --- reentrancy under a shared borrow ------------------------------------------------------------


def test_const_method_reentered_by_exclusive_method():
    c = b.Counter(1)
    with pytest.raises(RuntimeError, match=SHARED):
        c.read_with(lambda: c.increment())
    c.increment()
    assert c.get() == 2


def test_const_method_reentered_by_setter():
    c = b.Counter(1)
    err = c.read_with(capture(setattr, c, "value", 9))
    assert type(err) is RuntimeError and SHARED in str(err)
    assert c.value == 1


def test_two_shared_borrows_are_fine():
    c = b.Counter(4)
    assert c.read_with(lambda: c.get()) == 4
    assert c.read_with(lambda: c.value) == 4
    assert c.read_with(lambda: c.read_with(lambda: c.doubled)) == 8
    assert c.read_with(lambda: b.peek(c)) == 4
    assert c.sum_with(c) == 8  # the same instance borrowed shared twice in one call


def test_same_instance_twice_in_one_call():
    c = b.Counter(3)
    with pytest.raises(RuntimeError, match=MUTABLY):
        c.add_from(c)  # self exclusive, other shared
    with pytest.raises(RuntimeError, match=SHARED):
        c.swap_with(c)  # both exclusive
    assert c.get() == 3
    d = b.Counter(4)
    c.add_from(d)
    c.swap_with(d)
    assert (c.get(), d.get()) == (4, 7)


def test_flag_released_after_many_failures():
    c = b.Counter()
    rounds = repeats(1000)
    for _ in range(rounds):
        with pytest.raises(RuntimeError):
            c.mutate_with(lambda: c.get())
    assert c.get() == rounds
    assert c.mutate_with(lambda: None) is None
    assert c.get() == rounds + 2


# --- py::frozen and py::unlocked: no borrow errors ---------------------------------------------------


def test_frozen_reentrancy_is_fine():
    f = b.Frozen(1.0, 2.0)
    assert f.read_with(lambda: f.sum()) == 3.0
    assert f.read_with(lambda: f.read_with(lambda: f.x)) == 1.0
    assert b.frozen_sum_via_py(f) == 3.0


def test_frozen_fields_are_read_only():
    f = b.Frozen(1.0, 2.0)
    with pytest.raises(AttributeError):
        f.x = 5.0


def test_unlocked_reentrancy_is_fine():
    t = b.Tally()
    assert t.mutate_with(lambda: t.get()) == 1
    assert t.mutate_with(lambda: t.mutate_with(lambda: t.add(10))) is None
    assert t.read_with(lambda: t.add(1)) is None
    assert t.get() == 14


@pytest.mark.thread_unsafe
def test_frozen_shared_ptr_keeps_the_instance_alive():
    f = b.Frozen(2.5, 4.0)
    w = weakref.ref(f)
    b.keep_frozen(f)
    del f
    gc.collect()
    assert w() is not None  # C++ holds it
    assert w().sum() == 6.5
    assert b.kept_frozen_sum() == 6.5
    b.release_frozen()
    assert w() is None
    assert b.kept_frozen_sum() == -1.0


def test_frozen_shared_ptr_parameters():
    f = b.Frozen(1.0, 1.0)
    before = sys.getrefcount(f)
    assert b.frozen_shared_sum(f, f) == 4.0
    assert sys.getrefcount(f) == before
    with pytest.raises(TypeError):
        b.frozen_shared_sum(f, b.Tally())


@pytest.mark.thread_unsafe
def test_unlocked_shared_ptr_keeps_the_instance_alive():
    t = b.Tally(5)
    w = weakref.ref(t)
    b.keep_tally(t)
    assert b.kept_tally_use_count() == 1
    del t
    gc.collect()
    assert w() is not None
    b.kept_tally_add(3)  # C++ uses it without a borrow
    assert w().get() == 8
    b.release_tally()
    assert w() is None


@pytest.mark.thread_unsafe
@pytest.mark.threads
def test_unlocked_shared_ptr_released_on_another_thread():
    t = b.Tally()
    w = weakref.ref(t)
    b.keep_tally(t)
    del t
    assert w() is not None
    b.release_tally_detached()  # the last shared_ptr dropped on a thread Python never saw
    gc.collect()
    assert w() is None


@pytest.mark.thread_unsafe
def test_shared_ptr_parameter_balances_references():
    t = b.Tally()
    before = sys.getrefcount(t)
    for _ in range(10**4):
        b.keep_tally(t)
        b.release_tally()
    assert sys.getrefcount(t) == before


# --- threads -----------------------------------------------------------------------------------------

THREADS = 8
CALLS = 10**5  # 8 threads x 10**5 calls of one object: the count must be exact


def run_threads(work):
    barrier = threading.Barrier(THREADS)
    errors = []

    def body():
        barrier.wait()
        try:
            work()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=body) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.thread_unsafe
@pytest.mark.threads
def test_threads_increment_one_counter_exactly():
    c = b.Counter()

    def work():
        inc = c.increment
        for _ in range(CALLS):
            inc()

    assert run_threads(work) == []
    assert c.get() == THREADS * CALLS


@pytest.mark.thread_unsafe
@pytest.mark.threads
def test_threads_add_and_read_one_counter():
    c = b.Counter()

    def work():
        for _ in range(CALLS // 10):
            c.add(2)
            assert c.get() % 2 == 0
            assert c.value % 2 == 0

    assert run_threads(work) == []
    assert c.get() == THREADS * CALLS // 10 * 2


@pytest.mark.thread_unsafe
@pytest.mark.threads
def test_threads_detached_increment_never_loses_silently():
    # increment_detached releases the GIL (and so suspends the critical section) while it
    # holds the exclusive borrow: another thread then meets the borrow and gets RuntimeError
    # instead of racing. Every call either counted or raised, on both builds.
    c = b.Counter()
    lock = threading.Lock()
    done = [0]
    refused = [0]

    def work():
        ok = failed = 0
        for _ in range(CALLS // 10):
            try:
                c.increment_detached()
                ok += 1
            except RuntimeError as e:
                assert "Counter is already" in str(e)
                failed += 1
        with lock:
            done[0] += ok
            refused[0] += failed

    assert run_threads(work) == []
    assert done[0] + refused[0] == THREADS * CALLS // 10
    assert c.get() == done[0]


@pytest.mark.thread_unsafe
@pytest.mark.threads
def test_threads_on_unlocked_tally():
    t = b.Tally()

    def work():
        for _ in range(CALLS):
            t.add(1)

    assert run_threads(work) == []
    assert t.get() == THREADS * CALLS


@pytest.mark.thread_unsafe
@pytest.mark.threads
def test_threads_read_frozen():
    f = b.Frozen(1.5, 2.5)

    def work():
        for _ in range(CALLS):
            assert f.sum() == 4.0

    assert run_threads(work) == []



# --- the fast lane and METH_O methods ------------------------------------------------------------
# A call whose arguments are all plain (an exact float, a compact int, True/False, an instance
# of the parameter's own class free to borrow) takes a lane without a stack frame; every other
# argument, and a queue of dropped references, sends it to the full path. Both must agree.


def test_positional_only_method_is_meth_o_with_cpython_checks():
    c = b.Counter(1)
    assert c.add_pos(2) is None and c.get() == 3
    assert str(inspect.signature(b.Counter.add_pos)) == "(self, k, /)"
    with pytest.raises(TypeError, match=r"add_pos\(\) takes no keyword arguments"):
        c.add_pos(k=1)
    with pytest.raises(TypeError, match=r"add_pos\(\) takes exactly one argument \(0 given\)"):
        c.add_pos()
    with pytest.raises(TypeError, match=r"add_pos\(\) takes exactly one argument \(2 given\)"):
        c.add_pos(1, 2)
    with pytest.raises(TypeError, match=r"Counter.add_pos\(\) argument 'k' must be int, not str"):
        c.add_pos("x")
    with pytest.raises(TypeError, match=r"descriptor 'add_pos' for '(classes_borrow_ext\.)?Counter' objects doesn't apply to a 'int' object"):
        b.Counter.add_pos(1, 2)
    assert c.get() == 3


def test_positional_only_with_default_is_not_meth_o():
    c = b.Counter()
    c.add_default()
    c.add_default(4)
    assert c.get() == 5
    with pytest.raises(TypeError, match="positional-only"):
        c.add_default(k=1)


def test_values_outside_the_fast_lane_convert_as_always():
    c = b.Counter()

    class Index:
        def __index__(self):
            return 5

    class MyInt(int):
        pass

    class MyFloat(float):
        pass

    c.add_pos(True)  # bool is an int
    c.add_pos(MyInt(2))
    c.add_pos(Index())
    c.add_pos(2**40)
    c.add_pos(-(2**40))
    assert c.get() == 8
    with pytest.raises(OverflowError):
        c.add_pos(2**70)
    assert c.scaled(2) == 16.0  # int where float is taken (the converting pass)
    assert c.scaled(MyFloat(0.5)) == 4.0
    assert c.scaled(float("nan")) != c.scaled(float("nan"))
    with pytest.raises(TypeError, match="must be float, not str"):
        c.scaled("2")
    assert c.is_positive() is True and b.Counter(-1).is_positive() is False
    assert c.get() == 8


def test_fast_lane_borrows_the_same_instance_as_the_full_path():
    c = b.Counter(3)
    with pytest.raises(RuntimeError, match=MUTABLY):
        c.add_from_pos(c)  # self exclusive, then the same object shared: both released
    c.add_from_pos(b.Counter(4))
    assert c.get() == 7

    class Sub(b.Counter):  # an instance of a subclass: the full path finds the C++ object
        pass

    s = Sub(5)
    s.add_pos(1)
    c.add_from_pos(s)
    s.add_from_pos(c)
    assert (c.get(), s.get()) == (13, 19)
    with pytest.raises(TypeError, match="Counter"):
        c.add_from_pos(None)


def test_fast_lane_exception_releases_the_borrow():
    c = b.Counter(2)
    for _ in range(100):
        with pytest.raises(ValueError, match="negative step"):
            c.add_checked(-1)
    c.add_checked(1)
    assert c.get() == 3


def test_fast_lane_balances_references():
    c, d, k, f = b.Counter(), b.Counter(), 1, 0.5
    before = [sys.getrefcount(o) for o in (c, d, k, f)]
    for _ in range(10**4):
        c.add_pos(k)
        c.add_from_pos(d)
        c.scaled(f)
        c.is_positive()
        c.add_checked(k)
    after = [sys.getrefcount(o) for o in (c, d, k, f)]
    assert after == before


@pytest.mark.thread_unsafe
def test_fast_lane_leaves_dropped_references_to_the_full_path():
    o = object()
    before = sys.getrefcount(o)
    b.hold_for_drop(o)
    b.drop_held_and_join()  # dropped while this thread stayed attached: queued
    assert b.pending_waiting()
    held = sys.getrefcount(o)
    assert held == before + 1
    c = b.Counter()
    assert c.get() == 0  # a call whose arguments fit the fast lane still drains the queue
    assert not b.pending_waiting()
    assert sys.getrefcount(o) == before


# Apple and Pear: methods and functions of the same shapes, whose entry points are shared
# (bound-class parameters erased): each definition calls its own callable and borrows an
# instance of its own class only.
def test_methods_of_one_shape_each_call_their_own():
    a, p = b.Apple(5), b.Pear(7)
    assert (a.get(), p.get()) == (6, 9)  # METH_NOARGS
    assert (a.add(2), p.add(k=2)) == (7, 5)  # METH_FASTCALL with keywords, exclusive borrows
    assert (a.n, p.n) == (7, 5)
    assert (a.plus(1), p.plus(1)) == (9, 8)  # METH_O
    assert (a.offset(), p.offset()) == (107, 205)  # capturing lambdas: method objects
    assert (a.own(), p.own()) == (10, 11)  # py::inline_call: entries of their own
    assert (len(a), len(p)) == (11, 13)  # the typed slots
    assert (a[3], p[3]) == (21, 30)
    assert ((a + a).n, (p + p).n) == (14, 25)
    assert (b.apple_n(a), b.pear_n(p), b.pair(a, p), b.pair_own(a, p)) == (7, 50, 7005, 7006)
    assert (b.maybe_pear(p), b.maybe_pear(None)) == (5, -1)


def test_a_shared_entry_takes_only_its_own_class():
    a, p = b.Apple(1), b.Pear(2)
    with pytest.raises(TypeError, match=r"^apple_n\(\) argument 'arg0' must be Apple, not .*Pear$"):
        b.apple_n(p)
    with pytest.raises(TypeError, match=r"^pear_n\(\) argument 'arg0' must be Pear, not .*Apple$"):
        b.pear_n(a)
    with pytest.raises(TypeError, match=r"^pair\(\) argument 'arg0' must be Apple, not .*Pear$"):
        b.pair(p, a)
    with pytest.raises(TypeError, match=r"^pair\(\) argument 'arg1' must be Pear, not .*Apple$"):
        b.pair(a, a)
    with pytest.raises(TypeError, match=r"^maybe_pear\(\) argument 'arg0' must be Pear, not .*Apple$"):
        b.maybe_pear(a)
    with pytest.raises(TypeError, match=r"descriptor 'get' for '.*Apple' objects doesn't apply to a '.*Pear' object"):
        b.Apple.get(p)
    with pytest.raises(TypeError, match=r"^Apple.offset\(\) argument 'self' must be Apple, not .*Pear$"):
        b.Apple.offset(p)
    with pytest.raises(TypeError, match=r"descriptor '__len__' for '.*Apple' objects doesn't apply"):
        b.Apple.__len__(p)
    with pytest.raises(TypeError, match="unsupported operand type"):
        a + p  # noqa: B018 - NotImplemented from both sides
    with pytest.raises(TypeError, match=r"^Apple.add\(\) argument 'k' must be int, not str$"):
        a.add("1")
    assert (a.n, p.n) == (1, 2)  # nothing was borrowed and kept


def test_a_shared_entry_takes_a_subclass_instance_by_the_full_path():
    class Seed(b.Apple):
        pass

    s = Seed(9)
    assert (s.get(), s.add(1), s.offset(), b.apple_n(s), len(s), s[2]) == (10, 10, 110, 10, 14, 20)
    assert b.pair(s, b.Pear(3)) == 10003


def assert_balanced(calls, failing, watched, total_refcount_stable):
    """Runs every call, and every failing one (TypeError), many times: the watched objects'
    reference counts, and the interpreter's total on a debug build, come back the same."""

    def run(n):
        for _ in range(n):
            for call in calls:
                call()
            for call in failing:
                try:
                    call()
                except TypeError:
                    pass

    run(10)
    before = [sys.getrefcount(o) for o in watched]
    run(10**3)
    assert [sys.getrefcount(o) for o in watched] == before
    total_refcount_stable(run)


# Apple's, Pear's and Quince's constructors share their erased signature's entries (their
# classes' calls are thunks giving each class's slot); Medlar's has its own (py::inline_call).
def test_constructors_of_one_shape_each_make_their_own_class():
    made = [b.Apple(5), b.Pear(n=7), b.Quince(3), b.Medlar(4), b.Apple(*[6])]
    assert [(type(o).__name__, o.n) for o in made] == [("Apple", 5), ("Pear", 7), ("Quince", 30), ("Medlar", 4), ("Apple", 6)]
    a = made[0]
    for cls in (b.Pear, b.Quince, b.Medlar):  # another class's instance is not its self
        with pytest.raises(TypeError, match=rf"^{cls.__name__}.__init__\(\) argument 'self' must be {cls.__name__}, not .*Apple$"):
            cls.__init__(a, 1)
    with pytest.raises(TypeError, match=r"Apple.__init__\(\) called on an instance that is already initialized$"):
        a.__init__(1)
    with pytest.raises(TypeError, match=r"^Apple.__init__\(\) argument 'n' must be int, not str$"):
        b.Apple("x")
    with pytest.raises(TypeError, match=r"^Medlar.__init__\(\) argument 'n' must be int, not float$"):
        b.Medlar(n=1.5)
    with pytest.raises(TypeError, match=r"^Pear.__init__\(\) missing 1 required positional argument: 'n'$"):
        b.Pear()
    assert a.n == 5

    class Seed(b.Pear):  # a subclass: tp_new and tp_init, the shared entry's full path
        pass

    assert (type(Seed(8)), Seed(8).n, Seed(n=2).n) == (Seed, 8, 2)


@pytest.mark.thread_unsafe  # the classes' reference counts are the whole process's
def test_shared_constructors_balance_references(total_refcount_stable):
    a, k = b.Apple(1), 12345678901
    made = [lambda: b.Apple(k), lambda: b.Pear(n=k), lambda: b.Quince(k), lambda: b.Medlar(k)]
    failing = [lambda: b.Apple("x"), lambda: b.Pear(), lambda: b.Pear.__init__(a, k), lambda: a.__init__(k),
               lambda: b.Quince(1.5), lambda: b.Medlar(k, k)]
    assert_balanced(made, failing, (a, k, b.Apple, b.Pear, b.Quince, b.Medlar), total_refcount_stable)


def test_an_over_aligned_class_takes_the_full_path_everywhere(total_refcount_stable):
    # its object's place depends on the instance's address: the shared entries' fast lane and
    # a field's inline path do not apply, and the full paths find it
    w = b.Wide(1.5)
    assert (w.v, w.twice(), w.aligned(), b.wide_v(w)) == (1.5, 3.0, True, 1.5)
    w.v = -2.25
    assert (w.v, w.twice(), b.wide_v(w)) == (-2.25, -4.5, -2.25)
    with pytest.raises(TypeError, match=r"^wide_v\(\) argument 'arg0' must be Wide, not .*Apple$"):
        b.wide_v(b.Apple(1))
    with pytest.raises(TypeError, match="must be float, not str"):
        w.v = "wide"

    def run(n):
        for _ in range(n):
            w.v = 0.5
            w.v
            w.twice()
            b.wide_v(w)

    run(10)
    before = sys.getrefcount(w)
    run(10**3)
    assert sys.getrefcount(w) == before
    total_refcount_stable(run)


@pytest.mark.thread_unsafe  # the classes' reference counts are the whole process's
def test_heap_objects_without_a_destructor_are_freed_by_the_record(total_refcount_stable):
    # Apple and Wide are trivially destructible: one function frees all such classes' objects,
    # the size and alignment taken from the record (the sanitizer and valgrind stages check
    # the sized and aligned deletes and that nothing leaks)
    made = [b.apple_unique(3), b.apple_shared(4), b.wide_unique(2.5)]
    assert [(type(o).__name__, getattr(o, "n", None) or o.v) for o in made] == [("Apple", 3), ("Apple", 4), ("Wide", 2.5)]
    assert made[2].twice() == 5.0 and made[2].aligned()

    def run(n):
        for i in range(n):
            assert (b.apple_unique(i).n, b.apple_shared(i).n, b.wide_unique(i).v) == (i, i, i)

    run(10)
    before = [sys.getrefcount(c) for c in (b.Apple, b.Wide)]
    run(10**3)
    assert [sys.getrefcount(c) for c in (b.Apple, b.Wide)] == before
    total_refcount_stable(run)


def test_shared_entries_balance_references(total_refcount_stable):
    a, a2, p, k = b.Apple(5), b.Apple(6), b.Pear(7), 3
    calls = [
        lambda: a.get(), lambda: a.add(k), lambda: a.add(k=k), lambda: a.plus(k), lambda: a.offset(),
        lambda: a.own(), lambda: len(a), lambda: a[k], lambda: a + a2, lambda: b.apple_n(a),
        lambda: b.pair(a, p), lambda: b.pair_own(a, p), lambda: b.maybe_pear(None), lambda: p.get(),
    ]
    def set_n(o, v):
        o.n = v

    calls += [lambda: a.n, lambda: set_n(a, k), lambda: p.n, lambda: set_n(p, k)]  # fields per member type
    failing = [lambda: b.apple_n(p), lambda: b.pair(p, a), lambda: b.Apple.offset(p), lambda: a.add("x"),
               lambda: a + p, lambda: set_n(a, "x"), lambda: b.Apple.n.__get__(p)]
    assert_balanced(calls, failing, (a, a2, p, k), total_refcount_stable)

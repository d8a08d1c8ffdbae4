"""py::pickle and py::copyable: pickling (protocols 2-5), copy.copy and copy.deepcopy of
instances of bound classes."""
import copy
import pickle

import pytest

import classes_pickle_ext as m

PROTOCOLS = range(2, pickle.HIGHEST_PROTOCOL + 1)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pickle_round_trip(protocol):
    p = pickle.loads(pickle.dumps(m.Point(1.5, -2.0), protocol))
    assert type(p) is m.Point and (p.x, p.y) == (1.5, -2.0)
    c = pickle.loads(pickle.dumps(m.Counter("hits", 3), protocol))
    assert (c.name, c.count) == ("hits", 3)
    n = pickle.loads(pickle.dumps(m.make_node(7), protocol))  # set() returns a unique_ptr
    assert type(n) is m.Node and n.value == 7


def test_copy_and_deepcopy_go_through_the_state():
    p = m.Point(1.0, 2.0)
    q, r = copy.copy(p), copy.deepcopy(p)
    assert (q.x, q.y) == (r.x, r.y) == (1.0, 2.0)
    q.x = 5.0
    assert p.x == 1.0 and q is not p


def test_setstate_on_an_initialized_instance_is_a_type_error():
    p = m.Point(1.0, 2.0)
    with pytest.raises(TypeError, match="already initialized"):
        p.__setstate__((3.0, 4.0))
    assert (p.x, p.y) == (1.0, 2.0)


def test_unpickling_garbage():
    fresh = m.Point.__new__(m.Point)
    with pytest.raises(TypeError):
        fresh.__setstate__("garbage")
    with pytest.raises(TypeError):
        fresh.__setstate__((1.0,))
    with pytest.raises(TypeError):
        fresh.__setstate__(None)
    with pytest.raises(TypeError, match="not initialized"):
        fresh.x  # still uninitialized after the failures
    fresh.__setstate__((1.0, 2.0))
    assert fresh.x == 1.0
    with pytest.raises(ValueError, match="never negative"):
        m.Counter.__new__(m.Counter).__setstate__(("x", -1))
    bad = pickle.dumps(m.Counter("x", 1)).replace(b"K\x01", b"J\xff\xff\xff\xff")
    with pytest.raises(ValueError, match="never negative"):
        pickle.loads(bad)


def test_a_class_without_pickle_is_not_picklable():
    with pytest.raises(TypeError, match="cannot pickle"):
        pickle.dumps(m.Plain())
    with pytest.raises(TypeError):
        copy.copy(m.Plain())


def test_copyable_copies_the_cpp_object():
    b = m.Box([1, 2])
    c = copy.copy(b)
    c.push(3)
    assert b.items == [1, 2] and c.items == [1, 2, 3]
    d = copy.deepcopy(b)
    d.push(4)
    assert b.items == [1, 2] and d.items == [1, 2, 4]


def test_copyable_copies_the_dict_and_the_subclass():
    class MyBox(m.Box):
        pass

    b = MyBox([1])
    b.tags = ["a"]
    b.me = b  # refers back to itself
    c = copy.copy(b)
    assert type(c) is MyBox and c.items == [1] and c.tags is b.tags and c.me is b
    d = copy.deepcopy(b)
    assert type(d) is MyBox and d.tags == ["a"] and d.tags is not b.tags and d.me is d


def test_reference_balance(total_refcount_stable):
    p, b = m.Point(1.0, 2.0), m.Box([1, 2, 3])
    data = pickle.dumps(p)

    def run(n):
        for _ in range(n):
            pickle.loads(data)
            copy.copy(p)
            copy.deepcopy(b)
            try:
                m.Point.__new__(m.Point).__setstate__("garbage")
            except TypeError:
                pass

    total_refcount_stable(run)

"""py::implicitly_convertible: a bound-class parameter takes what converts to it, in the
second overload pass only."""
import gc

import pytest

import classes_convert_ext as m


def test_a_bound_class_converts_to_another():
    assert m.meters(m.Meters(2.0)) == 2.0
    assert m.meters(m.Feet(10.0)) == pytest.approx(3.048)
    assert m.meters_by_value(m.Feet(10.0)) == pytest.approx(3.048)
    # T&: the temporary is mutated, not the Feet
    f = m.Feet(10.0)
    assert m.meters_mut(f) == pytest.approx(4.048)
    assert f.value == 10.0


def test_a_value_converts_to_a_bound_class():
    assert m.id_of(m.Id(5)) == 5
    assert m.id_of(7) == 7
    with pytest.raises(TypeError):
        m.id_of("abc")  # Id(str) is bound, but only long long was declared convertible
    with pytest.raises(TypeError):
        m.id_of(2.5)
    with pytest.raises(ValueError, match="never negative"):
        m.id_of(-1)  # the constructor's exception, not a mismatch


def test_exact_overloads_win():
    assert m.which(m.Meters(1.0)) == "Meters"
    assert m.which(m.Feet(1.0)) == "Feet"


def test_a_conversion_that_would_recurse_is_refused():
    with pytest.raises(TypeError):
        m.loop_value(3)


def test_nothing_else_converts():
    with pytest.raises(TypeError):
        m.meters(1.0)
    with pytest.raises(TypeError):
        m.meters(None)


def test_reference_balance(total_refcount_stable):
    f = m.Feet(1.0)

    def run(n):
        for _ in range(n):
            m.meters(f)
            m.meters_by_value(f)
            m.id_of(3)
            try:
                m.id_of(-1)
            except ValueError:
                pass

    total_refcount_stable(run)


def test_methods_of_one_shape_in_two_classes_take_each_its_own_class():
    # by keyword, and with a default left out: the dispatcher both classes' methods share
    assert m.Feet(1.0).plus(other=m.Feet(2.0)) == 3.0
    assert m.Meters(1.0).plus(other=m.Meters(2.0)) == 3.0
    assert m.Meters(1.0).plus(other=m.Feet(10.0)) == pytest.approx(4.048)  # converted
    with pytest.raises(TypeError, match=r"Feet\.plus\(\) argument 'other' must be Feet, not .*Meters"):
        m.Feet(1.0).plus(other=m.Meters(2.0))
    with pytest.raises(TypeError, match=r"Meters\.plus\(\) argument 'other' must be Meters, not int"):
        m.Meters(1.0).plus(other=3)
    assert m.Feet(1.0).plus_or_zero() == 1.0
    assert m.Feet(1.0).plus_or_zero(other=None) == 1.0
    assert m.Meters(1.0).plus_or_zero(other=m.Meters(0.5)) == 1.5
    with pytest.raises(TypeError, match="must be Meters"):
        m.Meters(1.0).plus_or_zero(other=m.Id(1))
    f, g = m.Feet(1.0), m.Feet(2.0)
    f.add_to(target=g)
    assert g.value == 3.0
    with pytest.raises(RuntimeError, match="already borrowed"):
        f.add_to(target=f)  # a shared and an exclusive borrow of one instance
    assert f.value == 1.0


def test_constructors_of_one_shape_in_two_classes_make_each_its_own_class():
    # Feet(double) and Meters(double) share one dispatcher (the record names the class): what
    # misses the typed entry (a wrong count, a wrong type, an explicit __init__) goes through it
    class LongFeet(m.Feet):
        pass

    assert m.Feet(2.0).value == 2.0 and m.Meters(2.0).value == 2.0
    assert type(LongFeet(3.0)) is LongFeet and LongFeet(3.0).value == 3.0
    with pytest.raises(TypeError, match=r"Feet\.__init__\(\) argument 'arg0' must be float, not str"):
        m.Feet("x")
    with pytest.raises(TypeError, match=r"Feet\.__init__\(\)"):
        m.Feet(1.0, 2.0)
    f = m.Feet.__new__(m.Feet)
    m.Feet.__init__(f, 4.0)  # the method object, through the record
    assert f.value == 4.0
    with pytest.raises(TypeError, match="already initialized"):
        m.Feet.__init__(f, 5.0)
    assert f.value == 4.0
    with pytest.raises(TypeError, match=r"Feet\.__init__\(\) argument 'self' must be Feet, not .*Meters"):
        m.Feet.__init__(m.Meters.__new__(m.Meters), 1.0)  # another class's instance, not made
    with pytest.raises(TypeError, match="already initialized"):
        m.Meters.__init__(m.Meters(1.0), 2.0)


def test_reference_balance_by_keyword(total_refcount_stable):
    f, g, meters = m.Feet(1.0), m.Feet(2.0), m.Meters(1.0)

    def run(n):
        for _ in range(n):
            f.plus(other=g)
            meters.plus(other=f)  # a Meters made for the call, dropped after it
            meters.plus_or_zero()
            f.add_to(target=g)
            for bad in (meters, 3):
                try:
                    f.plus(other=bad)
                except TypeError:
                    pass
            try:
                f.add_to(target=f)
            except RuntimeError:
                pass
            for args in (("x",), (1.0, 2.0)):  # constructors through the shared dispatcher
                try:
                    m.Feet(*args)
                except TypeError:
                    pass
            try:
                m.Feet.__init__(g, 1.0)
            except TypeError:
                pass
            m.Meters(f)  # the factory constructor

    total_refcount_stable(run)


def test_a_converted_argument_is_what_keep_alive_and_views_keep():
    h = m.Holder()
    h.hold(m.Feet(10.0))  # a Meters made for the call: h keeps that, not the Feet
    gc.collect()
    assert h.value() == pytest.approx(3.048)
    v = m.same_meters(m.Feet(1.0))  # a view of the Meters made for the call, which it keeps
    gc.collect()
    assert v.value == pytest.approx(0.3048)

"""py::keep_alive and py::make_iterator: patients kept by their nurses, iterators over C++
ranges kept safe."""
import gc
import sys
import weakref

import pytest

import classes_iter_ext as m


def test_iterators_over_a_bound_container():
    v = m.Vec([1, 2, 3])
    assert list(v) == [1, 2, 3]
    assert list(iter(v)) == [1, 2, 3]
    it = iter(v)
    assert iter(it) is it and next(it) == 1 and it.__next__() == 2 and next(it) == 3
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(StopIteration):
        next(it)  # stays exhausted
    assert list(m.Vec([])) == []
    t = m.Table({"b": 2.0, "a": 1.0})
    assert list(t.keys()) == ["a", "b"]
    assert list(t.values()) == [1.0, 2.0]
    assert list(t.items()) == [("a", 1.0), ("b", 2.0)]
    assert list(m.range_of(4)) == [0, 1, 2, 3]
    assert type(it).__name__ == "iterator" and type(it).__module__ == "pyowned"


def test_the_iterator_keeps_its_container_alive_and_unchanged():
    v = m.Vec([1, 2, 3])
    r = weakref.ref(v) if hasattr(v, "__weakref__") else None
    it = iter(v)
    refs = sys.getrefcount(v)
    del v
    gc.collect()
    assert list(it) == [1, 2, 3]
    # while an iterator exists the container cannot be mutated (its C++ iterators would dangle)
    v = m.Vec([1])
    it = iter(v)
    with pytest.raises(RuntimeError, match="already borrowed"):
        v.append(2)
    del it
    gc.collect()
    v.append(2)
    assert list(v) == [1, 2]
    assert refs >= 2 and r is None


def test_keep_alive_0_1_keeps_the_container():
    v = m.Vec([4, 5])
    it = v.items_kept()
    before = sys.getrefcount(v)
    del v
    assert list(it) == [4, 5]
    assert before >= 3  # the test's name, getrefcount's argument, the iterator's patient


def test_keep_alive_1_2_in_a_constructor_and_0_1_in_a_function():
    v = m.Vec([1, 2, 3])
    view = m.View(v)
    del v
    gc.collect()
    assert view.sum() == 6  # the Vec is alive: the View holds it
    w = m.Vec([10])
    view2 = m.view_of(w)
    del w
    gc.collect()
    assert view2.sum() == 10


def test_keep_alive_with_other_nurses():
    class Nurse:
        pass

    nurse, patient = Nurse(), Nurse()
    patient_ref = weakref.ref(patient)
    m.keep_with(nurse, patient)
    del patient
    gc.collect()
    assert patient_ref() is not None
    del nurse
    gc.collect()
    assert patient_ref() is None  # released by the weak reference's callback
    calls = m.keep_with(Nurse(), Nurse())
    with pytest.raises(TypeError, match="cannot be weakly referenced"):
        m.keep_with(1, Nurse())
    assert m.keep_with(Nurse(), Nurse()) == calls + 1  # the failed call's body never ran
    m.keep_with(None, Nurse())  # None: nothing to do
    m.keep_with(Nurse(), None)


def test_keep_alive_with_a_stateful_callable_and_a_reference_result():
    class Patient:
        pass

    nurse, patient = m.Vec([1, 2]), Patient()
    patient_ref = weakref.ref(patient)
    calls = m.keep_with(Patient(), Patient())
    assert m.keep_with_offset(nurse, patient) == calls + 1 + 1000  # its captured state
    view = m.vec_keeping(nurse, Patient())
    assert len(view) == 2
    view.append(3)
    assert len(nurse) == 3  # the same C++ object
    del patient
    gc.collect()
    assert patient_ref() is not None
    with pytest.raises(TypeError):
        m.vec_keeping(1, Patient())  # not a Vec: no call, nothing kept
    del nurse, view
    gc.collect()
    assert patient_ref() is None


def test_patients_are_released_with_the_nurse():
    class Patient:
        pass

    nurse, patient = m.Vec([1]), Patient()
    r = weakref.ref(patient)
    m.keep_with(nurse, patient)  # stored in the pyowned instance
    del patient
    gc.collect()
    assert r() is not None
    del nurse
    assert r() is None


def test_cycles_through_patients_are_collected():
    class Patient:
        pass

    bag, patient = m.Bag(), Patient()
    patient.bag = bag  # bag -> (its patients) -> patient -> bag
    m.keep_with(bag, patient)
    r = weakref.ref(patient)
    del bag, patient
    gc.collect()
    assert r() is None


def test_reference_balance(total_refcount_stable):
    v = m.Vec([1, 2, 3])
    t = m.Table({"a": 1.0})

    def run(n):
        for _ in range(n):
            list(v)
            list(v.items_kept())
            list(t.items())
            m.View(v).sum()
            m.view_of(v)
            m.vec_keeping(v, None)
            m.keep_with_offset(v, None)

    total_refcount_stable(run)


def test_a_cycle_through_the_iterators_owner_is_collected():
    class MyVec(m.Vec):
        pass

    v = MyVec([1, 2])
    v.it = iter(v)  # the owner's __dict__ holds the iterator, which holds the owner
    assert next(v.it) == 1
    r = weakref.ref(v)
    del v
    gc.collect()
    assert r() is None

"""Virtual methods overridden in Python (trampolines): C++ calls the override, from any
thread; C++ keeping the object keeps its Python part; returning it gives the same object."""
import gc
import sys
import weakref

import pytest

import classes_virtual_ext as m


class Cat(m.Animal):
    def sound(self):
        return "meow"


class Spider(m.Animal):
    def __init__(self, legs=8):
        super().__init__()
        self.n = legs

    def sound(self):
        return "..."

    def legs(self):
        return self.n

    def greet(self, who, times):
        return f"{who}:{times}"


class Mute(m.Animal):
    pass  # does not override the pure virtual sound


def test_cpp_calls_the_python_override():
    assert m.describe(Cat()) == "meow/4"  # legs: the C++ base's
    assert m.describe(Spider()) == ".../8"
    assert m.describe(Spider(6)) == ".../6"
    assert m.greet_twice(Cat(), "bob") == "hello bob;hello bob;"
    assert m.greet_twice(Spider(), "bob") == "bob:2"  # arguments passed on
    assert m.total_legs(Spider(), 1000) == 8000
    # and Python calling the bound method sees the override too
    assert Spider().legs() == 8 and Cat().legs() == 4 and Cat().sound() == "meow"
    assert Cat().greet("x") == "hello x;"  # the C++ base's, with its default


def test_a_cpp_subclass_and_a_python_subclass_of_it():
    assert m.describe(m.Dog()) == "woof/4"

    class Puppy(m.Dog):
        def legs(self):
            return 3

    # Dog has no trampoline: C++ calls Dog's own methods; Python calls see the Python ones
    assert m.describe(Puppy()) == "woof/4" and Puppy().legs() == 3


def test_an_unoverridden_pure_virtual_is_runtime_error():
    with pytest.raises(RuntimeError, match=r"Animal\.sound\(\) is pure virtual and 'Mute' does not override it"):
        m.describe(Mute())
    with pytest.raises(RuntimeError, match="pure virtual"):
        Mute().sound()
    assert m.sound_error(Mute()).startswith("runtime_error: pyowned: Animal.sound() is pure virtual")
    # the abstract class itself: a trampoline without overrides
    with pytest.raises(RuntimeError, match="'classes_virtual_ext.Animal' does not override it"):
        m.describe(m.Animal())
    assert m.Animal().legs() == 4


def test_super_calls_the_cpp_base():
    class Tripod(m.Animal):
        def sound(self):
            return "t"

        def legs(self):
            return super().legs() - 1  # the C++ Animal::legs, not this override again

        def greet(self, who, times):
            return "<" + super().greet(who, times) + ">"

    t = Tripod()
    assert m.describe(t) == "t/3"
    assert m.greet_twice(t, "z") == "<hello z;hello z;>"

    class Pure(m.Animal):
        def sound(self):
            return super().sound()  # pure in C++: RuntimeError, not a recursion

    with pytest.raises(RuntimeError, match="pure virtual"):
        m.describe(Pure())


def test_an_override_of_the_wrong_type_is_type_error():
    class Bad(m.Animal):
        def sound(self):
            return 42

        def legs(self):
            return "four"

    with pytest.raises(TypeError, match=r"Bad\.sound\(\) returned 'int', but Animal\.sound\(\) returns 'str'"):
        m.sound_of(Bad())
    with pytest.raises(TypeError, match=r"Bad\.legs\(\) returned 'str', but Animal\.legs\(\) returns 'int'"):
        m.total_legs(Bad(), 1)
    assert m.sound_error(Bad()).startswith("py::Error: TypeError: Bad.sound() returned 'int'")


def test_an_override_that_raises_reaches_the_caller():
    class Angry(m.Animal):
        def sound(self):
            raise KeyError("grr")

    with pytest.raises(KeyError, match="grr") as info:
        m.describe(Angry())
    assert any(f.name == "sound" for f in info.traceback)  # the override's frame


@pytest.mark.threads
def test_overrides_called_from_threads_python_never_saw():
    assert m.sound_from_thread(Cat()) == ("meow", "")
    assert m.sound_from_thread(Mute())[1].startswith("pyowned: Animal.sound() is pure virtual")
    assert m.legs_from_threads(Spider(), 8, 10**4 // 8) == (8 * 10**4, 0)


def test_an_override_defined_after_the_first_call():
    class Late(m.Animal):
        def sound(self):
            return "a"

    x = Late()
    assert m.describe(x) == "a/4"
    Late.legs = lambda self: 1  # the class changed: the cached lookup is not used
    assert m.describe(x) == "a/1"
    del Late.legs
    assert m.describe(x) == "a/4"
    Late.sound = lambda self: "b"
    assert m.describe(x) == "b/4"


@pytest.mark.thread_unsafe  # the module's registry is shared
def test_cpp_keeping_the_object_keeps_its_python_part():
    m.clear_kept()
    s = Spider(5)
    s.extra = "kept"
    r = weakref.ref(s)
    m.keep(s)
    h = Spider(7)
    rh = weakref.ref(h)
    m.keep_handle(h)
    del s, h
    gc.collect()
    assert r() is not None and rh() is not None  # alive while C++ holds it
    assert m.kept_sounds() == ["...", "..."]
    again = m.kept(0)
    assert again is r() and again.extra == "kept" and m.describe(again) == ".../5"
    assert m.kept_handle(0) is rh()
    del again
    m.clear_kept()
    gc.collect()
    assert r() is None and rh() is None  # and gone once C++ lets go


@pytest.mark.thread_unsafe  # the module's registry is shared
def test_returning_the_object_gives_the_same_python_object():
    s = Spider()
    assert m.same(s) is s
    assert m.same_pointer(s) is s
    assert m.shared_roundtrip(s) is s
    c = Cat()
    assert m.same(c) is c
    d = m.Dog()
    assert m.shared_base(d) is d  # a shared_ptr cast to the base: still the instance
    class Husky(m.Dog):
        pass
    h = Husky()
    assert m.shared_roundtrip(h) is h


def test_a_mutable_class_with_a_non_virtual_destructor():
    class Doubler(m.Counter):
        def step(self, by):
            self.total += 2 * by  # a borrow of the instance while C++ is in step: shared, not exclusive

        def scaled(self, x):
            return 10 * x

    before = m.destroyed()
    d = Doubler()
    assert m.scaled_sum(d, 4) == 60
    plain = m.Counter()
    assert m.run_steps(plain, 4) == 6 and m.scaled_sum(plain, 4) == 6
    started = Doubler(100)  # a factory returning the trampoline
    assert m.scaled_sum(started, 2) == 10 and started.total == 100
    del d, plain, started
    gc.collect()
    after = m.destroyed()
    # three Counters destroyed, two of them trampolines (destroyed as such)
    assert after[0] - before[0] == 3 and after[1] - before[1] == 2


def test_a_mutating_override_while_cpp_holds_the_exclusive_borrow():
    class Doubler(m.Counter):
        def step(self, by):
            self.total += 2 * by

    # run_steps takes Counter&: the override's self.total access meets the exclusive borrow
    with pytest.raises(RuntimeError, match="borrowed"):
        m.run_steps(Doubler(), 3)


def test_reference_balance(total_refcount_stable):
    s, c, mute = Spider(), Cat(), Mute()

    class Bad(m.Animal):
        def sound(self):
            return 1

    bad = Bad()

    def run(n):
        for _ in range(n):
            m.describe(s)
            m.greet_twice(c, "x")
            m.same(s)
            m.shared_roundtrip(s)
            try:
                m.describe(mute)
            except RuntimeError:
                pass
            try:
                m.describe(bad)
            except TypeError:
                pass

    total_refcount_stable(run)


def test_super_from_a_python_call_of_the_override():
    class Tripod(m.Animal):
        def sound(self):
            return "t"

        def legs(self):
            return super().legs() - 1

    assert Tripod().legs() == 3  # the override runs once, super() is Animal::legs
    assert m.describe(Tripod()) == "t/3"

    class Doubler(m.Counter):
        def step(self, by):
            super().step(2 * by)  # Counter::step, under the binding's exclusive borrow

    d = Doubler()
    d.step(5)
    assert d.total == 10


def test_the_base_calls_other_overrides():
    class Parrot(m.Bird):
        def sound(self):
            return "hello"

    # Bird::describe (not overridden) calls the virtual sound(): the Python one
    assert Parrot().describe() == "a bird that says hello"
    assert m.bird_describe(Parrot()) == "a bird that says hello"
    assert m.bird_describe(m.Bird()) == "a bird that says tweet"


def test_a_method_bound_under_another_name():
    class Penguin(m.Bird):
        def wing_count(self):
            return 0

    assert m.bird_wings(Penguin()) == 0 and m.bird_wings(m.Bird()) == 2


def test_a_factory_cannot_take_another_instances_trampoline():
    class Crow(m.Bird):
        def sound(self):
            return "caw"

    c = Crow()
    alias = m.Bird(c)  # the plain class: shares the object, does not relink it
    assert m.bird_describe(c) == "a bird that says caw"

    class Other(m.Bird):
        pass

    with pytest.raises(TypeError, match="belongs to another instance"):
        Other(c)
    assert m.bird_describe(c) == "a bird that says caw"
    del alias

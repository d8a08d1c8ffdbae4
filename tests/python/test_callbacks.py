"""<pyowned/functional.h>: Python callables as std::function, and back."""
import inspect
import sys
import threading
import traceback

import pytest
from repeats import repeats

import callbacks_ext as m


def test_called_with_converted_arguments_and_result():
    assert m.apply(lambda x: x * 2, 21) == 42
    assert m.apply_n(lambda i: i * i, 100) == sum(i * i for i in range(100))
    seen = []
    m.call_void(lambda: seen.append(1))
    assert seen == [1]
    assert m.call_string(lambda s, k: s * k) == "ababab"
    assert m.call_list(lambda v: v + [len(v)]) == [1, 2, 3, 3]


def test_any_callable():
    class Counter:
        def __call__(self, x):
            return x + 100

    assert m.apply(Counter(), 1) == 101
    assert m.apply(abs, -5) == 5
    assert m.apply(m.make_adder(3), 4) == 7  # a pyowned function


def test_a_non_callable_is_a_type_error_at_the_call():
    with pytest.raises(TypeError, match=r"apply\(\).*Callable"):
        m.apply(42, 1)
    with pytest.raises(TypeError):
        m.apply(None, 1)
    assert m.maybe_call(None) == -1
    assert m.maybe_call(lambda: 7) == 7


def test_an_exception_reaches_the_caller_with_its_traceback():
    def fails(x):
        raise KeyError(f"no {x}")

    with pytest.raises(KeyError, match="no 3") as info:
        m.apply(fails, 3)
    frames = [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert "fails" in frames


def test_a_wrong_result_type_is_a_type_error():
    with pytest.raises(TypeError, match="'str' object cannot be converted to 'int'"):
        m.apply(lambda x: "no", 1)
    with pytest.raises(TypeError):
        m.apply(lambda: 1, 1)  # the wrong arity: Python's own TypeError


@pytest.mark.thread_unsafe
@pytest.mark.threads
def test_stored_called_later_and_dropped_on_another_thread():
    log = []

    def f(x):
        log.append(x)
        return x + 1

    before = sys.getrefcount(f)
    m.store(f)
    assert sys.getrefcount(f) == before + 1
    assert m.call_stored(1) == 2 and m.call_stored(5) == 6
    assert log == [1, 5]
    m.drop_stored_on_thread()  # queued while detached, released at the next entry
    m.apply(abs, 1)
    assert sys.getrefcount(f) == before
    with pytest.raises(ValueError, match="nothing stored"):
        m.call_stored(1)


@pytest.mark.thread_unsafe  # it makes its own threads
@pytest.mark.threads
def test_called_from_many_threads_at_once():
    n, threads = repeats(10**5 // 8), 8
    assert m.call_from_threads(lambda i: i % 7, threads, n) == threads * sum(i % 7 for i in range(n))


@pytest.mark.threads
def test_called_from_a_thread_python_never_saw():
    ident = []

    def f(x):
        ident.append(threading.get_ident())
        return x * 3

    assert m.call_on_new_thread(f, 5) == 15
    assert ident and ident[0] != threading.get_ident()
    with pytest.raises(ZeroDivisionError):
        m.call_on_new_thread(lambda x: x // 0, 1)
    with pytest.raises(ZeroDivisionError):
        m.call_from_threads(lambda x: 1 // (x - 3), 2, 5)


def test_a_cpp_function_becomes_a_python_function():
    add3 = m.make_adder(3)
    assert add3(4) == 7
    assert str(inspect.signature(add3)) == "(arg0, /)"
    assert add3.__name__ == "function" and add3.__text_signature__ == "(arg0, /)"
    with pytest.raises(TypeError):
        add3("x")
    greet = m.make_greeter("hello")
    assert greet("world") == "hello, world"
    assert m.make_empty() is None


def test_a_python_callable_comes_back_as_itself():
    def f(x):
        return x

    assert m.roundtrip(f) is f
    composed = m.compose(lambda x: x + 1, lambda x: x * 10)
    assert composed(2) == 21


def test_reference_balance(total_refcount_stable):
    def f(x):
        return x + 1

    def fails(x):
        raise ValueError(x)

    def run(n):
        for _ in range(n):
            m.apply(f, 1)
            m.roundtrip(f)
            m.make_adder(2)(3)
            m.compose(f, f)(1)
            try:
                m.apply(fails, 1)
            except ValueError:
                pass
            try:
                m.apply(lambda x: "no", 1)
            except TypeError:
                pass

    total_refcount_stable(run)

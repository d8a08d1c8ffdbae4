"""py::Enum: C++ enums as real Python enums, converted both ways by their members."""
import copy
import enum
import inspect
import pickle
import sys
import types

import pytest

import enums_ext as m

KEEP_BITS = sys.version_info >= (3, 11)


def test_they_are_real_enums():
    assert issubclass(m.Color, enum.Enum) and not issubclass(m.Color, int)
    assert issubclass(m.Level, enum.IntEnum)
    assert issubclass(m.Perm, enum.Flag)
    assert issubclass(m.Wide, enum.IntFlag)
    assert list(m.Color) == [m.Color.RED, m.Color.GREEN, m.Color.BLUE]
    assert list(m.Color.__members__) == ["RED", "GREEN", "BLUE"]
    assert repr(m.Color.RED) == "<Color.RED: 0>"
    assert repr(m.Level.LOW) == "<Level.LOW: -1>"
    assert m.Color.GREEN.value == 1 and m.Color.GREEN.name == "GREEN"
    assert m.Color(2) is m.Color.BLUE and m.Color["BLUE"] is m.Color.BLUE
    assert m.Level.MID == 5 and m.Level.MID + 1 == 6


def test_names_docs_and_module():
    assert m.Color.__module__ == "enums_ext" and m.Color.__qualname__ == "Color"
    assert m.Color.__doc__ == "A color."
    assert m.Color.RED.__doc__ == "The red one."
    assert m.Perm.__doc__ == "Permissions."
    assert m.Shape.Kind.__qualname__ == "Shape.Kind" and m.Shape.Kind.__module__ == "enums_ext"


@pytest.mark.parametrize("member", [lambda: m.Color.GREEN, lambda: m.Level.LOW, lambda: m.Perm.R | m.Perm.X,
                                    lambda: m.Shape.Kind.SQUARE, lambda: m.Wide.TOP])
def test_pickle_and_copy(member):
    value = member()
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(value, protocol)) == value
    assert copy.copy(value) is value or copy.copy(value) == value
    assert copy.deepcopy(value) == value


def test_arguments_and_returns():
    assert m.color_name(m.Color.RED) == "red"
    assert m.color_name(m.Color.BLUE) == "blue"
    assert m.color_echo(m.Color.GREEN) is m.Color.GREEN
    assert m.color_of(2) is m.Color.BLUE
    assert m.level_value(m.Level.LOW) == -1 and m.level_value(m.Level.HIGH) == 100
    assert m.level_of(5) is m.Level.MID
    assert m.kind_echo(m.Shape.Kind.SQUARE) is m.Shape.Kind.SQUARE
    s = m.Shape()
    assert s.kind is m.Shape.Kind.CIRCLE
    s.kind = m.Shape.Kind.SQUARE
    assert s.kind is m.Shape.Kind.SQUARE


def test_a_cpp_value_without_member_is_an_error():
    with pytest.raises(ValueError, match=r"7 is not a valid Color.*'shapes::Color' has no member"):
        m.color_of(7)
    with pytest.raises(ValueError, match="is not a valid Level"):
        m.level_of(6)


def test_unknown_python_values():
    # what the enum module raises for the same value
    with pytest.raises(ValueError, match="7 is not a valid Color"):
        m.Color(7)
    # a plain Enum takes only its members
    with pytest.raises(TypeError, match=r"color_name\(\): incompatible|color_name"):
        m.color_name(0)
    with pytest.raises(TypeError):
        m.color_name("RED")
    with pytest.raises(TypeError):
        m.color_name(m.Level.LOW)
    with pytest.raises(TypeError):
        m.color_name(None)
    # an IntEnum takes an int it has, and raises the enum's own ValueError for one it has not
    assert m.level_value(5) == 5
    with pytest.raises(ValueError, match="6 is not a valid Level"):
        m.level_value(6)
    with pytest.raises(TypeError):
        m.level_value(5.0)


def test_flags_combine_and_keep_unnamed_bits():
    rwx = m.Perm.R | m.Perm.W | m.Perm.X
    assert m.perm_bits(rwx) == 7
    assert m.perm_bits(m.Perm.RW) == 6
    assert m.perm_join(m.Perm.R, m.Perm.X) == m.Perm.R | m.Perm.X
    assert m.perm_bits(m.Perm.R & m.Perm.RW) == 4
    assert m.perm_of(0) is m.Perm.NONE
    assert m.perm_of(3) == m.Perm.W | m.Perm.X
    # ~ keeps the named bits (3.11+); 3.10's IntFlag gives -5, which is ~4 of the uint8_t
    assert m.perm_bits(~m.Perm.R) == (3 if KEEP_BITS else 0xFF & ~4)
    # an unnamed bit survives the round trip
    assert m.perm_bits(m.perm_of(8 | 1)) == 9
    if KEEP_BITS:
        assert m.Perm(9).value == 9
    assert m.wide_bits(m.Wide.TOP | m.Wide.LOW) == (1 << 63) | 1
    assert m.wide_of(1 << 63) is m.Wide.TOP
    assert m.wide_bits(1 << 63) == 1 << 63  # an IntFlag takes an int in the convert pass


def test_a_value_too_wide_for_the_underlying_type():
    with pytest.raises(OverflowError, match="out of range for the C\\+\\+ enum 'shapes::Perm' \\(a 8-bit unsigned"):
        m.perm_bits(m.Perm(1 << 9))


def test_exported_values():
    assert m.QUIET is m.Mode.QUIET and m.LOUD is m.Mode.LOUD
    assert m.mode_value(m.LOUD) == 20


def test_a_default_made_while_the_module_is_defined():
    assert m.late_default() == 1
    assert m.late_default(m.Late.ONE) == 0
    # a member has no literal form: the signature shows "..." (as for any such default)
    assert str(inspect.signature(m.late_default)) == "(l=Ellipsis)"


def test_overloads_take_members_first():
    assert m.which(m.Level.MID) == "Level"
    assert m.which(5) == "int"


def test_containers_and_optional():
    assert m.colors([m.Color.RED, m.Color.BLUE]) == [m.Color.RED, m.Color.BLUE]
    with pytest.raises(TypeError):
        m.colors([m.Color.RED, 1])
    assert m.maybe_color(None) is None
    assert m.maybe_color(m.Color.GREEN) is m.Color.GREEN


def test_an_unbound_enum_is_a_type_error():
    with pytest.raises(TypeError, match="'shapes::Unbound' is not bound to a Python enum"):
        m.unbound_arg(0)
    with pytest.raises(TypeError, match="'shapes::Unbound' is not bound to a Python enum"):
        m.unbound_return()


def test_definition_errors():
    scope = types.ModuleType("scratch")
    with pytest.raises(TypeError, match="Twice already has a member named A"):
        m.bind_twice_named(scope)
    assert not hasattr(scope, "Twice")
    with pytest.raises(ValueError, match="_sunder_|_names_ are reserved"):
        m.bind_bad_name(scope)
    with pytest.raises(RuntimeError, match="already made .* add every value before using the enum"):
        m.value_after_made(scope)
    assert list(scope.After.__members__) == ["A"]


@pytest.mark.thread_unsafe
def test_binding_again_replaces_the_enum():
    a, b = types.ModuleType("a"), types.ModuleType("b")
    first = m.bind_again(a)
    second = m.bind_again(b)
    assert first is a.Again.A and second is b.Again.A and first is not second


def test_reference_balance(total_refcount_stable):
    def run(n):
        for _ in range(n):
            m.color_echo(m.Color.RED)
            m.color_of(1)
            m.level_value(5)
            m.perm_bits(m.Perm.R | m.Perm.X)
            m.perm_of(9)
            m.colors([m.Color.RED, m.Color.GREEN])
            for bad in (lambda: m.color_of(7), lambda: m.level_value(6), lambda: m.color_name(0)):
                try:
                    bad()
                except (ValueError, TypeError):
                    pass

    total_refcount_stable(run)

"""Mistakes the generated stubs let mypy --strict find (test_stubs.py): each line marked
`# error: <code>` must be reported with that code, and no other line."""

import enums_ext
import introspection_ext
from classes_inherit_ext import Circle, Sealed, Shape, area_of

introspection_ext.add("1")  # error: arg-type
introspection_ext.add(1, c=2)  # error: call-arg
introspection_ext.mixed(x=1, y=2)  # error: call-arg
text: str = introspection_ext.add(1)  # error: assignment
circle = Circle("2")  # error: arg-type
circle.r = "big"  # error: assignment
circle.no_such_method()  # error: attr-defined
sealed: Sealed = Circle(1.0)  # error: assignment
area_of(3)  # error: arg-type
shape: Shape = Circle(1.0)
enums_ext.color_name(enums_ext.Level.LOW)  # error: arg-type

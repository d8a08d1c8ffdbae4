"""A user of two pyowned modules, type-checked by mypy --strict against their generated stubs
(test_stubs.py), then run."""

import enums_ext
import introspection_ext
from classes_inherit_ext import Circle, Outer, Shape, area_of, make, make_inner

total: int = introspection_ext.add(1, b=2) + introspection_ext.sub.mul(3)
ratio: float = introspection_ext.mixed(1, 2, z=0.5)
name: str = introspection_ext.escaped()
assert total == 9 and ratio == introspection_ext.mixed(1, y=2, z=0.5)

circle = Circle(2.0, id=7)
circle.scale(0.5)
radius: float = circle.r
shape: Shape = circle  # a bound subclass is its base for a type checker too
assert area_of(shape) == circle.area() and radius == 1.0 and shape.id == 7
unit: Circle = Circle.unit()
made: Shape = make("square")
inner: Outer.Inner = make_inner(5)
assert inner.get() == 5 and unit.r == 1.0 and made.kind() == "square"

color: enums_ext.Color = enums_ext.color_echo(enums_ext.Color.GREEN)
assert enums_ext.color_name(color) == "green"
print("ok")

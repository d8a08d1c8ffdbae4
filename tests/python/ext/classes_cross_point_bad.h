// A different struct under the same C++ name as classes_cross_point.h's cross::Point (so the
// same typeid name, the registry's key), with another layout: a third double. Only
// classes_cross_bad_ext includes it.
#pragma once

namespace cross {

struct Point {
    double x = 0, y = 0, z = 0;
};

}  // namespace cross

// The C++ type shared by classes_cross_a_ext (which binds it) and classes_cross_b_ext (which
// only uses it), and bound module-locally by classes_cross_local_ext and twice by
// classes_cross_dup_ext. classes_cross_bad_ext has its own, incompatible cross::Point
// (classes_cross_point_bad.h).
#pragma once

namespace cross {

struct Point {
    double x = 0, y = 0;
};

}  // namespace cross

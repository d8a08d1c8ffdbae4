// Iteration never grows memory: range-for over 2M-item dict, list, tuple, set and generator keeps RSS flat.
#include "harness.h"

#include <cstdio>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>

namespace {

bool leak_check_enabled() {
    const char* flag = std::getenv("PYOWNED_LEAK_CHECK");
    return flag && std::string(flag) == "1";
}

// 2M items; a tenth of that under the leak check, which runs every test 8 times on the slow
// debug interpreter. A per-item cost of even 8 bytes still shows as 1.6 MB there.
long long item_count() { return leak_check_enabled() ? 200'000 : 2'000'000; }

constexpr std::size_t kLimit = 1 << 20;  // 1 MiB

// A namespace with n = item_count() and the sum 0 + 1 + ... + (n - 1) every container holds.
py::Owned<py::Dict> namespace_with_n(py::Python py) {
    auto ns = py::Dict::empty(py);
    ns.set_item("n", item_count());
    return ns;
}

long long expected_sum() {
    long long n = item_count();
    return n * (n - 1) / 2;
}

// Runs `loop(limit)` over its first 10^4 items to warm up (first-use caches, allocator
// pools), then over every item measuring resident memory; returns the growth in bytes.
template <class F>
long long rss_growth(F loop) {
    loop(10'000);
    std::size_t before = pyowned_test::resident_bytes();
    loop(std::numeric_limits<long long>::max());
    std::size_t after = pyowned_test::resident_bytes();
    long long growth = static_cast<long long>(after) - static_cast<long long>(before);
    std::printf("    resident memory growth: %lld bytes\n", growth);  // the figure in the notes
    return growth;
}

}  // namespace

// ASan's quarantine (and valgrind, TSan) keep freed memory resident, which a generator's fresh items
// show as growth; the RSS bound is only meaningful with the normal allocator.
#define SKIP_UNDER_ASAN() \
    if (pyowned_test::sanitized()) GTEST_SKIP() << "RSS is not meaningful under a sanitizer or valgrind"

PYOWNED_TEST(Memory, DictRangeFor) {
    SKIP_UNDER_ASAN();
    auto ns = namespace_with_n(py);
    auto dict = py::eval(py, "{i: i for i in range(n)}", ns).downcast_into<py::Dict>();
    long long keys = 0, values = 0;
    long long growth = rss_growth([&](long long limit) {
        keys = values = 0;
        long long seen = 0;
        for (auto [k, v] : dict) {
            if (seen++ == limit) break;
            keys += k.extract<long long>();
            values += v.extract<long long>();
        }
    });
    EXPECT_EQ(keys, expected_sum());
    EXPECT_EQ(values, expected_sum());
    EXPECT_LT(growth, static_cast<long long>(kLimit)) << "RSS grew by " << growth << " bytes";
}

PYOWNED_TEST(Memory, ListRangeFor) {
    SKIP_UNDER_ASAN();
    auto ns = namespace_with_n(py);
    auto list = py::eval(py, "list(range(n))", ns).downcast_into<py::List>();
    long long sum = 0;
    long long growth = rss_growth([&](long long limit) {
        sum = 0;
        long long seen = 0;
        for (auto item : list) {
            if (seen++ == limit) break;
            sum += item.extract<long long>();
        }
    });
    EXPECT_EQ(sum, expected_sum());
    EXPECT_LT(growth, static_cast<long long>(kLimit)) << "RSS grew by " << growth << " bytes";
}

PYOWNED_TEST(Memory, TupleRangeFor) {
    SKIP_UNDER_ASAN();
    auto ns = namespace_with_n(py);
    auto tuple = py::eval(py, "tuple(range(n))", ns).downcast_into<py::Tuple>();
    long long sum = 0;
    long long growth = rss_growth([&](long long limit) {
        sum = 0;
        long long seen = 0;
        for (auto item : tuple) {
            if (seen++ == limit) break;
            sum += item.extract<long long>();
        }
    });
    EXPECT_EQ(sum, expected_sum());
    EXPECT_LT(growth, static_cast<long long>(kLimit)) << "RSS grew by " << growth << " bytes";
}

PYOWNED_TEST(Memory, SetRangeFor) {
    SKIP_UNDER_ASAN();
    auto ns = namespace_with_n(py);
    auto set = py::eval(py, "set(range(n))", ns).downcast_into<py::Set>();
    long long sum = 0;
    long long growth = rss_growth([&](long long limit) {
        sum = 0;
        long long seen = 0;
        for (auto& item : set) {
            if (seen++ == limit) break;
            sum += item.extract<long long>();
        }
    });
    EXPECT_EQ(sum, expected_sum());
    EXPECT_LT(growth, static_cast<long long>(kLimit)) << "RSS grew by " << growth << " bytes";
}

PYOWNED_TEST(Memory, GeneratorRangeFor) {
    SKIP_UNDER_ASAN();
    auto ns = namespace_with_n(py);
    long long sum = 0;
    // every item is made by the generator and freed after its step: nothing may keep it
    long long growth = rss_growth([&](long long limit) {
        auto gen = py::eval(py, "(i for i in range(n))", ns).downcast_into<py::Iterator>();
        sum = 0;
        long long seen = 0;
        for (auto& item : gen) {
            if (seen++ == limit) break;
            sum += item.extract<long long>();
        }
    });
    EXPECT_EQ(sum, expected_sum());
    EXPECT_LT(growth, static_cast<long long>(kLimit)) << "RSS grew by " << growth << " bytes";
}

PYOWNED_TEST(Memory, GeneratorItemsAreFreed) {
    // Without RSS: each item of a generator is freed once the loop moves past it.
    auto ns = py::Dict::empty(py);
    py::run(py,
            "import weakref\n"
            "class Item:\n"
            "    alive = 0\n"
            "    def __init__(self, v): self.v = v; Item.alive += 1\n"
            "    def __del__(self): Item.alive -= 1\n"
            "def gen(n):\n"
            "    for i in range(n): yield Item(i)\n",
            ns);
    auto cls = ns.get_item("Item");
    auto gen = py::eval(py, "gen(10000)", ns).downcast_into<py::Iterator>();
    long long sum = 0, most_alive = 0;
    for (auto& item : gen) {
        sum += item.getattr("v").extract<long long>();
        most_alive = std::max(most_alive, cls.getattr("alive").extract<long long>());
    }
    EXPECT_EQ(sum, 10000LL * 9999 / 2);
    EXPECT_EQ(most_alive, 1);  // only the current item
    EXPECT_EQ(cls.getattr("alive").extract<long long>(), 0);
}

PYOWNED_TEST(Memory, IteratorNext) {
    SKIP_UNDER_ASAN();
    auto ns = namespace_with_n(py);
    long long sum = 0;
    long long growth = rss_growth([&](long long limit) {
        auto it = py::eval(py, "iter(range(n))", ns).downcast_into<py::Iterator>();
        sum = 0;
        long long seen = 0;
        while (auto item = it.next()) {
            if (seen++ == limit) break;
            sum += item->extract<long long>();
        }
    });
    EXPECT_EQ(sum, expected_sum());
    EXPECT_LT(growth, static_cast<long long>(kLimit)) << "RSS grew by " << growth << " bytes";
}

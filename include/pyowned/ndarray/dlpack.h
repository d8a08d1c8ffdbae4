// DLPack (https://dmlc.github.io/dlpack): the C structures of the tensor exchange protocol
// behind __dlpack__ / __dlpack_device__, written from the specification (version 1.0 and
// the legacy, unversioned form), so pyowned needs no DLPack header.
#pragma once
#include <cstdint>

namespace pyowned::detail::dl {

enum DeviceType : std::int32_t { cpu = 1, cuda = 2, cuda_host = 3 };
enum TypeCode : std::uint8_t { int_ = 0, uint = 1, float_ = 2, opaque = 3, bfloat = 4, complex = 5, bool_ = 6 };

struct Device {
    std::int32_t device_type;
    std::int32_t device_id;
};
struct DataType {
    std::uint8_t code;
    std::uint8_t bits;
    std::uint16_t lanes;
};
struct Tensor {
    void* data;
    Device device;
    std::int32_t ndim;
    DataType dtype;
    std::int64_t* shape;
    std::int64_t* strides;  // in elements; null: C-contiguous
    std::uint64_t byte_offset;
};
// The legacy capsule's content ("dltensor").
struct ManagedTensor {
    Tensor dl_tensor;
    void* manager_ctx;
    void (*deleter)(ManagedTensor* self);
};
struct Version {
    std::uint32_t major;
    std::uint32_t minor;
};
inline constexpr std::uint64_t flag_read_only = 1u << 0;
inline constexpr std::uint64_t flag_is_copied = 1u << 1;
// The versioned capsule's content ("dltensor_versioned", DLPack 1.0).
struct ManagedTensorVersioned {
    Version version;
    void* manager_ctx;
    void (*deleter)(ManagedTensorVersioned* self);
    std::uint64_t flags;
    Tensor dl_tensor;
};

inline constexpr const char* legacy_name = "dltensor";
inline constexpr const char* used_legacy_name = "used_dltensor";
inline constexpr const char* versioned_name = "dltensor_versioned";
inline constexpr const char* used_versioned_name = "used_dltensor_versioned";

}  // namespace pyowned::detail::dl

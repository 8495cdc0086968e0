#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace cartograph::capture {

// An array that grows at the end like std::vector, without ever moving its elements: it adds
// segments of doubling size (1024 elements, then 2048, 4096, ...). Growing a vector of a
// million flows copies every flow into a new block and touches twice the memory; here each
// element is written once, and the first touch of fresh pages (the kernel clears each) is
// paid once. Indexing costs a bit scan and one more load from a small array that stays in L1.
//
// For trivially copyable T. New elements are left uninitialised: the caller writes each before
// reading it. Segments of 2 MiB and more are aligned to 2 MiB, so that where the system backs
// memory with transparent huge pages by itself (THP "always") they get them. They are not asked
// for (madvise): on the virtual machine measured (Firecracker, free page reporting), zeroing
// fresh huge pages on their first touch cost more than the page walks they save:
// cartograph-cli flows on 1M flows took ~5-10% longer with them.
template <typename T> class SegmentedArray
{
    static_assert(std::is_trivially_copyable_v<T>);

public:
    SegmentedArray() = default;
    ~SegmentedArray() { release(); }
    SegmentedArray(const SegmentedArray &) = delete;
    SegmentedArray &operator=(const SegmentedArray &) = delete;
    SegmentedArray(SegmentedArray &&other) noexcept { *this = std::move(other); }
    SegmentedArray &operator=(SegmentedArray &&other) noexcept
    {
        if (this == &other)
            return *this;
        release();
        m_segments = std::exchange(other.m_segments, {});
        m_size = std::exchange(other.m_size, 0);
        m_capacity = std::exchange(other.m_capacity, 0);
        return *this;
    }

    std::uint32_t size() const { return m_size; }
    std::size_t capacity() const { return m_capacity; }

    T &operator[](std::uint32_t index) { return *at(index); }
    const T &operator[](std::uint32_t index) const { return *at(index); }

    // Appends one uninitialised element; returns it.
    T &grow()
    {
        if (m_size == m_capacity)
            allocate(segmentCount());
        return *at(m_size++);
    }

private:
    static constexpr int kFirstBits = 10; // the first segment holds 1024 elements
    // Enough segments for 2^32 elements: 1024 * (2^23 - 1) >= 2^32.
    static constexpr int kMaxSegments = 23;

    static std::size_t segmentLength(int segment)
    {
        return std::size_t(1) << (kFirstBits + segment);
    }
    static std::size_t alignmentOf(std::size_t bytes)
    {
        constexpr std::size_t kHugePage = std::size_t(2) << 20;
        return bytes >= kHugePage ? kHugePage : std::max<std::size_t>(alignof(T), 64);
    }

    int segmentCount() const
    {
        // Segments 0..k-1 hold 1024 * (2^k - 1) elements.
        return std::bit_width((m_capacity >> kFirstBits) + 1) - 1;
    }

    T *at(std::uint32_t index) const
    {
        // Segment k starts at 1024 * (2^k - 1): k is the highest bit of index / 1024 + 1.
        const std::uint64_t group = (std::uint64_t(index) >> kFirstBits) + 1;
        const int segment = std::bit_width(group) - 1;
        const std::uint64_t start = ((std::uint64_t(1) << segment) - 1) << kFirstBits;
        return m_segments[std::size_t(segment)] + (index - start);
    }

    void allocate(int segment);
    void release()
    {
        std::size_t capacity = m_capacity;
        for (int segment = 0; capacity > 0; ++segment) {
            const std::size_t bytes = std::size_t(segmentLength(segment)) * sizeof(T);
            ::operator delete(static_cast<void *>(m_segments[std::size_t(segment)]), bytes,
                              std::align_val_t(alignmentOf(bytes)));
            m_segments[std::size_t(segment)] = nullptr;
            capacity -= segmentLength(segment);
        }
        m_size = 0;
        m_capacity = 0;
    }

    std::array<T *, kMaxSegments> m_segments{};
    std::uint32_t m_size = 0;
    std::size_t m_capacity = 0;
};

template <typename T> void SegmentedArray<T>::allocate(int segment)
{
    const std::size_t bytes = std::size_t(segmentLength(segment)) * sizeof(T);
    void *memory = ::operator new(bytes, std::align_val_t(alignmentOf(bytes)));
    m_segments[std::size_t(segment)] = static_cast<T *>(memory);
    m_capacity += segmentLength(segment);
}

} // namespace cartograph::capture

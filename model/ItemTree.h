#pragma once

// Internal to the model library: the decoded form of one Kubernetes object while it is read.
// A flat vector of nodes plus one text buffer for keys and strings: building an item costs no
// allocation once the buffers have grown, and dropping it is clear(). (nlohmann's value type cost
// a map node per member and a recursive destructor per item: a third of a large load.)

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cartograph::detail {

class ItemTree;

// A read-only handle to one value of an ItemTree; an invalid handle stands for "absent".
class ItemValue
{
public:
    enum class Type : std::uint8_t
    {
        Null,
        Object,
        Array,
        String,
        Boolean,
        Integer,
        Unsigned,
        Float
    };

    ItemValue() = default;
    ItemValue(const ItemTree *tree, std::uint32_t index)
        : m_tree(tree)
        , m_index(index)
    {}

    bool valid() const { return m_tree != nullptr; }
    explicit operator bool() const { return valid(); }
    // Pointer-like use keeps the reader's "absent or present" code short.
    const ItemValue *operator->() const { return this; }
    const ItemValue &operator*() const { return *this; }

    Type type() const;
    bool is_null() const { return type() == Type::Null; }
    bool is_object() const { return type() == Type::Object; }
    bool is_array() const { return type() == Type::Array; }
    bool is_string() const { return type() == Type::String; }
    bool is_boolean() const { return type() == Type::Boolean; }
    bool is_number_integer() const { return type() == Type::Integer || type() == Type::Unsigned; }
    bool is_number_unsigned() const { return type() == Type::Unsigned; }
    bool is_number_float() const { return type() == Type::Float; }
    const char *type_name() const;

    std::string_view string() const;
    bool boolean() const;
    std::int64_t integer() const; // Integer (Unsigned values above INT64_MAX are not integers here)
    std::uint64_t unsignedValue() const;
    double number() const;

    // Object member by name; the last one wins when a key repeats (as in Go's decoder).
    ItemValue member(std::string_view key) const;
    // A short rendering for messages: strings quoted, containers by kind.
    std::string brief() const;

    class Iterator
    {
    public:
        Iterator(const ItemTree *tree, std::uint32_t index)
            : m_tree(tree)
            , m_index(index)
        {}
        ItemValue operator*() const { return ItemValue(m_tree, m_index); }
        Iterator &operator++();
        bool operator==(const Iterator &other) const { return m_index == other.m_index; }
        std::string_view key() const; // object members only
        ItemValue value() const { return ItemValue(m_tree, m_index); }

    private:
        const ItemTree *m_tree;
        std::uint32_t m_index;
    };
    // Children of an array or object, in document order.
    Iterator begin() const;
    Iterator end() const;

private:
    const ItemTree *m_tree = nullptr;
    std::uint32_t m_index = 0;
};

class ItemTree
{
public:
    static constexpr std::uint32_t kNone = UINT32_MAX;

    void clear();
    bool empty() const { return m_nodes.empty(); }
    ItemValue root() const { return empty() ? ItemValue() : ItemValue(this, 0); }

    // Building, in document order. `key` is the member name when the open container is an
    // object, ignored in arrays. beginObject/beginArray open a container that end() closes.
    void addNull(std::string_view key);
    void addBoolean(std::string_view key, bool value);
    void addInteger(std::string_view key, std::int64_t value);
    void addUnsigned(std::string_view key, std::uint64_t value);
    void addFloat(std::string_view key, double value);
    void addString(std::string_view key, std::string_view value);
    void beginObject(std::string_view key);
    void beginArray(std::string_view key);
    void end();
    std::size_t openContainers() const { return m_open.size(); }
    // Name of the member that holds the innermost open container ("" for array elements and
    // for the root).
    std::string_view openKey() const;

private:
    friend class ItemValue;

    struct Node
    {
        ItemValue::Type type = ItemValue::Type::Null;
        std::uint32_t keyOffset = 0;
        std::uint32_t keyLength = 0;
        std::uint32_t nextSibling = kNone;
        std::uint32_t firstChild = kNone; // containers
        union {
            struct
            {
                std::uint32_t offset;
                std::uint32_t length;
            } text;
            std::int64_t integer;
            std::uint64_t unsignedValue;
            double number;
            bool boolean;
        } value{};
    };

    struct Open
    {
        std::uint32_t node;
        std::uint32_t lastChild;
    };

    Node &append(ItemValue::Type type, std::string_view key);
    std::uint32_t store(std::string_view text);
    std::string_view text(std::uint32_t offset, std::uint32_t length) const
    {
        return std::string_view(m_text.data() + offset, length);
    }

    std::vector<Node> m_nodes;
    std::string m_text;
    std::vector<Open> m_open;
};

} // namespace cartograph::detail

#include "ItemTree.h"

#include <cstdio>

namespace cartograph::detail {

ItemValue::Type ItemValue::type() const
{
    return m_tree->m_nodes[m_index].type;
}

const char *ItemValue::type_name() const
{
    switch (type()) {
    case Type::Null:
        return "null";
    case Type::Object:
        return "object";
    case Type::Array:
        return "array";
    case Type::String:
        return "string";
    case Type::Boolean:
        return "boolean";
    case Type::Integer:
    case Type::Unsigned:
    case Type::Float:
        return "number";
    }
    return "null";
}

std::string_view ItemValue::string() const
{
    const auto &node = m_tree->m_nodes[m_index];
    return m_tree->text(node.value.text.offset, node.value.text.length);
}

bool ItemValue::boolean() const
{
    return m_tree->m_nodes[m_index].value.boolean;
}

std::int64_t ItemValue::integer() const
{
    const auto &node = m_tree->m_nodes[m_index];
    return node.type == Type::Unsigned ? std::int64_t(node.value.unsignedValue)
                                       : node.value.integer;
}

std::uint64_t ItemValue::unsignedValue() const
{
    return m_tree->m_nodes[m_index].value.unsignedValue;
}

double ItemValue::number() const
{
    const auto &node = m_tree->m_nodes[m_index];
    switch (node.type) {
    case Type::Integer:
        return double(node.value.integer);
    case Type::Unsigned:
        return double(node.value.unsignedValue);
    default:
        return node.value.number;
    }
}

ItemValue ItemValue::member(std::string_view key) const
{
    const auto &nodes = m_tree->m_nodes;
    if (nodes[m_index].type != Type::Object)
        return {};
    std::uint32_t found = ItemTree::kNone;
    for (std::uint32_t child = nodes[m_index].firstChild; child != ItemTree::kNone;
         child = nodes[child].nextSibling) {
        const auto &node = nodes[child];
        if (node.keyLength == key.size() && m_tree->text(node.keyOffset, node.keyLength) == key)
            found = child;
    }
    return found == ItemTree::kNone ? ItemValue() : ItemValue(m_tree, found);
}

std::string ItemValue::brief() const
{
    switch (type()) {
    case Type::String:
        return '"' + std::string(string()) + '"';
    case Type::Boolean:
        return boolean() ? "true" : "false";
    case Type::Integer:
    case Type::Unsigned:
        return std::to_string(integer());
    case Type::Float: {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g", number());
        return buffer;
    }
    case Type::Null:
        return "null";
    case Type::Object:
        return "an object";
    case Type::Array:
        return "an array";
    }
    return {};
}

ItemValue::Iterator &ItemValue::Iterator::operator++()
{
    m_index = m_tree->m_nodes[m_index].nextSibling;
    return *this;
}

std::string_view ItemValue::Iterator::key() const
{
    const auto &node = m_tree->m_nodes[m_index];
    return m_tree->text(node.keyOffset, node.keyLength);
}

ItemValue::Iterator ItemValue::begin() const
{
    return Iterator(m_tree, m_tree->m_nodes[m_index].firstChild);
}

ItemValue::Iterator ItemValue::end() const
{
    return Iterator(m_tree, ItemTree::kNone);
}

void ItemTree::clear()
{
    m_nodes.clear();
    m_text.clear();
    m_open.clear();
}

std::uint32_t ItemTree::store(std::string_view text)
{
    const auto offset = std::uint32_t(m_text.size());
    m_text.append(text);
    return offset;
}

ItemTree::Node &ItemTree::append(ItemValue::Type type, std::string_view key)
{
    const auto index = std::uint32_t(m_nodes.size());
    Node node;
    node.type = type;
    if (!m_open.empty()) {
        if (m_nodes[m_open.back().node].type == ItemValue::Type::Object) {
            node.keyOffset = store(key);
            node.keyLength = std::uint32_t(key.size());
        }
        Open &parent = m_open.back();
        if (parent.lastChild == kNone)
            m_nodes[parent.node].firstChild = index;
        else
            m_nodes[parent.lastChild].nextSibling = index;
        parent.lastChild = index;
    }
    m_nodes.push_back(node);
    return m_nodes.back();
}

void ItemTree::addNull(std::string_view key)
{
    append(ItemValue::Type::Null, key);
}

void ItemTree::addBoolean(std::string_view key, bool value)
{
    append(ItemValue::Type::Boolean, key).value.boolean = value;
}

void ItemTree::addInteger(std::string_view key, std::int64_t value)
{
    append(ItemValue::Type::Integer, key).value.integer = value;
}

void ItemTree::addUnsigned(std::string_view key, std::uint64_t value)
{
    append(ItemValue::Type::Unsigned, key).value.unsignedValue = value;
}

void ItemTree::addFloat(std::string_view key, double value)
{
    append(ItemValue::Type::Float, key).value.number = value;
}

void ItemTree::addString(std::string_view key, std::string_view value)
{
    Node &node = append(ItemValue::Type::String, key);
    // append() may have stored the key; the node reference is still valid (no push since).
    node.value.text.offset = store(value);
    node.value.text.length = std::uint32_t(value.size());
}

void ItemTree::beginObject(std::string_view key)
{
    append(ItemValue::Type::Object, key);
    m_open.push_back(Open{std::uint32_t(m_nodes.size() - 1), kNone});
}

void ItemTree::beginArray(std::string_view key)
{
    append(ItemValue::Type::Array, key);
    m_open.push_back(Open{std::uint32_t(m_nodes.size() - 1), kNone});
}

void ItemTree::end()
{
    m_open.pop_back();
}

std::string_view ItemTree::openKey() const
{
    if (m_open.empty())
        return {};
    const Node &node = m_nodes[m_open.back().node];
    return text(node.keyOffset, node.keyLength);
}

} // namespace cartograph::detail

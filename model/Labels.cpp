#include "Labels.h"

#include <algorithm>

namespace cartograph {

Labels::Labels(std::initializer_list<Entry> entries)
{
    for (const auto &entry : entries)
        insert(entry.first, entry.second);
}

void Labels::insert(const QString &key, const QString &value)
{
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), key,
                               [](const Entry &e, const QString &k) { return e.first < k; });
    if (it != m_entries.end() && it->first == key)
        it->second = value;
    else
        m_entries.insert(it, Entry{key, value});
}

std::optional<QString> Labels::value(QStringView key) const
{
    if (const QString *found = find(key))
        return *found;
    return std::nullopt;
}

const QString *Labels::find(QStringView key) const
{
    const auto it =
        std::lower_bound(m_entries.cbegin(), m_entries.cend(), key,
                         [](const Entry &e, QStringView k) { return QStringView(e.first) < k; });
    if (it != m_entries.cend() && it->first == key)
        return &it->second;
    return nullptr;
}

QString Labels::toString() const
{
    QStringList parts;
    parts.reserve(m_entries.size());
    for (const auto &[key, value] : m_entries)
        parts.append(key + u'=' + value);
    return parts.join(u',');
}

bool LabelSelector::matches(const Labels &labels) const
{
    for (const auto &[key, value] : matchLabels) {
        const auto actual = labels.value(key);
        if (!actual || *actual != value)
            return false;
    }
    for (const auto &requirement : matchExpressions) {
        const auto actual = labels.value(requirement.key);
        switch (requirement.op) {
        case LabelSelectorRequirement::Operator::In:
            if (!actual || !requirement.values.contains(*actual))
                return false;
            break;
        case LabelSelectorRequirement::Operator::NotIn:
            // A missing key satisfies NotIn, as in apimachinery's labels.Selector.
            if (actual && requirement.values.contains(*actual))
                return false;
            break;
        case LabelSelectorRequirement::Operator::Exists:
            if (!actual)
                return false;
            break;
        case LabelSelectorRequirement::Operator::DoesNotExist:
            if (actual)
                return false;
            break;
        }
    }
    return true;
}

QString LabelSelector::toString() const
{
    QStringList parts;
    for (const auto &[key, value] : matchLabels)
        parts.append(key + u'=' + value);
    for (const auto &r : matchExpressions) {
        switch (r.op) {
        case LabelSelectorRequirement::Operator::In:
            parts.append(r.key + QStringLiteral(" in (") + r.values.join(u',') + u')');
            break;
        case LabelSelectorRequirement::Operator::NotIn:
            parts.append(r.key + QStringLiteral(" notin (") + r.values.join(u',') + u')');
            break;
        case LabelSelectorRequirement::Operator::Exists:
            parts.append(r.key);
            break;
        case LabelSelectorRequirement::Operator::DoesNotExist:
            parts.append(u'!' + r.key);
            break;
        }
    }
    return parts.join(u',');
}

QString operatorName(LabelSelectorRequirement::Operator op)
{
    switch (op) {
    case LabelSelectorRequirement::Operator::In:
        return QStringLiteral("In");
    case LabelSelectorRequirement::Operator::NotIn:
        return QStringLiteral("NotIn");
    case LabelSelectorRequirement::Operator::Exists:
        return QStringLiteral("Exists");
    case LabelSelectorRequirement::Operator::DoesNotExist:
        return QStringLiteral("DoesNotExist");
    }
    return {};
}

std::optional<LabelSelectorRequirement::Operator> operatorFromName(QStringView name)
{
    using Op = LabelSelectorRequirement::Operator;
    if (name == u"In")
        return Op::In;
    if (name == u"NotIn")
        return Op::NotIn;
    if (name == u"Exists")
        return Op::Exists;
    if (name == u"DoesNotExist")
        return Op::DoesNotExist;
    return std::nullopt;
}

} // namespace cartograph

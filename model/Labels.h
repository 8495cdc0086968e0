#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>
#include <utility>

namespace cartograph {

// Kubernetes labels: a map kept as a vector sorted by key (small, cache friendly, cheap to copy).
class Labels
{
public:
    using Entry = std::pair<QString, QString>;

    Labels() = default;
    Labels(std::initializer_list<Entry> entries);

    void insert(const QString &key, const QString &value); // replaces an existing key
    std::optional<QString> value(QStringView key) const;
    // The value without a copy (no reference count touched: cheap from many threads); null when
    // the key is absent. Valid while the labels are unchanged.
    const QString *find(QStringView key) const;
    bool contains(QStringView key) const { return value(key).has_value(); }
    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }
    const QList<Entry> &entries() const { return m_entries; }
    auto begin() const { return m_entries.begin(); }
    auto end() const { return m_entries.end(); }
    QString toString() const; // "a=b,c=d" as kubectl prints them

    friend bool operator==(const Labels &, const Labels &) = default;

private:
    QList<Entry> m_entries;
};

struct LabelSelectorRequirement
{
    enum class Operator
    {
        In,
        NotIn,
        Exists,
        DoesNotExist
    };
    QString key;
    Operator op = Operator::In;
    QStringList values;

    friend bool operator==(const LabelSelectorRequirement &,
                           const LabelSelectorRequirement &) = default;
};

// metav1.LabelSelector. An empty selector matches everything; a null one (absent field) is
// represented by std::optional<LabelSelector> at the use site, because its meaning differs.
struct LabelSelector
{
    Labels matchLabels;
    QList<LabelSelectorRequirement> matchExpressions;

    bool isEmpty() const { return matchLabels.isEmpty() && matchExpressions.isEmpty(); }
    bool matches(const Labels &labels) const;
    QString toString() const; // kubectl-style "app=db,tier in (a,b),!debug"

    friend bool operator==(const LabelSelector &, const LabelSelector &) = default;
};

QString operatorName(LabelSelectorRequirement::Operator op);
std::optional<LabelSelectorRequirement::Operator> operatorFromName(QStringView name);

} // namespace cartograph

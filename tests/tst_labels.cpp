// Labels (a sorted small map) and metav1.LabelSelector matching, as apimachinery's
// labels.Selector defines it: matchLabels AND every matchExpression; NotIn and DoesNotExist are
// satisfied by a missing key; an empty selector matches everything.

#include "Labels.h"

#include <QTest>

using namespace cartograph;
using Op = LabelSelectorRequirement::Operator;

Q_DECLARE_METATYPE(cartograph::Labels)
Q_DECLARE_METATYPE(cartograph::LabelSelector)
Q_DECLARE_METATYPE(cartograph::LabelSelectorRequirement::Operator)

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

LabelSelectorRequirement requirement(const char *key, Op op, QStringList values = {})
{
    LabelSelectorRequirement r;
    r.key = s(key);
    r.op = op;
    r.values = std::move(values);
    return r;
}

LabelSelector selector(Labels matchLabels, QList<LabelSelectorRequirement> expressions = {})
{
    LabelSelector sel;
    sel.matchLabels = std::move(matchLabels);
    sel.matchExpressions = std::move(expressions);
    return sel;
}

QStringList keysOf(const Labels &labels)
{
    QStringList keys;
    for (const auto &[key, value] : labels)
        keys.append(key);
    return keys;
}

} // namespace

class TestLabels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyLabels();
    void insertKeepsKeysSorted_data();
    void insertKeepsKeysSorted();
    void insertReplaces();
    void initializerListLastWins();
    void value_data();
    void value();
    void equalityIgnoresInsertionOrder();
    void labelsToString_data();
    void labelsToString();
    void matches_data();
    void matches();
    void selectorToString_data();
    void selectorToString();
    void operatorNames_data();
    void operatorNames();
    void operatorFromUnknownName_data();
    void operatorFromUnknownName();
};

void TestLabels::emptyLabels()
{
    const Labels labels;
    QVERIFY(labels.isEmpty());
    QCOMPARE(labels.size(), 0);
    QVERIFY(labels.toString().isEmpty());
    QVERIFY(!labels.value(u"app"));
    QVERIFY(!labels.contains(u""));
    QVERIFY(labels.begin() == labels.end());
    QCOMPARE(labels, Labels{});
}

void TestLabels::insertKeepsKeysSorted_data()
{
    QTest::addColumn<QStringList>("insertOrder");
    QTest::addColumn<QStringList>("sortedKeys");

    QTest::newRow("already sorted")
        << QStringList{s("a"), s("b"), s("c")} << QStringList{s("a"), s("b"), s("c")};
    QTest::newRow("reversed") << QStringList{s("c"), s("b"), s("a")}
                              << QStringList{s("a"), s("b"), s("c")};
    QTest::newRow("middle last") << QStringList{s("tier"), s("app"), s("env")}
                                 << QStringList{s("app"), s("env"), s("tier")};
    // Code-unit order: upper case before lower case, '.' and '/' before letters.
    QTest::newRow("case and punctuation")
        << QStringList{s("app"), s("App"), s("app.kubernetes.io/name"), s("a/b"), s("app-x")}
        << QStringList{s("App"), s("a/b"), s("app"), s("app-x"), s("app.kubernetes.io/name")};
    QTest::newRow("prefixes") << QStringList{s("kubernetes.io/os"), s("kubernetes.io"),
                                             s("kubernetes.io/arch")}
                              << QStringList{s("kubernetes.io"), s("kubernetes.io/arch"),
                                             s("kubernetes.io/os")};
    QTest::newRow("duplicates collapse")
        << QStringList{s("b"), s("a"), s("b"), s("a")} << QStringList{s("a"), s("b")};
    QTest::newRow("empty key") << QStringList{s("x"), s("")} << QStringList{s(""), s("x")};
}

void TestLabels::insertKeepsKeysSorted()
{
    QFETCH(QStringList, insertOrder);
    QFETCH(QStringList, sortedKeys);
    Labels labels;
    for (const QString &key : std::as_const(insertOrder))
        labels.insert(key, key + QStringLiteral("-value"));
    QCOMPARE(keysOf(labels), sortedKeys);
    QCOMPARE(labels.size(), sortedKeys.size());
    for (const QString &key : std::as_const(sortedKeys)) {
        QVERIFY(labels.contains(key));
        QCOMPARE(labels.value(key), std::optional<QString>(key + QStringLiteral("-value")));
    }
}

void TestLabels::insertReplaces()
{
    Labels labels;
    labels.insert(s("app"), s("web"));
    labels.insert(s("tier"), s("frontend"));
    labels.insert(s("app"), s("api"));
    QCOMPARE(labels.size(), 2);
    QCOMPARE(labels.value(u"app"), std::optional<QString>(s("api")));
    QCOMPARE(labels.toString(), s("app=api,tier=frontend"));
    labels.insert(s("app"), QString());
    QCOMPARE(labels.size(), 2);
    QCOMPARE(labels.value(u"app"), std::optional<QString>(QString()));
    QVERIFY(labels.contains(u"app"));
}

void TestLabels::initializerListLastWins()
{
    const Labels labels{{s("tier"), s("a")}, {s("app"), s("web")}, {s("tier"), s("b")}};
    QCOMPARE(labels.size(), 2);
    QCOMPARE(labels.entries().at(0), Labels::Entry(s("app"), s("web")));
    QCOMPARE(labels.entries().at(1), Labels::Entry(s("tier"), s("b")));
}

void TestLabels::value_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("present");
    QTest::addColumn<QString>("expected");

    QTest::newRow("first") << s("app") << true << s("web");
    QTest::newRow("last") << s("version") << true << s("v2");
    QTest::newRow("middle, qualified") << s("app.kubernetes.io/name") << true << s("shop");
    QTest::newRow("empty value is present") << s("canary") << true << QString();
    QTest::newRow("missing before all") << s("aaa") << false << QString();
    QTest::newRow("missing after all") << s("zzz") << false << QString();
    QTest::newRow("missing between") << s("b") << false << QString();
    QTest::newRow("case matters") << s("App") << false << QString();
    QTest::newRow("prefix of a key") << s("app.kubernetes.io") << false << QString();
    QTest::newRow("key with extra") << s("apps") << false << QString();
    QTest::newRow("empty key") << QString() << false << QString();
    QTest::newRow("value is not a key") << s("web") << false << QString();
}

void TestLabels::value()
{
    QFETCH(QString, key);
    QFETCH(bool, present);
    QFETCH(QString, expected);
    const Labels labels{{s("version"), s("v2")},
                        {s("app.kubernetes.io/name"), s("shop")},
                        {s("canary"), QString()},
                        {s("app"), s("web")}};
    const auto actual = labels.value(key);
    QCOMPARE(actual.has_value(), present);
    QCOMPARE(labels.contains(key), present);
    if (present)
        QCOMPARE(*actual, expected);
}

void TestLabels::equalityIgnoresInsertionOrder()
{
    Labels a;
    a.insert(s("app"), s("web"));
    a.insert(s("tier"), s("frontend"));
    Labels b;
    b.insert(s("tier"), s("frontend"));
    b.insert(s("app"), s("web"));
    QCOMPARE(a, b);
    b.insert(s("tier"), s("backend"));
    QVERIFY(a != b);
    Labels c = a;
    c.insert(s("extra"), QString());
    QVERIFY(a != c);
}

void TestLabels::labelsToString_data()
{
    QTest::addColumn<Labels>("labels");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << Labels{} << QString();
    QTest::newRow("one") << Labels{{s("app"), s("web")}} << s("app=web");
    QTest::newRow("sorted by key")
        << Labels{{s("tier"), s("fe")}, {s("app"), s("web")}} << s("app=web,tier=fe");
    QTest::newRow("empty value") << Labels{{s("canary"), QString()}, {s("app"), s("web")}}
                                 << s("app=web,canary=");
    QTest::newRow("qualified keys")
        << Labels{{s("kubernetes.io/os"), s("linux")}, {s("k8s-app"), s("kube-dns")}}
        << s("k8s-app=kube-dns,kubernetes.io/os=linux");
}

void TestLabels::labelsToString()
{
    QFETCH(Labels, labels);
    QFETCH(QString, expected);
    QCOMPARE(labels.toString(), expected);
}

void TestLabels::matches_data()
{
    QTest::addColumn<LabelSelector>("selector");
    QTest::addColumn<Labels>("labels");
    QTest::addColumn<bool>("matches");

    const Labels web{{s("app"), s("web")}, {s("tier"), s("frontend")}, {s("env"), s("prod")}};
    const Labels db{{s("app"), s("db")}, {s("tier"), s("backend")}};
    const Labels withEmpty{{s("app"), s("web")}, {s("canary"), QString()}};
    const Labels none;

    // Empty selector.
    QTest::newRow("empty selector, labelled pod") << LabelSelector{} << web << true;
    QTest::newRow("empty selector, unlabelled pod") << LabelSelector{} << none << true;

    // matchLabels.
    QTest::newRow("matchLabels equal") << selector({{s("app"), s("web")}}) << web << true;
    QTest::newRow("matchLabels other value") << selector({{s("app"), s("web")}}) << db << false;
    QTest::newRow("matchLabels key missing") << selector({{s("env"), s("prod")}}) << db << false;
    QTest::newRow("matchLabels on unlabelled pod")
        << selector({{s("app"), s("web")}}) << none << false;
    QTest::newRow("matchLabels all of two")
        << selector({{s("app"), s("web")}, {s("env"), s("prod")}}) << web << true;
    QTest::newRow("matchLabels one of two wrong")
        << selector({{s("app"), s("web")}, {s("env"), s("dev")}}) << web << false;
    QTest::newRow("matchLabels case sensitive value")
        << selector({{s("app"), s("Web")}}) << web << false;
    QTest::newRow("matchLabels case sensitive key")
        << selector({{s("App"), s("web")}}) << web << false;
    QTest::newRow("matchLabels empty value matches empty")
        << selector({{s("canary"), QString()}}) << withEmpty << true;
    QTest::newRow("matchLabels empty value needs the key")
        << selector({{s("canary"), QString()}}) << web << false;
    QTest::newRow("matchLabels value is not a prefix")
        << selector({{s("app"), s("we")}}) << web << false;

    // In.
    QTest::newRow("In, value listed")
        << selector({}, {requirement("tier", Op::In, {s("frontend"), s("cache")})}) << web << true;
    QTest::newRow("In, single value")
        << selector({}, {requirement("app", Op::In, {s("db")})}) << db << true;
    QTest::newRow("In, value not listed")
        << selector({}, {requirement("tier", Op::In, {s("cache"), s("queue")})}) << web << false;
    QTest::newRow("In, key missing")
        << selector({}, {requirement("zone", Op::In, {s("a"), s("b")})}) << web << false;
    QTest::newRow("In, empty values")
        << selector({}, {requirement("app", Op::In, {})}) << web << false;
    QTest::newRow("In, empty value listed")
        << selector({}, {requirement("canary", Op::In, {QString()})}) << withEmpty << true;
    QTest::newRow("In, value is a prefix of a listed one")
        << selector({}, {requirement("app", Op::In, {s("webapp")})}) << web << false;

    // NotIn: a missing key satisfies it.
    QTest::newRow("NotIn, value listed")
        << selector({}, {requirement("env", Op::NotIn, {s("prod"), s("staging")})}) << web << false;
    QTest::newRow("NotIn, value not listed")
        << selector({}, {requirement("env", Op::NotIn, {s("dev")})}) << web << true;
    QTest::newRow("NotIn, key missing")
        << selector({}, {requirement("env", Op::NotIn, {s("prod")})}) << db << true;
    QTest::newRow("NotIn, unlabelled pod")
        << selector({}, {requirement("env", Op::NotIn, {s("prod")})}) << none << true;
    QTest::newRow("NotIn, empty value listed")
        << selector({}, {requirement("canary", Op::NotIn, {QString()})}) << withEmpty << false;

    // Exists / DoesNotExist: values are ignored.
    QTest::newRow("Exists, present")
        << selector({}, {requirement("tier", Op::Exists)}) << web << true;
    QTest::newRow("Exists, present with empty value")
        << selector({}, {requirement("canary", Op::Exists)}) << withEmpty << true;
    QTest::newRow("Exists, missing")
        << selector({}, {requirement("env", Op::Exists)}) << db << false;
    QTest::newRow("Exists, unlabelled pod")
        << selector({}, {requirement("app", Op::Exists)}) << none << false;
    QTest::newRow("DoesNotExist, missing")
        << selector({}, {requirement("env", Op::DoesNotExist)}) << db << true;
    QTest::newRow("DoesNotExist, present")
        << selector({}, {requirement("env", Op::DoesNotExist)}) << web << false;
    QTest::newRow("DoesNotExist, present with empty value")
        << selector({}, {requirement("canary", Op::DoesNotExist)}) << withEmpty << false;
    QTest::newRow("DoesNotExist, unlabelled pod")
        << selector({}, {requirement("app", Op::DoesNotExist)}) << none << true;

    // AND of everything.
    QTest::newRow("matchLabels and expression both hold")
        << selector({{s("app"), s("web")}}, {requirement("env", Op::In, {s("prod")})}) << web
        << true;
    QTest::newRow("matchLabels holds, expression fails")
        << selector({{s("app"), s("web")}}, {requirement("env", Op::In, {s("dev")})}) << web
        << false;
    QTest::newRow("expression holds, matchLabels fails")
        << selector({{s("app"), s("db")}}, {requirement("env", Op::In, {s("prod")})}) << web
        << false;
    QTest::newRow("three expressions hold")
        << selector({}, {requirement("app", Op::Exists), requirement("debug", Op::DoesNotExist),
                         requirement("tier", Op::NotIn, {s("backend")})})
        << web << true;
    QTest::newRow("last of three expressions fails")
        << selector({}, {requirement("app", Op::Exists), requirement("debug", Op::DoesNotExist),
                         requirement("tier", Op::NotIn, {s("frontend")})})
        << web << false;
    QTest::newRow("first of three expressions fails")
        << selector({}, {requirement("zone", Op::Exists), requirement("debug", Op::DoesNotExist),
                         requirement("tier", Op::NotIn, {s("backend")})})
        << web << false;
    QTest::newRow("contradiction Exists and DoesNotExist")
        << selector({}, {requirement("app", Op::Exists), requirement("app", Op::DoesNotExist)})
        << web << false;
    QTest::newRow("In and NotIn on the same key")
        << selector({}, {requirement("app", Op::In, {s("web"), s("db")}),
                         requirement("app", Op::NotIn, {s("db")})})
        << web << true;
    QTest::newRow("In and NotIn on the same key, excluded")
        << selector({}, {requirement("app", Op::In, {s("web"), s("db")}),
                         requirement("app", Op::NotIn, {s("db")})})
        << db << false;
}

void TestLabels::matches()
{
    QFETCH(LabelSelector, selector);
    QFETCH(Labels, labels);
    QFETCH(bool, matches);
    QCOMPARE(selector.matches(labels), matches);
}

void TestLabels::selectorToString_data()
{
    QTest::addColumn<LabelSelector>("selector");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("empty");

    QTest::newRow("empty") << LabelSelector{} << QString() << true;
    QTest::newRow("matchLabels") << selector({{s("tier"), s("fe")}, {s("app"), s("web")}})
                                 << s("app=web,tier=fe") << false;
    QTest::newRow("In") << selector({}, {requirement("tier", Op::In, {s("a"), s("b")})})
                        << s("tier in (a,b)") << false;
    QTest::newRow("NotIn") << selector({}, {requirement("env", Op::NotIn, {s("dev")})})
                           << s("env notin (dev)") << false;
    QTest::newRow("Exists") << selector({}, {requirement("app", Op::Exists)}) << s("app") << false;
    QTest::newRow("DoesNotExist") << selector({}, {requirement("debug", Op::DoesNotExist)})
                                  << s("!debug") << false;
    QTest::newRow("header example")
        << selector({{s("app"), s("db")}}, {requirement("tier", Op::In, {s("a"), s("b")}),
                                            requirement("debug", Op::DoesNotExist)})
        << s("app=db,tier in (a,b),!debug") << false;
    QTest::newRow("expressions keep their order")
        << selector({}, {requirement("z", Op::Exists), requirement("a", Op::Exists)}) << s("z,a")
        << false;
}

void TestLabels::selectorToString()
{
    QFETCH(LabelSelector, selector);
    QFETCH(QString, expected);
    QFETCH(bool, empty);
    QCOMPARE(selector.toString(), expected);
    QCOMPARE(selector.isEmpty(), empty);
}

void TestLabels::operatorNames_data()
{
    QTest::addColumn<Op>("op");
    QTest::addColumn<QString>("name");

    QTest::newRow("In") << Op::In << s("In");
    QTest::newRow("NotIn") << Op::NotIn << s("NotIn");
    QTest::newRow("Exists") << Op::Exists << s("Exists");
    QTest::newRow("DoesNotExist") << Op::DoesNotExist << s("DoesNotExist");
}

void TestLabels::operatorNames()
{
    QFETCH(Op, op);
    QFETCH(QString, name);
    QCOMPARE(operatorName(op), name);
    const auto parsed = operatorFromName(name);
    QVERIFY(parsed);
    QCOMPARE(*parsed, op);
    QCOMPARE(operatorName(*operatorFromName(operatorName(op))), name);
}

void TestLabels::operatorFromUnknownName_data()
{
    QTest::addColumn<QString>("name");

    // The API's operator names are case sensitive; Gt/Lt belong to node selectors only.
    QTest::newRow("empty") << QString();
    QTest::newRow("lower case in") << s("in");
    QTest::newRow("upper case") << s("IN");
    QTest::newRow("kubectl notin") << s("notin");
    QTest::newRow("lower case exists") << s("exists");
    QTest::newRow("leading space") << s(" In");
    QTest::newRow("trailing space") << s("Exists ");
    QTest::newRow("node selector Gt") << s("Gt");
    QTest::newRow("node selector Lt") << s("Lt");
    QTest::newRow("symbol") << s("!=");
    QTest::newRow("prefix") << s("DoesNot");
    QTest::newRow("suffix") << s("NotInn");
}

void TestLabels::operatorFromUnknownName()
{
    QFETCH(QString, name);
    QVERIFY(!operatorFromName(name).has_value());
}

QTEST_GUILESS_MAIN(TestLabels)
#include "tst_labels.moc"

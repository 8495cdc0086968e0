#include "SceneDiff.h"

#include <QHash>
#include <QStringView>
#include <optional>

namespace cartograph::diagram {

namespace {

// Views into the scenes' strings: the keys live only while both scenes are being compared.
struct ShapeKey
{
    ShapeKind kind = ShapeKind::Pod;
    bool topLevel = true; // the services' namespace band, not a namespace group inside a node
    QStringView group;
    QStringView label;
    QStringView parentLabel; // the node box's name
    qsizetype ordinal = 0;   // among shapes with an equal key, in index order

    friend bool operator==(const ShapeKey &a, const ShapeKey &b)
    {
        return a.kind == b.kind && a.topLevel == b.topLevel && a.ordinal == b.ordinal &&
               a.label == b.label && a.group == b.group && a.parentLabel == b.parentLabel;
    }
    friend size_t qHash(const ShapeKey &key, size_t seed = 0) noexcept
    {
        return qHashMulti(seed, int(key.kind), key.topLevel, key.group, key.label, key.parentLabel,
                          key.ordinal);
    }
};

// Ends are shape indices of the newer scene (an older edge's ends mapped through the shape
// match), so an edge matches when it joins the same two objects.
struct EdgeKey
{
    EdgeKind kind = EdgeKind::ServiceEndpoint;
    qsizetype from = -1;
    qsizetype to = -1;
    qsizetype ordinal = 0;

    friend bool operator==(const EdgeKey &a, const EdgeKey &b)
    {
        return a.kind == b.kind && a.from == b.from && a.to == b.to && a.ordinal == b.ordinal;
    }
    friend size_t qHash(const EdgeKey &key, size_t seed = 0) noexcept
    {
        return qHashMulti(seed, int(key.kind), key.from, key.to, key.ordinal);
    }
};

struct Slot
{
    qsizetype index = -1;
};

// Old index → new index (-1: unmatched). Items with equal keys pair up in index order: the
// second old one with the second new one. Keys are counted only when they repeat, which is
// rare (underlay bars), so this stays one hash insert and one lookup per item.
template <typename Key, typename OldKey, typename NewKey>
QList<qsizetype> matchByKey(qsizetype oldCount, qsizetype newCount, OldKey oldKey, NewKey newKey)
{
    QList<qsizetype> oldToNew(oldCount, -1);
    QHash<Key, Slot> byKey;
    byKey.reserve(oldCount);
    QHash<Key, qsizetype> repeats;
    for (qsizetype i = 0; i < oldCount; ++i) {
        std::optional<Key> key = oldKey(i);
        if (!key)
            continue;
        Slot &slot = byKey[*key];
        if (slot.index < 0) {
            slot.index = i;
            continue;
        }
        const qsizetype ordinal = ++repeats[*key];
        key->ordinal = ordinal;
        byKey[*key].index = i;
    }
    repeats.clear();
    for (qsizetype j = 0; j < newCount; ++j) {
        std::optional<Key> key = newKey(j);
        if (!key)
            continue;
        auto it = byKey.constFind(*key);
        if (it == byKey.cend())
            continue;
        if (oldToNew[it->index] >= 0) {
            // The first old one with this key is taken: this is a later one of equal keys.
            const qsizetype ordinal = ++repeats[*key];
            key->ordinal = ordinal;
            it = byKey.constFind(*key);
            if (it == byKey.cend())
                continue;
        }
        oldToNew[it->index] = j;
    }
    return oldToNew;
}

ShapeKey shapeKey(const QList<Shape> &shapes, qsizetype index)
{
    const Shape &shape = shapes[index];
    const bool nested = shape.parent >= 0 && shape.parent < shapes.size();
    return ShapeKey{shape.kind, !nested, shape.group, shape.label,
                    nested ? QStringView(shapes[shape.parent].label) : QStringView()};
}

// Everything DiagramPainter draws a shape from.
bool drawnAlike(const Shape &a, const Shape &b)
{
    return a.rect == b.rect && a.flags == b.flags && a.label == b.label && a.detail == b.detail;
}

void appendEdgeRects(QList<QRectF> &dirty, const Edge &edge, bool withLabel)
{
    for (qsizetype i = 1; i < edge.path.size(); ++i)
        dirty.append(QRectF(edge.path[i - 1], edge.path[i]).normalized());
    if (withLabel)
        dirty.append(edgeLabelRect(edge));
}

} // namespace

SceneDiff diffScenes(const TopologyScene &before, const TopologyScene &after)
{
    SceneDiff diff;
    const QList<Shape> &oldShapes = before.shapes();
    const QList<Shape> &newShapes = after.shapes();
    diff.shapeMap = matchByKey<ShapeKey>(
        oldShapes.size(), newShapes.size(),
        [&](qsizetype i) { return std::optional(shapeKey(oldShapes, i)); },
        [&](qsizetype j) { return std::optional(shapeKey(newShapes, j)); });

    QList<bool> newShapeMatched(newShapes.size(), false);
    for (qsizetype i = 0; i < oldShapes.size(); ++i) {
        const qsizetype j = diff.shapeMap[i];
        if (j < 0) {
            diff.dirty.append(oldShapes[i].rect);
            continue;
        }
        newShapeMatched[j] = true;
        if (drawnAlike(oldShapes[i], newShapes[j]))
            continue;
        diff.dirty.append(oldShapes[i].rect);
        if (newShapes[j].rect != oldShapes[i].rect)
            diff.dirty.append(newShapes[j].rect);
    }
    for (qsizetype j = 0; j < newShapes.size(); ++j) {
        if (!newShapeMatched[j])
            diff.dirty.append(newShapes[j].rect);
    }

    const QList<Edge> &oldEdges = before.edges();
    const QList<Edge> &newEdges = after.edges();
    const auto mapped = [&](qsizetype shape) -> std::optional<qsizetype> {
        if (shape < 0 || shape >= diff.shapeMap.size())
            return qsizetype(-1); // no shape at this end in either scene
        const qsizetype to = diff.shapeMap[shape];
        return to >= 0 ? std::optional(to) : std::nullopt;
    };
    const QList<qsizetype> edgeMap = matchByKey<EdgeKey>(
        oldEdges.size(), newEdges.size(),
        [&](qsizetype i) -> std::optional<EdgeKey> {
            const Edge &edge = oldEdges[i];
            const std::optional<qsizetype> from = mapped(edge.from);
            const std::optional<qsizetype> to = mapped(edge.to);
            if (!from || !to)
                return std::nullopt; // an end is gone, so is the edge
            return EdgeKey{edge.kind, *from, *to};
        },
        [&](qsizetype j) -> std::optional<EdgeKey> {
            const Edge &edge = newEdges[j];
            const auto valid = [&](qsizetype s) { return s >= 0 && s < newShapes.size() ? s : -1; };
            return EdgeKey{edge.kind, valid(edge.from), valid(edge.to)};
        });

    QList<bool> newEdgeMatched(newEdges.size(), false);
    for (qsizetype i = 0; i < oldEdges.size(); ++i) {
        const Edge &old = oldEdges[i];
        const qsizetype j = edgeMap[i];
        if (j < 0) {
            appendEdgeRects(diff.dirty, old, !old.label.isEmpty());
            continue;
        }
        newEdgeMatched[j] = true;
        const Edge &now = newEdges[j];
        const bool samePath = old.path == now.path;
        if (samePath && old.label == now.label)
            continue;
        if (samePath) {
            // Only the label changed: its box is where it was (it follows the path).
            appendEdgeRects(diff.dirty, old, true);
            continue;
        }
        appendEdgeRects(diff.dirty, old, !old.label.isEmpty());
        appendEdgeRects(diff.dirty, now, !now.label.isEmpty());
    }
    for (qsizetype j = 0; j < newEdges.size(); ++j) {
        if (!newEdgeMatched[j])
            appendEdgeRects(diff.dirty, newEdges[j], !newEdges[j].label.isEmpty());
    }

    if (before.title() != after.title() || before.titleRect() != after.titleRect() ||
        before.legend() != after.legend()) {
        diff.dirty.append(before.titleRect());
        if (after.titleRect() != before.titleRect())
            diff.dirty.append(after.titleRect());
    }
    diff.boundsChanged = before.bounds() != after.bounds();
    return diff;
}

} // namespace cartograph::diagram

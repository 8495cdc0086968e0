#include "TopologyScene.h"

#include "DiagramMetrics.h"
#include "Geometry.h"
#include "SpatialGrid.h"

#include <QRegularExpression>
#include <algorithm>
#include <array>
#include <numeric>

namespace cartograph::diagram {

namespace {

// Label box size used for exposure and hit tests; the painter elides labels to fit it.
constexpr qreal kEdgeLabelWidth = 220.0;
constexpr qreal kEdgeLabelHeight = 18.0;
// Edges are thin lines: a query rectangle is widened by this much so a stroke that
// straddles the rectangle's border still counts.
constexpr qreal kEdgeSlack = 4.0;

bool rectsTouch(const QRectF &a, const QRectF &b)
{
    // Unlike QRectF::intersects, also true for zero-width or zero-height rectangles.
    return a.left() <= b.right() && b.left() <= a.right() && a.top() <= b.bottom() &&
           b.top() <= a.bottom();
}

bool edgeTouches(const Edge &edge, const QRectF &rect)
{
    const QRectF wide = rect.adjusted(-kEdgeSlack, -kEdgeSlack, kEdgeSlack, kEdgeSlack);
    for (qsizetype i = 1; i < edge.path.size(); ++i) {
        if (segmentCrossesRect(edge.path[i - 1], edge.path[i], wide))
            return true;
    }
    return !edge.label.isEmpty() && rectsTouch(edgeLabelRect(edge), rect);
}

} // namespace

QString shapeKindName(ShapeKind kind)
{
    switch (kind) {
    case ShapeKind::Node:
        return QStringLiteral("node");
    case ShapeKind::Interface:
        return QStringLiteral("interface");
    case ShapeKind::Bridge:
        return QStringLiteral("bridge");
    case ShapeKind::Tunnel:
        return QStringLiteral("tunnel");
    case ShapeKind::Veth:
        return QStringLiteral("veth");
    case ShapeKind::Pod:
        return QStringLiteral("pod");
    case ShapeKind::HostNetworkPod:
        return QStringLiteral("host-network-pod");
    case ShapeKind::Service:
        return QStringLiteral("service");
    case ShapeKind::Namespace:
        return QStringLiteral("namespace");
    case ShapeKind::Underlay:
        return QStringLiteral("underlay");
    }
    return {};
}

QString edgeKindName(EdgeKind kind)
{
    switch (kind) {
    case EdgeKind::VethToBridge:
        return QStringLiteral("veth-to-bridge");
    case EdgeKind::PodToVeth:
        return QStringLiteral("pod-to-veth");
    case EdgeKind::Overlay:
        return QStringLiteral("overlay");
    case EdgeKind::ServiceEndpoint:
        return QStringLiteral("service-endpoint");
    case EdgeKind::HostNetwork:
        return QStringLiteral("host-network");
    case EdgeKind::Underlay:
        return QStringLiteral("underlay");
    }
    return {};
}

QPointF edgeLabelAnchor(const Edge &edge)
{
    if (edge.path.isEmpty())
        return {};
    qsizetype best = 0;
    qreal bestLength = -1.0;
    for (qsizetype i = 1; i < edge.path.size(); ++i) {
        const QPointF d = edge.path[i] - edge.path[i - 1];
        const qreal length = std::abs(d.x()) + std::abs(d.y());
        if (length > bestLength) {
            bestLength = length;
            best = i;
        }
    }
    if (best == 0)
        return edge.path.first();
    return (edge.path[best - 1] + edge.path[best]) / 2.0;
}

QRectF edgeLabelRect(const Edge &edge)
{
    const QPointF anchor = edgeLabelAnchor(edge);
    // The label sits just above a horizontal segment, centred on the anchor.
    return QRectF(anchor.x() - kEdgeLabelWidth / 2, anchor.y() - kEdgeLabelHeight - 1,
                  kEdgeLabelWidth, kEdgeLabelHeight);
}

TopologyScene::TopologyScene() = default;
TopologyScene::~TopologyScene() = default;
TopologyScene::TopologyScene(TopologyScene &&) noexcept = default;
TopologyScene &TopologyScene::operator=(TopologyScene &&) noexcept = default;

QStringList TopologyScene::legend() const
{
    QStringList result;
    result.reserve(m_legend.size());
    for (const auto &entry : m_legend)
        result.append(entry.text);
    return result;
}

int TopologyScene::paintLayer(ShapeKind kind)
{
    switch (kind) {
    case ShapeKind::Node:
    case ShapeKind::Underlay:
        return 0;
    case ShapeKind::Namespace:
        return 1;
    case ShapeKind::Interface:
    case ShapeKind::Bridge:
    case ShapeKind::Tunnel:
    case ShapeKind::Veth:
        return 2;
    case ShapeKind::Pod:
    case ShapeKind::HostNetworkPod:
        return 3;
    case ShapeKind::Service:
        return 4;
    }
    return 4;
}

qsizetype TopologyScene::addShape(Shape shape)
{
    m_shapes.append(std::move(shape));
    return m_shapes.size() - 1;
}

qsizetype TopologyScene::addEdge(Edge edge)
{
    Q_ASSERT(edge.path.size() >= 2);
    m_edges.append(std::move(edge));
    return m_edges.size() - 1;
}

void TopologyScene::finish(const QString &title, const QList<LegendEntry> &legend,
                           const QRectF &titleRect)
{
    m_title = title;
    m_legend = legend;
    m_titleRect = titleRect;

    QRectF bounds = titleRect;
    for (const auto &shape : std::as_const(m_shapes))
        bounds |= shape.rect;
    for (const auto &edge : std::as_const(m_edges)) {
        bounds |= edge.path.boundingRect();
        if (!edge.label.isEmpty())
            bounds |= edgeLabelRect(edge);
    }
    m_bounds = bounds.adjusted(-metrics::BoundsPad, -metrics::BoundsPad, metrics::BoundsPad,
                               metrics::BoundsPad);

    // Services namespace bands are big but few; pods dominate the count.
    m_shapeGrid = std::make_unique<SpatialGrid>(m_bounds, m_shapes.size(), 2.0, 1024, 48.0);
    for (qsizetype i = 0; i < m_shapes.size(); ++i)
        m_shapeGrid->insertRect(qint32(i), m_shapes[i].rect);
    m_shapeGrid->build();

    // Edges can be long (service → pod across the cluster): they go in a coarser grid, by
    // the cells their segments cross, and queries test the exact segments.
    m_edgeGrid = std::make_unique<SpatialGrid>(m_bounds, m_edges.size(), 8.0, 128, 96.0);
    for (qsizetype i = 0; i < m_edges.size(); ++i) {
        const Edge &edge = m_edges[i];
        for (qsizetype p = 1; p < edge.path.size(); ++p)
            m_edgeGrid->insertSegment(qint32(i), edge.path[p - 1], edge.path[p]);
        if (!edge.label.isEmpty())
            m_edgeGrid->insertRect(qint32(i), edgeLabelRect(edge));
    }
    m_edgeGrid->build();

    // Model → shape maps.
    auto place = [](QList<qsizetype> &map, qsizetype index, qsizetype shape, bool replace) {
        if (index < 0)
            return;
        if (map.size() <= index)
            map.resize(index + 1, -1);
        if (map[index] < 0 || replace)
            map[index] = shape;
    };
    for (qsizetype i = 0; i < m_shapes.size(); ++i) {
        const Shape &shape = m_shapes[i];
        switch (shape.modelKind) {
        case ModelKind::Node:
            place(m_nodeShapes, shape.modelIndex, i, false);
            break;
        case ModelKind::Pod:
            place(m_podShapes, shape.modelIndex, i, false);
            break;
        case ModelKind::Service:
            place(m_serviceShapes, shape.modelIndex, i, false);
            break;
        case ModelKind::Namespace:
            // The services band wins over the namespace groups inside node boxes.
            place(m_namespaceShapes, shape.modelIndex, i, shape.parent < 0);
            break;
        case ModelKind::Interface:
            m_interfaceShapes.insert({shape.nodeIndex, shape.modelIndex}, i);
            break;
        case ModelKind::None:
            break;
        }
    }

    // Edge adjacency (counting sort by shape).
    m_adjacencyStart.fill(0, m_shapes.size() + 1);
    auto valid = [this](qsizetype s) { return s >= 0 && s < m_shapes.size(); };
    for (const auto &edge : std::as_const(m_edges)) {
        m_endpointEdgeCount += edge.kind == EdgeKind::ServiceEndpoint ? 1 : 0;
        if (valid(edge.from))
            ++m_adjacencyStart[edge.from + 1];
        if (valid(edge.to) && edge.to != edge.from)
            ++m_adjacencyStart[edge.to + 1];
    }
    for (qsizetype i = 0; i < m_shapes.size(); ++i)
        m_adjacencyStart[i + 1] += m_adjacencyStart[i];
    m_adjacency.resize(m_adjacencyStart.isEmpty() ? 0 : m_adjacencyStart.last());
    QList<qint32> fill = m_adjacencyStart;
    for (qsizetype e = 0; e < m_edges.size(); ++e) {
        const Edge &edge = m_edges[e];
        if (valid(edge.from))
            m_adjacency[fill[edge.from]++] = qint32(e);
        if (valid(edge.to) && edge.to != edge.from)
            m_adjacency[fill[edge.to]++] = qint32(e);
    }
}

QList<qsizetype> TopologyScene::shapesIn(const QRectF &rect) const
{
    QList<qsizetype> hits;
    if (!m_shapeGrid)
        return hits;
    const QRectF r = rect.normalized();
    if (r.contains(m_bounds)) {
        // Everything: no need to go through the grid (and dedupe its cells).
        hits.resize(m_shapes.size());
        std::iota(hits.begin(), hits.end(), qsizetype(0));
    } else {
        const QList<qsizetype> candidates = m_shapeGrid->candidates(r);
        hits.reserve(candidates.size());
        for (qsizetype i : candidates) {
            if (rectsTouch(m_shapes[i].rect, r))
                hits.append(i);
        }
    }
    // Painting order: a stable bucket sort by layer keeps index order within a layer.
    constexpr int layers = 5;
    std::array<qsizetype, layers + 1> start{};
    for (qsizetype i : std::as_const(hits))
        ++start[paintLayer(m_shapes[i].kind) + 1];
    for (int l = 0; l < layers; ++l)
        start[l + 1] += start[l];
    QList<qsizetype> result(hits.size());
    for (qsizetype i : std::as_const(hits))
        result[start[paintLayer(m_shapes[i].kind)]++] = i;
    return result;
}

QList<qsizetype> TopologyScene::edgesIn(const QRectF &rect) const
{
    QList<qsizetype> result;
    if (!m_edgeGrid)
        return result;
    const QRectF r = rect.normalized();
    if (r.contains(m_bounds)) {
        result.resize(m_edges.size());
        std::iota(result.begin(), result.end(), qsizetype(0));
        return result;
    }
    const QRectF wide = r.adjusted(-kEdgeSlack, -kEdgeSlack, kEdgeSlack, kEdgeSlack);
    const QList<qsizetype> candidates = m_edgeGrid->candidates(wide);
    for (qsizetype i : candidates) {
        if (edgeTouches(m_edges[i], r))
            result.append(i);
    }
    return result;
}

qsizetype TopologyScene::shapeAt(const QPointF &point) const
{
    if (!m_shapeGrid)
        return -1;
    qsizetype best = -1;
    int bestLayer = -1;
    qreal bestArea = 0;
    for (qsizetype i : m_shapeGrid->candidatesAt(point)) {
        const Shape &shape = m_shapes[i];
        if (!shape.rect.contains(point))
            continue;
        const int layer = paintLayer(shape.kind);
        const qreal area = shape.rect.width() * shape.rect.height();
        if (layer > bestLayer || (layer == bestLayer && area < bestArea)) {
            best = i;
            bestLayer = layer;
            bestArea = area;
        }
    }
    return best;
}

QList<qsizetype> TopologyScene::find(const QString &query) const
{
    QList<qsizetype> result;
    const QStringList terms =
        query.toLower().split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (terms.isEmpty())
        return result;
    for (qsizetype i = 0; i < m_shapes.size(); ++i) {
        const QString &text = m_shapes[i].searchText;
        if (text.isEmpty())
            continue;
        bool all = true;
        for (const QString &term : terms) {
            if (!text.contains(term)) {
                all = false;
                break;
            }
        }
        if (all)
            result.append(i);
    }
    return result;
}

qsizetype TopologyScene::shapeFor(ModelKind kind, qsizetype modelIndex) const
{
    const QList<qsizetype> *map = nullptr;
    switch (kind) {
    case ModelKind::Node:
        map = &m_nodeShapes;
        break;
    case ModelKind::Pod:
        map = &m_podShapes;
        break;
    case ModelKind::Service:
        map = &m_serviceShapes;
        break;
    case ModelKind::Namespace:
        map = &m_namespaceShapes;
        break;
    case ModelKind::Interface:
    case ModelKind::None:
        return -1;
    }
    if (!map || modelIndex < 0 || modelIndex >= map->size())
        return -1;
    return map->at(modelIndex);
}

qsizetype TopologyScene::interfaceShape(qsizetype nodeIndex, qsizetype interfaceIndex) const
{
    return m_interfaceShapes.value({nodeIndex, interfaceIndex}, -1);
}

QList<qsizetype> TopologyScene::edgesOf(qsizetype shape) const
{
    QList<qsizetype> result;
    if (shape < 0 || shape + 1 >= m_adjacencyStart.size())
        return result;
    for (qint32 i = m_adjacencyStart[shape]; i < m_adjacencyStart[shape + 1]; ++i)
        result.append(m_adjacency[i]);
    return result;
}

} // namespace cartograph::diagram

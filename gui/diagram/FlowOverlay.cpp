#include "FlowOverlay.h"

#include "DiagramMetrics.h"

#include <QHash>
#include <QLineF>
#include <algorithm>
#include <cmath>

namespace cartograph::diagram {

namespace {

constexpr QSizeF kExternalSize(170, 40);

struct PairKey
{
    qsizetype from;
    qsizetype to;
    int protocol;
    friend bool operator==(const PairKey &, const PairKey &) = default;
};

size_t qHash(const PairKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.from, key.to, key.protocol);
}

QPointF anchorPoint(const TopologyScene &scene, qsizetype shape, const QRectF &external)
{
    if (shape < 0)
        return external.center();
    const Shape &s = scene.shapes().at(shape);
    if (s.kind == ShapeKind::Node) // the header, not the middle of its pods
        return QPointF(s.rect.center().x(),
                       s.rect.top() + std::min(s.rect.height() / 2, metrics::NodeHeaderHeight / 2));
    return s.rect.center();
}

qsizetype shapeOf(const TopologyScene &scene, const FlowEnd &end)
{
    if (end.kind != ModelKind::None) {
        const qsizetype shape = scene.shapeFor(end.kind, end.index);
        if (shape >= 0)
            return shape;
    }
    if (end.nodeIndex >= 0)
        return scene.shapeFor(ModelKind::Node, end.nodeIndex);
    return -1;
}

// The node box that holds a shape (itself for a node box); other shapes stay.
qsizetype nodeLevel(const TopologyScene &scene, qsizetype shape)
{
    if (shape < 0)
        return shape;
    const Shape &s = scene.shapes().at(shape);
    if (s.kind == ShapeKind::Pod || s.kind == ShapeKind::HostNetworkPod) {
        qsizetype parent = s.parent;
        while (parent >= 0 && scene.shapes().at(parent).kind != ShapeKind::Node)
            parent = scene.shapes().at(parent).parent;
        if (parent >= 0)
            return parent;
    }
    return shape;
}

QList<FlowOverlayEdge> aggregate(const TopologyScene &scene, const QList<FlowTrafficItem> &items,
                                 const QList<std::pair<qsizetype, qsizetype>> &shapes,
                                 const QRectF &external)
{
    QHash<PairKey, qsizetype> index;
    QList<FlowOverlayEdge> edges;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const FlowTrafficItem &item = items.at(i);
        auto [from, to] = shapes.at(i);
        if (from > to) // one curve per unordered pair
            std::swap(from, to);
        const PairKey key{from, to, int(item.protocol)};
        auto it = index.constFind(key);
        if (it == index.cend()) {
            it = index.insert(key, edges.size());
            FlowOverlayEdge edge;
            edge.fromShape = from;
            edge.toShape = to;
            edge.protocol = item.protocol;
            edges.append(edge);
        }
        FlowOverlayEdge &edge = edges[*it];
        edge.bytesPerSecond += item.bytesPerSecond;
        edge.bytes += item.bytes;
        edge.flows += 1;
        edge.tunnel = edge.tunnel || item.tunnel;
        edge.selected = edge.selected || item.selected;
    }
    for (FlowOverlayEdge &edge : edges) {
        edge.from = anchorPoint(scene, edge.fromShape, external);
        edge.to = anchorPoint(scene, edge.toShape, external);
        edge.width = FlowOverlay::widthFor(edge.bytesPerSecond);
        // Bend the curve sideways, a little more per protocol, so the curves of one pair fan
        // out; a flow within one shape loops above it.
        const QLineF line(edge.from, edge.to);
        const qreal bend = 0.14 + 0.07 * int(edge.protocol);
        if (line.length() < 1) {
            edge.control = edge.from + QPointF(0, -40 - 12 * int(edge.protocol));
        } else {
            const QPointF normal(-line.dy() / line.length(), line.dx() / line.length());
            edge.control = line.center() + normal * line.length() * bend;
        }
    }
    // Busiest last: painted on top.
    std::stable_sort(edges.begin(), edges.end(),
                     [](const FlowOverlayEdge &l, const FlowOverlayEdge &r) {
                         return l.bytesPerSecond < r.bytesPerSecond;
                     });
    return edges;
}

} // namespace

FlowProtocol flowProtocolFromNumber(std::uint8_t ipProtocol)
{
    switch (ipProtocol) {
    case 6:
        return FlowProtocol::Tcp;
    case 17:
        return FlowProtocol::Udp;
    case 1:
    case 58:
        return FlowProtocol::Icmp;
    case 132:
        return FlowProtocol::Sctp;
    default:
        return FlowProtocol::Other;
    }
}

QString flowProtocolName(FlowProtocol protocol)
{
    switch (protocol) {
    case FlowProtocol::Tcp:
        return QStringLiteral("TCP");
    case FlowProtocol::Udp:
        return QStringLiteral("UDP");
    case FlowProtocol::Icmp:
        return QStringLiteral("ICMP");
    case FlowProtocol::Sctp:
        return QStringLiteral("SCTP");
    case FlowProtocol::Other:
        break;
    }
    return QStringLiteral("other");
}

QColor flowProtocolColour(FlowProtocol protocol, bool darkMode)
{
    // Okabe–Ito hues: told apart with the common colour-vision deficiencies.
    switch (protocol) {
    case FlowProtocol::Tcp:
        return darkMode ? QColor(0x56, 0xb4, 0xe9) : QColor(0x00, 0x72, 0xb2);
    case FlowProtocol::Udp:
        return darkMode ? QColor(0xf0, 0xa0, 0x3c) : QColor(0xd5, 0x5e, 0x00);
    case FlowProtocol::Icmp:
        return darkMode ? QColor(0x3c, 0xc8, 0x9a) : QColor(0x00, 0x9e, 0x73);
    case FlowProtocol::Sctp:
        return darkMode ? QColor(0xe0, 0x9c, 0xc6) : QColor(0xcc, 0x79, 0xa7);
    case FlowProtocol::Other:
        break;
    }
    return darkMode ? QColor(0xa8, 0xad, 0xb4) : QColor(0x5a, 0x5f, 0x66);
}

QRectF FlowOverlayEdge::boundingRect() const
{
    const qreal left = std::min({from.x(), control.x(), to.x()});
    const qreal right = std::max({from.x(), control.x(), to.x()});
    const qreal top = std::min({from.y(), control.y(), to.y()});
    const qreal bottom = std::max({from.y(), control.y(), to.y()});
    return QRectF(QPointF(left, top), QPointF(right, bottom))
        .adjusted(-width, -width, width, width);
}

qreal FlowOverlay::widthFor(double bytesPerSecond)
{
    if (bytesPerSecond <= 100)
        return 1.0;
    return std::min(1.0 + 1.6 * std::log10(bytesPerSecond / 100.0), 12.0);
}

FlowOverlay FlowOverlay::build(const TopologyScene &scene, const QList<FlowTrafficItem> &items,
                               qsizetype maxEdges)
{
    FlowOverlay overlay;
    const QList<Shape> &all = scene.shapes();
    const Shape *underlay = nullptr;
    for (const Shape &shape : all) {
        if (shape.kind == ShapeKind::Underlay &&
            (!underlay || shape.rect.bottom() > underlay->rect.bottom()))
            underlay = &shape;
    }
    if (underlay) {
        overlay.m_external =
            QRectF(QPointF(underlay->rect.right() - kExternalSize.width() - 12,
                           underlay->rect.center().y() - kExternalSize.height() / 2),
                   kExternalSize);
    } else {
        const QRectF b = scene.bounds().adjusted(metrics::BoundsPad, 0, -metrics::BoundsPad, 0);
        overlay.m_external =
            QRectF(QPointF(b.right() - kExternalSize.width(), scene.titleRect().bottom() + 4),
                   kExternalSize);
    }

    QList<std::pair<qsizetype, qsizetype>> shapes;
    QList<std::pair<qsizetype, qsizetype>> nodeShapes;
    shapes.reserve(items.size());
    nodeShapes.reserve(items.size());
    for (const FlowTrafficItem &item : items) {
        const qsizetype a = shapeOf(scene, item.a);
        const qsizetype b = shapeOf(scene, item.b);
        overlay.m_usesExternal = overlay.m_usesExternal || a < 0 || b < 0;
        overlay.m_totalBytes += item.bytes;
        shapes.append({a, b});
        nodeShapes.append({nodeLevel(scene, a), nodeLevel(scene, b)});
    }
    overlay.m_edges = aggregate(scene, items, shapes, overlay.m_external);
    overlay.m_nodeEdges = aggregate(scene, items, nodeShapes, overlay.m_external);
    if (maxEdges >= 0 && overlay.m_edges.size() > maxEdges) {
        // Sorted quietest first: drop from the front, but never a selected curve.
        QList<FlowOverlayEdge> kept;
        const qsizetype drop = overlay.m_edges.size() - maxEdges;
        for (qsizetype i = 0; i < overlay.m_edges.size(); ++i) {
            if (i >= drop || overlay.m_edges.at(i).selected)
                kept.append(overlay.m_edges.at(i));
            else
                ++overlay.m_hidden;
        }
        overlay.m_edges = std::move(kept);
    }
    return overlay;
}

QString FlowOverlay::dump(const TopologyScene &scene) const
{
    const auto name = [&scene](qsizetype shape) {
        return shape < 0 ? QStringLiteral("(external)") : scene.shapes().at(shape).label;
    };
    QStringList lines;
    for (const FlowOverlayEdge &edge : m_edges) {
        lines << QStringLiteral("%1 %2 -> %3 flows=%4 bytes=%5 width=%6%7%8")
                     .arg(flowProtocolName(edge.protocol).toLower(), name(edge.fromShape),
                          name(edge.toShape))
                     .arg(edge.flows)
                     .arg(edge.bytes)
                     .arg(edge.width, 0, 'f', 1)
                     .arg(edge.tunnel ? QStringLiteral(" tunnel") : QString(),
                          edge.selected ? QStringLiteral(" selected") : QString());
    }
    std::sort(lines.begin(), lines.end());
    if (m_hidden > 0)
        lines << QStringLiteral("hidden=%1").arg(m_hidden);
    return lines.join(u'\n');
}

} // namespace cartograph::diagram

#pragma once

#include "TopologyScene.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <cstdint>

namespace cartograph::diagram {

// Observed traffic drawn over a laid-out scene: one curve per pair of shapes and protocol,
// whatever the number of flows behind it, so a capture with a million conversations between a
// few hundred pods costs a few hundred curves. Built from plain inputs (the diagram knows
// nothing of pcap); painted by paintScene(), so the screen and every export show it alike.

enum class FlowProtocol : std::uint8_t
{
    Tcp,
    Udp,
    Icmp, // ICMP and ICMPv6
    Sctp,
    Other,
};
inline constexpr int kFlowProtocolCount = 5;
FlowProtocol flowProtocolFromNumber(std::uint8_t ipProtocol);
QString flowProtocolName(FlowProtocol protocol); // "TCP", "UDP", "ICMP", "SCTP", "other"
QColor flowProtocolColour(FlowProtocol protocol, bool darkMode);

// Where one side of a flow is drawn: a snapshot object (the shape drawn for it, or the box of
// its node), or the external anchor when kind is None.
struct FlowEnd
{
    ModelKind kind = ModelKind::None; // Pod, Service or Node; None: outside the cluster
    qsizetype index = -1;             // into the snapshot list named by kind
    qsizetype nodeIndex = -1;         // an unknown pod in a node's pod CIDR: that node
};

struct FlowTrafficItem
{
    FlowEnd a;
    FlowEnd b;
    FlowProtocol protocol = FlowProtocol::Other;
    double bytesPerSecond = 0; // throughput over the shown span: sets the width
    std::uint64_t bytes = 0;
    bool tunnel = false;   // crossed an overlay tunnel (VXLAN, IP-in-IP …)
    bool selected = false; // picked in the flows table
};

struct FlowOverlayEdge
{
    qsizetype fromShape = -1; // -1: the external anchor
    qsizetype toShape = -1;
    QPointF from;
    QPointF control; // quadratic curve from → control → to
    QPointF to;
    FlowProtocol protocol = FlowProtocol::Other;
    double bytesPerSecond = 0;
    std::uint64_t bytes = 0;
    int flows = 0;
    bool tunnel = false; // at least one of its flows was tunnelled
    bool selected = false;
    qreal width = 1; // scene units
    QRectF boundingRect() const;
};

class FlowOverlay
{
public:
    // At most maxEdges curves are kept, the busiest; the rest are counted in hiddenEdges().
    static FlowOverlay build(const TopologyScene &scene, const QList<FlowTrafficItem> &items,
                             qsizetype maxEdges = 3000);

    // Curves between the shapes themselves, and the same aggregated to node boxes (services
    // and the external anchor stay), for zoom levels where pods are specks.
    const QList<FlowOverlayEdge> &edges() const { return m_edges; }
    const QList<FlowOverlayEdge> &nodeEdges() const { return m_nodeEdges; }
    qsizetype hiddenEdges() const { return m_hidden; }
    bool isEmpty() const { return m_edges.isEmpty(); }
    // The "Internet / external" box: on the right end of the underlay bar (external traffic
    // reaches the cluster through the node network), else in the scene's top-right corner.
    QRectF externalAnchor() const { return m_external; }
    bool usesExternalAnchor() const { return m_usesExternal; }
    std::uint64_t totalBytes() const { return m_totalBytes; }

    // Log scale: 100 B/s → 1, each tenfold → +1.6, capped at 12 scene units.
    static qreal widthFor(double bytesPerSecond);

    // One line per curve, for golden tests: "tcp pod-a -> pod-b flows=2 bytes=300 width=1.0".
    QString dump(const TopologyScene &scene) const;

private:
    QList<FlowOverlayEdge> m_edges;
    QList<FlowOverlayEdge> m_nodeEdges;
    qsizetype m_hidden = 0;
    QRectF m_external;
    bool m_usesExternal = false;
    std::uint64_t m_totalBytes = 0;
};

} // namespace cartograph::diagram

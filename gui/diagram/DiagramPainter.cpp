#include "DiagramPainter.h"

#include "DiagramMetrics.h"
#include "FlowOverlay.h"
#include "Geometry.h"

#include <QCoreApplication>
#include <QFont>
#include <QFontMetricsF>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>
#include <cmath>

namespace cartograph::diagram {

namespace {

class Diagram
{
    Q_DECLARE_TR_FUNCTIONS(Diagram)
};

// A qualitative palette (hue, saturation, lightness of the accent): colours far enough apart to
// tell namespaces apart, none of them the amber of host-network pods or the orange of tunnels.
struct PaletteColour
{
    int hue;
    qreal saturation;
    qreal lightness;
};
constexpr std::array<PaletteColour, 9> kNamespacePalette = {{
    {125, 0.42, 0.38}, // green
    {22, 0.38, 0.42},  // brown
    {275, 0.40, 0.50}, // purple
    {330, 0.55, 0.52}, // pink
    {355, 0.58, 0.50}, // red
    {62, 0.55, 0.33},  // olive
    {192, 0.70, 0.40}, // cyan
    {218, 0.55, 0.47}, // blue
    {172, 0.55, 0.34}, // teal
}};
// The system namespace keeps one quiet colour everywhere.
constexpr PaletteColour kSystemColour{212, 0.16, 0.46}; // slate

quint32 stableHash(const QString &text)
{
    // FNV-1a over UTF-16 with a final avalanche: qHash is seeded per process, colours must not
    // be.
    quint32 hash = 2166136261u;
    for (QChar c : text) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    hash ^= hash >> 16;
    hash *= 0x85ebca6bu;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35u;
    hash ^= hash >> 16;
    return hash;
}

PaletteColour namespaceColour(const QString &name)
{
    if (name == u"kube-system")
        return kSystemColour;
    return kNamespacePalette[stableHash(name) % kNamespacePalette.size()];
}

// Text lines are drawn at these pixel sizes (scene units), whatever the device resolution.
constexpr qreal kTitleSize = 22;
constexpr qreal kLegendSize = 12;
constexpr qreal kNodeNameSize = 17;
constexpr qreal kNodeDetailSize = 12;
constexpr qreal kGroupSize = 11.5;
constexpr qreal kPodNameSize = 11;
constexpr qreal kPodDetailSize = 10.5;
constexpr qreal kInterfaceNameSize = 12;
constexpr qreal kInterfaceDetailSize = 10.5;
constexpr qreal kVethSize = 9;
constexpr qreal kServiceNameSize = 12.5;
constexpr qreal kServiceDetailSize = 10.5;
constexpr qreal kEdgeLabelSize = 11;

// Fonts are set in whole pixels.
constexpr int roundedPixels(qreal size)
{
    return std::max(1, int(size + 0.5));
}

// Below these zoom factors, the painter leaves detail out. Pod, interface and service text is
// left out below kMinimumTextZoom (DiagramPainter.h); at that zoom it is still 5 px high:
static_assert(roundedPixels(std::min({kPodNameSize, kPodDetailSize, kInterfaceNameSize,
                                      kInterfaceDetailSize, kServiceNameSize,
                                      kServiceDetailSize})) *
                  kMinimumTextZoom >=
              5.0);
constexpr qreal kWiringScale = 0.12; // veths, the wiring inside nodes, endpoint curves
constexpr qreal kBlockScale = 0.04;  // pods and interfaces: namespace groups become blocks

class Painter
{
public:
    Painter(QPainter &painter, const TopologyScene &scene, qreal scale, const DiagramStyle &style,
            const Highlight &highlight, const FlowOverlay *flows)
        : m_p(painter)
        , m_scene(scene)
        , m_scale(scale > 0 ? scale : 1.0)
        , m_style(style)
        , m_highlight(highlight)
        , m_flows(flows)
    {}

    void paint(const QRectF &exposed);

private:
    QFont font(qreal pixelSize, bool bold = false, bool mono = false) const;
    void text(const QRectF &rect, const QString &text, const QFont &font, const QColor &colour,
              Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter,
              Qt::TextElideMode elide = Qt::ElideRight);
    bool readable(qreal pixelSize) const { return roundedPixels(pixelSize) * m_scale >= 5.0; }
    // Pods, interfaces and services show their text.
    bool detailed() const { return m_scale >= kMinimumTextZoom; }
    qreal hairline(qreal width) const { return std::max(width, 0.9 / m_scale); }

    void paintTitle();
    void paintShape(qsizetype index);
    void paintNode(const Shape &shape);
    void paintNamespace(const Shape &shape);
    void paintPod(const Shape &shape);
    void paintInterface(const Shape &shape);
    void paintVeth(const Shape &shape);
    void paintService(const Shape &shape);
    void paintUnderlay(const Shape &shape);
    void paintEdge(const Edge &edge, bool emphasised);
    // Strokes only the parts of the path inside the exposed area: the rasterizer would walk
    // the whole length of a curve that crosses the cluster, visible or not.
    void drawClippedPolyline(const QPolygonF &path);
    void paintHighlights(const QList<qsizetype> &shapes);
    QPen edgePen(EdgeKind kind, bool emphasised) const;
    void swatch(const QRectF &rect, const LegendEntry &entry);
    void paintFlows(const QRectF &exposed);
    void paintFlowEdge(const FlowOverlayEdge &edge);
    void paintExternalAnchor();
    // Right-aligned on the title line; returns the width it took.
    qreal paintFlowLegend();

    QColor accent(const QString &ns)
    {
        auto it = m_accents.constFind(ns);
        if (it == m_accents.cend())
            it = m_accents.insert(ns, m_style.namespaceAccent(ns));
        return *it;
    }
    QColor fill(const QString &ns)
    {
        auto it = m_fills.constFind(ns);
        if (it == m_fills.cend())
            it = m_fills.insert(ns, m_style.namespaceFill(ns));
        return *it;
    }

    QPainter &m_p;
    const TopologyScene &m_scene;
    const qreal m_scale;
    const DiagramStyle &m_style;
    const Highlight &m_highlight;
    const FlowOverlay *m_flows = nullptr;
    QRectF m_clip;
    bool m_endpointHaze = false;
    QHash<QString, QColor> m_accents;
    QHash<QString, QColor> m_fills;
};

QFont Painter::font(qreal pixelSize, bool bold, bool mono) const
{
    QFont f;
    f.setFamilies(mono ? m_style.monoFontFamilies : m_style.fontFamilies);
    f.setStyleHint(mono ? QFont::Monospace : QFont::SansSerif);
    // Pixel sizes are device pixels; the painter's transform makes them scene units.
    f.setPixelSize(roundedPixels(pixelSize));
    if (bold)
        f.setWeight(QFont::DemiBold);
    return f;
}

void Painter::text(const QRectF &rect, const QString &string, const QFont &f, const QColor &colour,
                   Qt::Alignment align, Qt::TextElideMode elide)
{
    if (string.isEmpty() || rect.width() <= 2)
        return;
    const QFontMetricsF metrics(f, m_p.device());
    const QString shown = metrics.elidedText(string, elide, rect.width());
    m_p.setFont(f);
    m_p.setPen(colour);
    m_p.drawText(rect, int(align) | Qt::TextSingleLine, shown);
}

void Painter::paint(const QRectF &exposed)
{
    m_p.save();
    m_p.setRenderHint(QPainter::Antialiasing, true);
    m_p.setRenderHint(QPainter::TextAntialiasing, true);
    m_p.fillRect(exposed, m_style.background);
    m_endpointHaze = m_scene.endpointEdgeCount() > m_style.endpointEdgeLimit;
    const qreal slack = 12.0 / m_scale;
    m_clip = exposed.normalized().adjusted(-slack, -slack, slack, slack);
    if (m_scene.titleRect().intersects(exposed))
        paintTitle();

    const QList<qsizetype> shapes = m_scene.shapesIn(exposed);
    const auto &all = m_scene.shapes();
    qsizetype k = 0;
    for (; k < shapes.size() &&
           TopologyScene::paintLayer(all[shapes[k]].kind) < TopologyScene::EdgeLayer;
         ++k)
        paintShape(shapes[k]);

    // Edges of the selected shape go on top of everything, shapes included.
    const QList<qsizetype> edges = m_scene.edgesIn(exposed);
    QList<qsizetype> emphasised;
    for (qsizetype e : edges) {
        const Edge &edge = m_scene.edges()[e];
        if (m_highlight.selected >= 0 &&
            (edge.from == m_highlight.selected || edge.to == m_highlight.selected)) {
            emphasised.append(e);
            continue;
        }
        paintEdge(edge, false);
    }
    for (; k < shapes.size(); ++k)
        paintShape(shapes[k]);
    for (qsizetype e : std::as_const(emphasised))
        paintEdge(m_scene.edges()[e], true);
    if (m_flows)
        paintFlows(exposed);
    paintHighlights(shapes);
    m_p.restore();
}

void Painter::paintTitle()
{
    const QRectF r = m_scene.titleRect();
    if (!readable(kLegendSize))
        return;
    const qreal flowLegend = m_flows && !m_flows->isEmpty() ? paintFlowLegend() : 0.0;
    text(QRectF(r.left(), r.top(), r.width() - flowLegend, kTitleSize * 1.4), m_scene.title(),
         font(kTitleSize, true), m_style.text);

    // Legend: swatch and text, flowing left to right, wrapping inside the title band.
    const QFont legendFont = font(kLegendSize);
    const QFontMetricsF metrics(legendFont, m_p.device());
    qreal x = r.left();
    qreal y = r.top() + kTitleSize * 1.4 + 8;
    const qreal lineHeight = kLegendSize * 1.6;
    for (const LegendEntry &entry : m_scene.legendEntries()) {
        const qreal swatchWidth = entry.edge ? 26 : 18;
        const qreal width = swatchWidth + 6 + metrics.horizontalAdvance(entry.text) + 22;
        if (x > r.left() && x + width > r.right()) {
            x = r.left();
            y += lineHeight;
        }
        swatch(QRectF(x, y + (lineHeight - 12) / 2, swatchWidth, 12), entry);
        text(QRectF(x + swatchWidth + 6, y, width - swatchWidth - 6, lineHeight), entry.text,
             legendFont, m_style.mutedText);
        x += width;
    }
}

void Painter::swatch(const QRectF &rect, const LegendEntry &entry)
{
    m_p.save();
    if (entry.edge) {
        m_p.setPen(edgePen(*entry.edge, false));
        const qreal y = rect.center().y();
        m_p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y));
        m_p.restore();
        return;
    }
    QColor fillColour, border;
    Qt::PenStyle style = Qt::SolidLine;
    switch (*entry.shape) {
    case ShapeKind::Node:
        fillColour = m_style.nodeFill;
        border = m_style.nodeBorder;
        break;
    case ShapeKind::Pod:
        fillColour = fill(QStringLiteral("default"));
        border = accent(QStringLiteral("default"));
        break;
    case ShapeKind::HostNetworkPod:
        fillColour = m_style.hostPodFill;
        border = m_style.hostPodBorder;
        style = Qt::DashLine;
        break;
    case ShapeKind::Veth:
        fillColour = m_style.vethFill;
        border = m_style.vethBorder;
        break;
    case ShapeKind::Bridge:
        fillColour = m_style.bridgeFill;
        border = m_style.bridgeBorder;
        break;
    case ShapeKind::Tunnel:
        fillColour = m_style.tunnelFill;
        border = m_style.tunnelBorder;
        break;
    case ShapeKind::Service:
        fillColour = m_style.serviceFill;
        border = m_style.serviceBorder;
        break;
    default:
        fillColour = m_style.interfaceFill;
        border = m_style.interfaceBorder;
        break;
    }
    QPen pen(border, 1.4, style);
    m_p.setPen(pen);
    m_p.setBrush(fillColour);
    m_p.drawRoundedRect(rect.adjusted(0.7, 0.7, -0.7, -0.7), 3, 3);
    m_p.restore();
}

void Painter::paintShape(qsizetype index)
{
    const Shape &shape = m_scene.shapes()[index];
    // Search hits and the selection get a halo behind the shape; the ring comes last.
    const bool hit = m_highlight.matches.contains(index);
    if (hit || index == m_highlight.selected) {
        QColor halo = index == m_highlight.selected ? m_style.selection : m_style.searchHit;
        halo.setAlphaF(m_style.darkMode ? 0.45 : 0.40);
        const qreal grow = hairline(PaintOverhang);
        m_p.setPen(Qt::NoPen);
        m_p.setBrush(halo);
        m_p.drawRoundedRect(shape.rect.adjusted(-grow, -grow, grow, grow), 9 + grow, 9 + grow);
    }
    switch (shape.kind) {
    case ShapeKind::Node:
        paintNode(shape);
        break;
    case ShapeKind::Namespace:
        paintNamespace(shape);
        break;
    case ShapeKind::Pod:
    case ShapeKind::HostNetworkPod:
        if (m_scale >= kBlockScale)
            paintPod(shape);
        break;
    case ShapeKind::Interface:
    case ShapeKind::Bridge:
    case ShapeKind::Tunnel:
        if (m_scale >= kBlockScale)
            paintInterface(shape);
        break;
    case ShapeKind::Veth:
        if (m_scale >= kWiringScale)
            paintVeth(shape);
        break;
    case ShapeKind::Service:
        paintService(shape);
        break;
    case ShapeKind::Underlay:
        paintUnderlay(shape);
        break;
    }
}

void Painter::paintNode(const Shape &shape)
{
    using namespace metrics;
    const QRectF r = shape.rect;
    const bool notReady = shape.flags & NodeNotReady;
    const bool unscheduled = shape.flags & UnscheduledBox;
    const qreal radius = 12;

    // Soft shadow, then the box, then the header band clipped to the box's rounded top.
    m_p.setPen(Qt::NoPen);
    if (m_scale >= kWiringScale) {
        m_p.setBrush(m_style.darkMode ? QColor(0, 0, 0, 90) : QColor(20, 30, 50, 22));
        m_p.drawRoundedRect(r.translated(0, 3), radius, radius);
    }
    QPen border(notReady ? m_style.notReady : m_style.nodeBorder, notReady ? 2.4 : 1.3);
    if (unscheduled)
        border.setStyle(Qt::DashLine);
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(m_style.nodeFill);
    m_p.drawRoundedRect(r, radius, radius);
    const qreal headerBottom = r.top() + NodePad + NodeHeaderHeight - 10;
    QPainterPath header;
    header.addRoundedRect(r, radius, radius);
    QPainterPath clip;
    clip.addRect(QRectF(r.left(), r.top(), r.width(), headerBottom - r.top()));
    m_p.setBrush(shape.flags & ControlPlane ? m_style.controlPlaneHeader : m_style.nodeHeader);
    m_p.drawPath(header.intersected(clip));
    m_p.setPen(QPen(m_style.nodeBorder, 0.8));
    m_p.drawLine(QPointF(r.left(), headerBottom), QPointF(r.right(), headerBottom));
    m_p.setPen(border);
    m_p.setBrush(Qt::NoBrush);
    m_p.drawRoundedRect(r, radius, radius);

    const QStringList lines = shape.detail.split(u'\n');
    if (!readable(kNodeDetailSize)) {
        // Zoomed far out: the name alone, large enough to read, across the box.
        const qreal size = std::min(14.0 / m_scale, r.height() / 5);
        text(QRectF(r.left() + NodePad, r.top() + NodePad, r.width() - 2 * NodePad, size * 1.3),
             shape.label, font(size, true), notReady ? m_style.notReady : m_style.text,
             Qt::AlignLeft | Qt::AlignTop);
        return;
    }
    const qreal textLeft = r.left() + NodePad + 2;
    const qreal textWidth = r.width() - 2 * NodePad - TunnelWidth - 14;
    qreal y = r.top() + NodePad;
    text(QRectF(textLeft, y, textWidth, kNodeNameSize * 1.35), shape.label,
         font(kNodeNameSize, true), m_style.text);
    y += kNodeNameSize * 1.35 + 4;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QRectF line(textLeft, y, textWidth, kNodeDetailSize * 1.45);
        QColor colour = m_style.mutedText;
        if (i == 0 && !unscheduled) {
            // Status dot before the role/Ready line.
            const qreal d = 8;
            m_p.setPen(Qt::NoPen);
            m_p.setBrush(notReady ? m_style.notReady : m_style.ready);
            m_p.drawEllipse(QRectF(line.left(), line.center().y() - d / 2, d, d));
            line.adjust(d + 6, 0, 0, 0);
            if (notReady)
                colour = m_style.notReady;
        }
        text(line, lines[i], font(kNodeDetailSize, i == 0 && notReady), colour);
        y += kNodeDetailSize * 1.45;
    }
}

void Painter::paintNamespace(const Shape &shape)
{
    const QRectF r = shape.rect;
    const QColor tint = accent(shape.group);
    const bool band = shape.parent < 0;
    if (!band && m_scale < kBlockScale) {
        // Far out, the pods are not drawn: the group becomes a block of its colour.
        QColor block = tint;
        block.setAlphaF(0.6);
        m_p.setPen(Qt::NoPen);
        m_p.setBrush(block);
        m_p.drawRect(r);
        return;
    }
    QColor background = fill(shape.group);
    background.setAlphaF(band ? 0.45 : 0.35);
    QColor border = tint;
    border.setAlphaF(band ? 0.55 : 0.35);
    m_p.setPen(QPen(border, band ? 1.3 : 1.0));
    m_p.setBrush(background);
    m_p.drawRoundedRect(r, band ? 10 : 7, band ? 10 : 7);
    const qreal size = band ? 13 : kGroupSize;
    if (!readable(size)) {
        return;
    }
    const qreal headerHeight = band ? 28 : 24;
    const QRectF header(r.left() + 10, r.top() + 2, r.width() - 20, headerHeight - 2);
    const QFont detailFont = font(size - 1.5);
    const QFontMetricsF metrics(detailFont, m_p.device());
    const qreal detailWidth = metrics.horizontalAdvance(shape.detail) + 4;
    text(header.adjusted(0, 0, -detailWidth - 8, 0), shape.label, font(size, true),
         m_style.darkMode ? tint.lighter(115) : tint.darker(130));
    text(header, shape.detail, detailFont, m_style.mutedText, Qt::AlignRight | Qt::AlignVCenter);
}

void Painter::paintPod(const Shape &shape)
{
    const QRectF r = shape.rect;
    const bool host = shape.kind == ShapeKind::HostNetworkPod;
    const bool notRunning = shape.flags & PodNotRunning;
    const QColor tint = accent(shape.group);
    QColor background = host ? m_style.hostPodFill : fill(shape.group);
    if (!detailed()) {
        // Far out: a filled block in the namespace colour, no text.
        m_p.setPen(Qt::NoPen);
        m_p.setBrush(host ? m_style.hostPodBorder : tint);
        m_p.drawRect(r);
        return;
    }
    QPen pen(host ? m_style.hostPodBorder : tint, host ? 1.5 : 1.2);
    if (host)
        pen.setDashPattern({4, 3});
    if (notRunning) {
        background = m_style.darkMode ? background.darker(130) : QColor(0xf1, 0xf1, 0xf1);
        pen.setColor(m_style.mutedText);
        pen.setDashPattern({2, 2});
    }
    m_p.setPen(pen);
    m_p.setBrush(background);
    m_p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    // Namespace stripe on the left edge.
    QPainterPath stripe;
    stripe.addRoundedRect(QRectF(r.left() + 0.5, r.top() + 0.5, 10, r.height() - 1), 6, 6);
    QPainterPath keep;
    keep.addRect(QRectF(r.left(), r.top(), 5, r.height()));
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(tint);
    m_p.drawPath(stripe.intersected(keep));

    const QRectF textRect = r.adjusted(11, 3, -6, -3);
    const qreal half = textRect.height() / 2;
    text(QRectF(textRect.left(), textRect.top(), textRect.width(), half), shape.label,
         font(kPodNameSize, true), notRunning ? m_style.mutedText : m_style.text,
         Qt::AlignLeft | Qt::AlignVCenter, Qt::ElideMiddle);
    text(QRectF(textRect.left(), textRect.top() + half, textRect.width(), half), shape.detail,
         font(kPodDetailSize, false, true), host ? m_style.hostPodBorder : m_style.mutedText);
}

void Painter::paintInterface(const Shape &shape)
{
    const QRectF r = shape.rect;
    QColor fillColour = m_style.interfaceFill, border = m_style.interfaceBorder;
    if (shape.kind == ShapeKind::Bridge) {
        fillColour = m_style.bridgeFill;
        border = m_style.bridgeBorder;
    } else if (shape.kind == ShapeKind::Tunnel) {
        fillColour = m_style.tunnelFill;
        border = m_style.tunnelBorder;
    }
    m_p.setPen(QPen(border, 1.6));
    m_p.setBrush(fillColour);
    m_p.drawRoundedRect(r.adjusted(0.8, 0.8, -0.8, -0.8), 7, 7);
    if (!detailed())
        return;
    const QStringList lines = shape.detail.split(u'\n', Qt::SkipEmptyParts);
    const QRectF inner = r.adjusted(9, 4, -8, -4);
    const qreal nameHeight = kInterfaceNameSize * 1.3;
    text(QRectF(inner.left(), inner.top(), inner.width(), nameHeight), shape.label,
         font(kInterfaceNameSize, true, true),
         m_style.darkMode ? border.lighter(130) : border.darker(135));
    qreal y = inner.top() + nameHeight;
    const qreal lineHeight = kInterfaceDetailSize * 1.3;
    for (const QString &line : lines) {
        if (y + lineHeight > inner.bottom() + 2)
            break;
        text(QRectF(inner.left(), y, inner.width(), lineHeight), line,
             font(kInterfaceDetailSize, false, true), m_style.mutedText);
        y += lineHeight;
    }
}

void Painter::paintVeth(const Shape &shape)
{
    const QRectF r = shape.rect;
    m_p.setPen(QPen(m_style.vethBorder, 1.0));
    m_p.setBrush(m_style.vethFill);
    m_p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    if (!readable(kVethSize + 1))
        return;
    const QString caption =
        shape.detail.isEmpty() ? shape.label : shape.label + QStringLiteral(" ↔ ") + shape.detail;
    text(r.adjusted(4, 0, -4, 0), caption, font(kVethSize, false, true),
         m_style.darkMode ? m_style.vethBorder.lighter(140) : m_style.vethBorder.darker(140),
         Qt::AlignCenter, Qt::ElideMiddle);
}

void Painter::paintService(const Shape &shape)
{
    const QRectF r = shape.rect;
    m_p.setPen(QPen(m_style.serviceBorder, 1.4));
    m_p.setBrush(m_style.serviceFill);
    m_p.drawRoundedRect(r.adjusted(0.7, 0.7, -0.7, -0.7), 8, 8);
    if (!detailed())
        return;
    const QRectF inner = r.adjusted(11, 5, -9, -5);
    const qreal nameHeight = kServiceNameSize * 1.4;
    text(QRectF(inner.left(), inner.top(), inner.width(), nameHeight), shape.label,
         font(kServiceNameSize, true),
         m_style.darkMode ? m_style.serviceBorder.lighter(140) : m_style.serviceBorder.darker(130));
    const QStringList lines = shape.detail.split(u'\n');
    qreal y = inner.top() + nameHeight;
    const qreal lineHeight = kServiceDetailSize * 1.42;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (y + lineHeight > inner.bottom() + 3)
            break;
        const bool mono = i == 1 || i == 2; // ports, DNS name
        QColor colour = i == 0 ? m_style.text : m_style.mutedText;
        if (i == 3 && (shape.flags & EndpointsCapped))
            colour = m_style.notReady;
        text(QRectF(inner.left(), y, inner.width(), lineHeight), lines[i],
             font(kServiceDetailSize, false, mono), colour, Qt::AlignLeft | Qt::AlignVCenter,
             i == 2 ? Qt::ElideMiddle : Qt::ElideRight);
        y += lineHeight;
    }
}

void Painter::paintUnderlay(const Shape &shape)
{
    const QRectF r = shape.rect;
    const qreal radius = std::min(r.width(), r.height()) / 2;
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(m_style.underlay);
    m_p.drawRoundedRect(r, radius, radius);
    if (shape.label.isEmpty() || !readable(11))
        return;
    const QString caption =
        shape.detail.isEmpty() ? shape.label : shape.label + QStringLiteral("  ·  ") + shape.detail;
    text(r.adjusted(16, 0, -16, 0), caption, font(12, true), m_style.underlayText);
}

QPen Painter::edgePen(EdgeKind kind, bool emphasised) const
{
    QPen pen;
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    switch (kind) {
    case EdgeKind::PodToVeth:
    case EdgeKind::VethToBridge:
        pen.setColor(m_style.vethBorder);
        pen.setWidthF(hairline(1.3));
        break;
    case EdgeKind::HostNetwork:
        // Solid: dashes of overlapping runs would beat against each other.
        pen.setColor(m_style.hostPodBorder);
        pen.setWidthF(hairline(1.3));
        break;
    case EdgeKind::Overlay:
        pen.setColor(m_style.tunnelBorder);
        pen.setWidthF(hairline(2.4));
        pen.setDashPattern({6, 3});
        break;
    case EdgeKind::Underlay:
        pen.setColor(m_style.underlay);
        pen.setWidthF(hairline(3.0));
        break;
    case EdgeKind::ServiceEndpoint: {
        // A one-pixel cosmetic pen in an opaque light tint: antialiased translucent strokes
        // across the viewport cost the raster engine ten times as much, and there are many.
        const QColor &c = m_style.endpointEdge, &b = m_style.background;
        const qreal a = m_style.darkMode ? 0.5 : 0.42;
        pen.setColor(QColor::fromRgbF(c.redF() * a + b.redF() * (1 - a),
                                      c.greenF() * a + b.greenF() * (1 - a),
                                      c.blueF() * a + b.blueF() * (1 - a)));
        pen.setWidthF(1.0);
        pen.setCosmetic(true);
        break;
    }
    }
    if (emphasised) {
        pen.setColor(m_style.selection);
        pen.setCosmetic(false);
        pen.setWidthF(hairline(2.4));
    }
    return pen;
}

void Painter::drawClippedPolyline(const QPolygonF &path)
{
    // A dashed run that starts where the path enters the clip continues the dashes of the whole
    // path: otherwise they would shift with the exposed area, and a partial repaint (a scroll,
    // a live update of one pod) would leave a seam against what was painted before.
    const QPen pen = m_p.pen();
    const bool dashed = pen.style() != Qt::SolidLine && pen.style() != Qt::NoPen;
    const qreal dashUnit = pen.widthF() > 0 ? pen.widthF() : 1.0; // dashes count pen widths
    qreal travelled = 0;                                          // path length up to path[i - 1]
    QPolygonF run;
    for (qsizetype i = 1; i < path.size(); ++i) {
        const QPointF d = path[i] - path[i - 1];
        const qreal length = dashed ? std::hypot(d.x(), d.y()) : 0.0;
        qreal t0, t1;
        if (!clipSegment(path[i - 1], path[i], m_clip, t0, t1)) {
            if (run.size() >= 2)
                m_p.drawPolyline(run);
            run.clear();
            travelled += length;
            continue;
        }
        const QPointF a = path[i - 1] + t0 * d, b = path[i - 1] + t1 * d;
        if (run.isEmpty() || t0 > 0.0) {
            if (run.size() >= 2)
                m_p.drawPolyline(run);
            run = {a};
            if (dashed) {
                QPen phased = pen;
                phased.setDashOffset(pen.dashOffset() + (travelled + t0 * length) / dashUnit);
                m_p.setPen(phased);
            }
        }
        travelled += length;
        run.append(b);
        if (t1 < 1.0) {
            m_p.drawPolyline(run);
            run.clear();
        }
    }
    if (run.size() >= 2)
        m_p.drawPolyline(run);
}

void Painter::paintEdge(const Edge &edge, bool emphasised)
{
    const bool detail = edge.kind == EdgeKind::PodToVeth || edge.kind == EdgeKind::VethToBridge ||
                        edge.kind == EdgeKind::HostNetwork ||
                        edge.kind == EdgeKind::ServiceEndpoint;
    if (detail && m_scale < kWiringScale && !emphasised)
        return;
    if (edge.kind == EdgeKind::ServiceEndpoint && m_endpointHaze && !emphasised)
        return;
    m_p.setPen(edgePen(edge.kind, emphasised));
    m_p.setBrush(Qt::NoBrush);
    drawClippedPolyline(edge.path);
    if (edge.kind == EdgeKind::ServiceEndpoint) {
        m_p.setPen(Qt::NoPen);
        m_p.setBrush(emphasised ? m_style.selection : m_style.endpointEdge);
        const qreal d = hairline(2.6);
        if (m_clip.contains(edge.path.last()))
            m_p.drawEllipse(edge.path.last(), d, d);
    }
    if (!edge.label.isEmpty() && readable(kEdgeLabelSize)) {
        const QFont f = font(kEdgeLabelSize, true);
        const QFontMetricsF metrics(f, m_p.device());
        const QRectF slot = edgeLabelRect(edge);
        const qreal width = std::min(slot.width(), metrics.horizontalAdvance(edge.label) + 14);
        const QRectF box(slot.center().x() - width / 2, slot.top() + 1, width, slot.height() - 3);
        m_p.setPen(QPen(m_style.tunnelBorder, 1.0));
        m_p.setBrush(m_style.background);
        m_p.drawRoundedRect(box, box.height() / 2, box.height() / 2);
        text(box.adjusted(6, 0, -6, 0), edge.label, f, m_style.tunnelBorder, Qt::AlignCenter);
    }
}

void Painter::paintFlows(const QRectF &exposed)
{
    const QList<FlowOverlayEdge> &edges =
        m_scale < kWiringScale ? m_flows->nodeEdges() : m_flows->edges();
    if (m_flows->usesExternalAnchor() && m_flows->externalAnchor().intersects(exposed))
        paintExternalAnchor();
    QList<const FlowOverlayEdge *> selected;
    for (const FlowOverlayEdge &edge : edges) {
        if (!edge.boundingRect().intersects(exposed))
            continue;
        if (edge.selected)
            selected.append(&edge);
        else
            paintFlowEdge(edge);
    }
    for (const FlowOverlayEdge *edge : std::as_const(selected))
        paintFlowEdge(*edge);
}

void Painter::paintFlowEdge(const FlowOverlayEdge &edge)
{
    QPainterPath path(edge.from);
    path.quadTo(edge.control, edge.to);
    const qreal width = std::max(edge.width, 1.2 / m_scale);
    m_p.setBrush(Qt::NoBrush);
    // A casing in the background colour lifts the curve off the wiring it crosses.
    QPen casing(edge.selected ? m_style.selection : m_style.background,
                width + (edge.selected ? hairline(5.0) : hairline(2.0)));
    casing.setCapStyle(Qt::RoundCap);
    m_p.setPen(casing);
    m_p.drawPath(path);
    QPen pen(flowProtocolColour(edge.protocol, m_style.darkMode), width);
    if (edge.tunnel) {
        // Tunnelled traffic is dashed: visible at any zoom (dashes scale with the width).
        pen.setCapStyle(Qt::FlatCap);
        pen.setDashPattern({4.0, 1.6});
    } else {
        pen.setCapStyle(Qt::RoundCap);
    }
    m_p.setPen(pen);
    m_p.drawPath(path);
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(flowProtocolColour(edge.protocol, m_style.darkMode));
    const qreal dot = std::max(width * 0.9, hairline(3.0));
    m_p.drawEllipse(edge.from, dot, dot);
    m_p.drawEllipse(edge.to, dot, dot);
}

void Painter::paintExternalAnchor()
{
    const QRectF r = m_flows->externalAnchor();
    m_p.setPen(QPen(m_style.underlay, hairline(1.6)));
    m_p.setBrush(m_style.background);
    m_p.drawRoundedRect(r, r.height() / 2, r.height() / 2);
    if (readable(12))
        text(r.adjusted(12, 0, -12, 0), Diagram::tr("Internet / external"), font(12, true),
             m_style.text, Qt::AlignCenter);
}

qreal Painter::paintFlowLegend()
{
    const QRectF r = m_scene.titleRect();
    const QFont legendFont = font(kLegendSize);
    const QFontMetricsF metrics(legendFont, m_p.device());
    const qreal lineHeight = kTitleSize * 1.4;
    struct Item
    {
        QString text;
        std::optional<FlowProtocol> protocol; // none: the tunnel swatch
    };
    QList<Item> items{{Diagram::tr("Traffic:"), std::nullopt}};
    for (int p = 0; p < kFlowProtocolCount; ++p)
        items.append({flowProtocolName(FlowProtocol(p)), FlowProtocol(p)});
    items.append({Diagram::tr("tunnelled"), std::nullopt});
    const qreal swatchWidth = 22;
    qreal total = 0;
    for (qsizetype i = 0; i < items.size(); ++i)
        total += (i == 0 ? 0 : swatchWidth + 5) + metrics.horizontalAdvance(items[i].text) + 14;
    qreal x = r.right() - total;
    const qreal y = r.top() + lineHeight / 2;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Item &item = items.at(i);
        if (i > 0) {
            // The tunnel swatch: a dashed line in the neutral colour.
            const FlowProtocol protocol = item.protocol.value_or(FlowProtocol::Other);
            QPen pen(flowProtocolColour(protocol, m_style.darkMode), 3.0);
            if (item.protocol) {
                pen.setCapStyle(Qt::RoundCap);
            } else {
                pen.setCapStyle(Qt::FlatCap);
                pen.setDashPattern({2.0, 1.0});
            }
            m_p.setPen(pen);
            m_p.drawLine(QPointF(x + 2, y), QPointF(x + swatchWidth - 2, y));
            x += swatchWidth + 5;
        }
        const qreal width = metrics.horizontalAdvance(item.text) + 14;
        text(QRectF(x, r.top(), width, lineHeight), item.text, legendFont, m_style.mutedText);
        x += width;
    }
    return total + 16;
}

void Painter::paintHighlights(const QList<qsizetype> &shapes)
{
    if (m_highlight.matches.isEmpty() && m_highlight.selected < 0)
        return;
    const auto &all = m_scene.shapes();
    if (!m_highlight.matches.isEmpty()) {
        for (qsizetype i : shapes) {
            if (!m_highlight.matches.contains(i))
                continue;
            const qreal grow = hairline(3.0);
            m_p.setPen(QPen(m_style.searchHit, hairline(2.2)));
            m_p.setBrush(Qt::NoBrush);
            m_p.drawRoundedRect(all[i].rect.adjusted(-grow, -grow, grow, grow), 8, 8);
        }
    }
    const qsizetype selected = m_highlight.selected;
    if (selected >= 0 && selected < all.size() && shapes.contains(selected)) {
        const qreal grow = hairline(4.0);
        const QRectF r = all[selected].rect.adjusted(-grow, -grow, grow, grow);
        m_p.setPen(QPen(m_style.selection, hairline(3.0)));
        m_p.setBrush(Qt::NoBrush);
        m_p.drawRoundedRect(r, 8, 8);
    }
}

} // namespace

DiagramStyle DiagramStyle::light()
{
    DiagramStyle s;
    s.darkMode = false;
    s.background = QColor(0xf6, 0xf7, 0xf9);
    s.text = QColor(0x1f, 0x29, 0x37);
    s.mutedText = QColor(0x55, 0x60, 0x6e);
    s.nodeFill = QColor(0xff, 0xff, 0xff);
    s.nodeHeader = QColor(0xee, 0xf2, 0xf7);
    s.nodeBorder = QColor(0xb8, 0xc2, 0xcf);
    s.controlPlaneHeader = QColor(0xe6, 0xea, 0xf8);
    s.ready = QColor(0x2e, 0x9d, 0x5b);
    s.notReady = QColor(0xd3, 0x2f, 0x2f);
    s.hostPodFill = QColor(0xff, 0xf6, 0xe0);
    s.hostPodBorder = QColor(0xb2, 0x6a, 0x00);
    s.vethFill = QColor(0xec, 0xee, 0xfb);
    s.vethBorder = QColor(0x5c, 0x6b, 0xc0);
    s.bridgeFill = QColor(0xe0, 0xf4, 0xf1);
    s.bridgeBorder = QColor(0x00, 0x89, 0x7b);
    s.tunnelFill = QColor(0xff, 0xf0, 0xe0);
    s.tunnelBorder = QColor(0xe6, 0x5c, 0x00);
    s.interfaceFill = QColor(0xe3, 0xf0, 0xfd);
    s.interfaceBorder = QColor(0x15, 0x65, 0xc0);
    s.serviceFill = QColor(0xf6, 0xec, 0xfa);
    s.serviceBorder = QColor(0x7b, 0x1f, 0xa2);
    s.underlay = QColor(0x34, 0x5b, 0x8c);
    s.underlayText = QColor(0xff, 0xff, 0xff);
    s.endpointEdge = QColor(0x8e, 0x24, 0xaa);
    s.selection = QColor(0x29, 0x62, 0xff);
    s.searchHit = QColor(0xf5, 0xa6, 0x00);
    s.fontFamilies = {QStringLiteral("Inter"),       QStringLiteral("Noto Sans"),
                      QStringLiteral("Segoe UI"),    QStringLiteral("Helvetica Neue"),
                      QStringLiteral("DejaVu Sans"), QStringLiteral("Arial")};
    s.monoFontFamilies = {QStringLiteral("JetBrains Mono"), QStringLiteral("DejaVu Sans Mono"),
                          QStringLiteral("Noto Sans Mono"), QStringLiteral("Consolas"),
                          QStringLiteral("Menlo"),          QStringLiteral("Courier New")};
    return s;
}

DiagramStyle DiagramStyle::dark()
{
    DiagramStyle s = light();
    s.darkMode = true;
    s.background = QColor(0x1b, 0x1e, 0x24);
    s.text = QColor(0xe6, 0xe9, 0xef);
    s.mutedText = QColor(0xa3, 0xab, 0xb8);
    s.nodeFill = QColor(0x25, 0x29, 0x31);
    s.nodeHeader = QColor(0x2d, 0x33, 0x3d);
    s.nodeBorder = QColor(0x4a, 0x53, 0x61);
    s.controlPlaneHeader = QColor(0x30, 0x35, 0x4a);
    s.ready = QColor(0x4c, 0xc3, 0x7e);
    s.notReady = QColor(0xff, 0x6b, 0x6b);
    s.hostPodFill = QColor(0x3d, 0x31, 0x1a);
    s.hostPodBorder = QColor(0xf0, 0xa8, 0x3c);
    s.vethFill = QColor(0x2c, 0x31, 0x4d);
    s.vethBorder = QColor(0x8f, 0x9b, 0xe8);
    s.bridgeFill = QColor(0x17, 0x3a, 0x36);
    s.bridgeBorder = QColor(0x3f, 0xc1, 0xae);
    s.tunnelFill = QColor(0x43, 0x2c, 0x18);
    s.tunnelBorder = QColor(0xff, 0x98, 0x3d);
    s.interfaceFill = QColor(0x1a, 0x31, 0x4c);
    s.interfaceBorder = QColor(0x6a, 0xaf, 0xf5);
    s.serviceFill = QColor(0x35, 0x22, 0x3e);
    s.serviceBorder = QColor(0xce, 0x8c, 0xe8);
    s.underlay = QColor(0x4f, 0x7d, 0xb8);
    s.underlayText = QColor(0xff, 0xff, 0xff);
    s.endpointEdge = QColor(0xd0, 0x8a, 0xf0);
    s.selection = QColor(0x5c, 0x8d, 0xff);
    s.searchHit = QColor(0xff, 0xc1, 0x2e);
    return s;
}

QColor DiagramStyle::namespaceAccent(const QString &namespaceName) const
{
    const PaletteColour c = namespaceColour(namespaceName);
    return darkMode ? QColor::fromHslF(c.hue / 360.0, std::min(1.0, c.saturation + 0.1),
                                       std::min(0.75, c.lightness + 0.25))
                    : QColor::fromHslF(c.hue / 360.0, c.saturation, c.lightness);
}

QColor DiagramStyle::namespaceFill(const QString &namespaceName) const
{
    const PaletteColour c = namespaceColour(namespaceName);
    return darkMode ? QColor::fromHslF(c.hue / 360.0, c.saturation * 0.6, 0.21)
                    : QColor::fromHslF(c.hue / 360.0, std::min(1.0, c.saturation + 0.2), 0.955);
}

void paintScene(QPainter &painter, const TopologyScene &scene, const QRectF &exposed, qreal scale,
                const DiagramStyle &style, const Highlight &highlight, const FlowOverlay *flows)
{
    Painter(painter, scene, scale, style, highlight, flows).paint(exposed);
}

} // namespace cartograph::diagram

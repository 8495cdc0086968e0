#include "TopologyView.h"

#include <QApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QRegion>
#include <QScrollBar>
#include <QStyle>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace cartograph::app {

using diagram::ShapeKind;

namespace {
constexpr qreal ZoomStep = 1.25;
constexpr qreal MaximumFitZoom = 2.0;

bool isLeaf(ShapeKind kind)
{
    return kind != ShapeKind::Node && kind != ShapeKind::Namespace;
}
} // namespace

TopologyView::TopologyView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setAutoFillBackground(false);
    horizontalScrollBar()->setSingleStep(24);
    verticalScrollBar()->setSingleStep(24);
}

TopologyView::~TopologyView() = default;

QSize TopologyView::sizeHint() const
{
    return {800, 600};
}

void TopologyView::setScene(std::shared_ptr<const diagram::TopologyScene> scene)
{
    const bool hadSelection = m_highlight.selected >= 0;
    m_scene = std::move(scene);
    m_flows.reset(); // its shape indices belong to the old scene
    m_highlight = {};
    m_dragMode = DragMode::None;
    zoomToFit();
    viewport()->update();
    if (hadSelection)
        emit selectionChanged(-1);
}

void TopologyView::replaceScene(std::shared_ptr<const diagram::TopologyScene> scene,
                                std::shared_ptr<const diagram::SceneDiff> changes,
                                const std::weak_ptr<const diagram::TopologyScene> &base)
{
    if (!m_scene || !scene) {
        setScene(std::move(scene));
        return;
    }
    if (!changes || base.lock() != m_scene)
        changes = std::make_shared<const diagram::SceneDiff>(diagram::diffScenes(*m_scene, *scene));
    const diagram::SceneDiff &diff = *changes;
    const QPointF centre = QRectF(viewport()->rect()).center();
    const QPointF sceneCentre = mapToScene(centre);
    const QPointF originBefore = mapFromScene(QPointF(0, 0));
    const qreal zoomBefore = m_zoom;
    const auto hazy = [this](const diagram::TopologyScene &s) {
        return s.endpointEdgeCount() > m_style.endpointEdgeLimit; // the painter's rule
    };
    const bool hazeChanged = hazy(*m_scene) != hazy(*scene);
    const bool hadFlows = m_flows != nullptr;

    m_scene = std::move(scene);
    m_flows.reset(); // its shape indices belong to the old scene
    const auto follow = [&diff](qsizetype shape) {
        return shape >= 0 && shape < diff.shapeMap.size() ? diff.shapeMap[shape] : qsizetype(-1);
    };
    const qsizetype selectedBefore = m_highlight.selected;
    m_highlight.selected = follow(selectedBefore);
    QSet<qsizetype> matches;
    matches.reserve(m_highlight.matches.size());
    for (qsizetype shape : std::as_const(m_highlight.matches)) {
        if (const qsizetype now = follow(shape); now >= 0)
            matches.insert(now);
    }
    m_highlight.matches = std::move(matches);

    if (m_fitToWindow) {
        if (!qFuzzyCompare(fitZoom(), m_zoom))
            applyZoom(fitZoom(), std::nullopt);
        else
            updateScrollBars();
    } else {
        updateScrollBars(); // may clamp the scroll bars: then the scene moved, repainted below
        scrollSoThat(sceneCentre, centre, true);
    }
    const QPointF shift = mapFromScene(QPointF(0, 0)) - originBefore;
    const bool moved = std::abs(shift.x()) > 0.01 || std::abs(shift.y()) > 0.01 ||
                       !qFuzzyCompare(m_zoom, zoomBefore);
    if (moved || hadFlows || hazeChanged)
        viewport()->update();
    else
        updateSceneRects(diff.dirty);

    if (m_highlight.selected != selectedBefore)
        emit selectionChanged(m_highlight.selected);
}

QRect TopologyView::repaintRect(const QRectF &sceneRect) const
{
    const qreal grow = diagram::PaintOverhang * m_zoom + RepaintMargin;
    return mapRectFromScene(sceneRect).adjusted(-grow, -grow, grow, grow).toAlignedRect();
}

void TopologyView::updateSceneRects(const QList<QRectF> &sceneRects)
{
    if (!m_scene)
        return;
    const QRect port = viewport()->rect();
    QList<QRect> visible;
    QRect bounding;
    for (const QRectF &rect : sceneRects) {
        const QRect onScreen = repaintRect(rect) & port;
        if (onScreen.isEmpty())
            continue;
        visible.append(onScreen);
        bounding |= onScreen;
    }
    if (visible.isEmpty())
        return;
    if (visible.size() > MaximumRepaintRects) {
        viewport()->update(bounding);
        return;
    }
    QRegion region;
    for (const QRect &rect : std::as_const(visible))
        region += rect;
    viewport()->update(region);
}

void TopologyView::setFlowOverlay(std::shared_ptr<const diagram::FlowOverlay> overlay)
{
    m_flows = std::move(overlay);
    viewport()->update();
}

void TopologyView::setDiagramStyle(const diagram::DiagramStyle &style)
{
    m_style = style;
    viewport()->update();
}

void TopologyView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

QSizeF TopologyView::contentSize() const
{
    if (!m_scene)
        return {};
    return m_scene->bounds().size() * m_zoom + QSizeF(2 * Margin, 2 * Margin);
}

QPointF TopologyView::contentOrigin(const QSize &port) const
{
    const QSizeF content = contentSize();
    // Content smaller than the viewport is centred; larger content follows the scroll bars.
    const qreal x = content.width() <= port.width() ? (port.width() - content.width()) / 2
                                                    : -horizontalScrollBar()->value();
    const qreal y = content.height() <= port.height() ? (port.height() - content.height()) / 2
                                                      : -verticalScrollBar()->value();
    return {x, y};
}

QPointF TopologyView::mapFromScene(const QPointF &scenePoint) const
{
    if (!m_scene)
        return {};
    return contentOrigin() + QPointF(Margin, Margin) +
           (scenePoint - m_scene->bounds().topLeft()) * m_zoom;
}

QPointF TopologyView::mapToScene(const QPointF &viewportPoint) const
{
    if (!m_scene)
        return {};
    return (viewportPoint - contentOrigin() - QPointF(Margin, Margin)) / m_zoom +
           m_scene->bounds().topLeft();
}

QRectF TopologyView::mapRectFromScene(const QRectF &sceneRect) const
{
    return {mapFromScene(sceneRect.topLeft()), sceneRect.size() * m_zoom};
}

QRectF TopologyView::visibleSceneRect() const
{
    if (!m_scene)
        return {};
    return QRectF(mapToScene(QPointF(0, 0)), QSizeF(viewport()->size()) / m_zoom);
}

void TopologyView::updateScrollBars()
{
    const QSizeF content = contentSize();
    const QSize port = viewport()->size();
    QScrollBar *horizontal = horizontalScrollBar();
    QScrollBar *vertical = verticalScrollBar();
    horizontal->setPageStep(port.width());
    vertical->setPageStep(port.height());
    horizontal->setRange(0, std::max(0, int(std::ceil(content.width())) - port.width()));
    vertical->setRange(0, std::max(0, int(std::ceil(content.height())) - port.height()));
}

void TopologyView::scrollSoThat(const QPointF &scenePoint, const QPointF &viewportPoint,
                                bool centred)
{
    if (!m_scene)
        return;
    const QPointF content =
        QPointF(Margin, Margin) + (scenePoint - m_scene->bounds().topLeft()) * m_zoom;
    m_positioning = true;
    horizontalScrollBar()->setValue(qRound(content.x() - viewportPoint.x()));
    verticalScrollBar()->setValue(qRound(content.y() - viewportPoint.y()));
    m_positioning = false;
    m_anchor = Anchor{scenePoint, viewportPoint, centred};
}

qreal TopologyView::fitZoom() const
{
    if (!m_scene || m_scene->bounds().isEmpty())
        return 1.0;
    // maximumViewportSize: the room there is once the content fits and the scroll bars go.
    const QSize room = maximumViewportSize() - QSize(2 * Margin, 2 * Margin);
    const QSizeF bounds = m_scene->bounds().size();
    const qreal zoom = std::min(std::max(room.width(), 1) / bounds.width(),
                                std::max(room.height(), 1) / bounds.height());
    return std::min(zoom, MaximumFitZoom);
}

qreal TopologyView::minimumZoom() const
{
    return std::max(1e-4, std::min(fitZoom(), 1.0) * 0.5);
}

void TopologyView::applyZoom(qreal zoom, std::optional<QPointF> anchor)
{
    zoom = std::clamp(zoom, minimumZoom(), MaximumZoom);
    const QPointF anchorPoint = anchor.value_or(QRectF(viewport()->rect()).center());
    const QPointF sceneAnchor = mapToScene(anchorPoint);
    const bool changed = !qFuzzyCompare(zoom, m_zoom);
    m_zoom = zoom;
    updateScrollBars();
    scrollSoThat(sceneAnchor, anchorPoint);
    viewport()->update();
    if (changed)
        emit zoomChanged(m_zoom);
}

void TopologyView::setZoom(qreal zoom, std::optional<QPointF> anchor)
{
    m_fitToWindow = false;
    applyZoom(zoom, anchor);
}

std::optional<QPointF> TopologyView::cursorAnchor() const
{
    const QPoint position = viewport()->mapFromGlobal(QCursor::pos());
    if (viewport()->underMouse() && viewport()->rect().contains(position))
        return QPointF(position);
    return std::nullopt;
}

void TopologyView::zoomIn()
{
    setZoom(m_zoom * ZoomStep, cursorAnchor());
}

void TopologyView::zoomOut()
{
    setZoom(m_zoom / ZoomStep, cursorAnchor());
}

void TopologyView::resetZoom()
{
    setZoom(1.0, cursorAnchor());
}

void TopologyView::zoomToFit()
{
    m_fitToWindow = true;
    applyZoom(fitZoom(), std::nullopt);
}

void TopologyView::zoomToRect(const QRectF &sceneRect, qreal maximumZoom)
{
    if (!m_scene || sceneRect.isEmpty())
        return;
    const QSize port = maximumViewportSize();
    const qreal zoom =
        std::min(port.width() / sceneRect.width(), port.height() / sceneRect.height());
    setZoom(std::min(zoom, maximumZoom));
    centerOn(sceneRect.center());
}

void TopologyView::zoomToShape(qsizetype shape)
{
    if (!m_scene || shape < 0 || shape >= m_scene->shapes().size())
        return;
    const diagram::Shape &target = m_scene->shapes().at(shape);
    if (isLeaf(target.kind)) {
        // A pod or service: large enough to read, with its neighbours around it; never zoom out.
        const QRectF context =
            target.rect.adjusted(-target.rect.width() * 1.2, -target.rect.height() * 2.5,
                                 target.rect.width() * 1.2, target.rect.height() * 2.5);
        const QSize port = maximumViewportSize();
        const qreal zoom =
            std::min(port.width() / context.width(), port.height() / context.height());
        setZoom(std::max(m_zoom, std::min(zoom, 2.5)));
        centerOn(target.rect.center());
    } else {
        const qreal pad = 16;
        zoomToRect(target.rect.adjusted(-pad, -pad, pad, pad), 2.0);
    }
}

void TopologyView::centerOn(const QPointF &scenePoint)
{
    scrollSoThat(scenePoint, QRectF(viewport()->rect()).center(), true);
}

void TopologyView::ensureVisible(const QRectF &sceneRect)
{
    const QRectF onScreen = mapRectFromScene(sceneRect);
    if (!QRectF(viewport()->rect()).contains(onScreen))
        centerOn(sceneRect.center());
}

void TopologyView::setSelectedShape(qsizetype shape)
{
    if (!m_scene || shape >= m_scene->shapes().size())
        shape = -1;
    if (shape < -1)
        shape = -1;
    if (shape == m_highlight.selected)
        return;
    m_highlight.selected = shape;
    viewport()->update();
    emit selectionChanged(shape);
}

void TopologyView::setSearchMatches(const QSet<qsizetype> &matches)
{
    if (matches == m_highlight.matches)
        return;
    // Only the shapes that gained or lost their halo (a live update searches again and mostly
    // finds what it found before).
    QList<QRectF> changed;
    if (m_scene) {
        const QList<diagram::Shape> &shapes = m_scene->shapes();
        const auto add = [&](qsizetype shape) {
            if (shape >= 0 && shape < shapes.size())
                changed.append(shapes.at(shape).rect);
        };
        for (qsizetype shape : matches) {
            if (!m_highlight.matches.contains(shape))
                add(shape);
        }
        for (qsizetype shape : std::as_const(m_highlight.matches)) {
            if (!matches.contains(shape))
                add(shape);
        }
    }
    m_highlight.matches = matches;
    updateSceneRects(changed);
}

void TopologyView::paintEvent(QPaintEvent *event)
{
    QPainter painter(viewport());
    const QRect exposed = event->rect();
    painter.fillRect(exposed, m_style.background);

    if (!m_scene || m_scene->shapes().isEmpty()) {
        if (m_placeholder.isEmpty())
            return;
        QColor textColor = m_style.darkMode ? QColor(0xb0, 0xb6, 0xbe) : QColor(0x60, 0x66, 0x6e);
        painter.setPen(textColor);
        QFont font = painter.font();
        font.setPointSizeF(font.pointSizeF() * 1.15);
        painter.setFont(font);
        const QRect box = viewport()->rect().adjusted(48, 48, -48, -48);
        painter.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }

    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                           QPainter::SmoothPixmapTransform);
    painter.translate(contentOrigin() + QPointF(Margin, Margin));
    painter.scale(m_zoom, m_zoom);
    painter.translate(-m_scene->bounds().topLeft());
    const QRectF exposedScene = painter.transform().inverted().mapRect(QRectF(exposed));
    diagram::paintScene(painter, *m_scene, exposedScene, m_zoom, m_style, m_highlight,
                        m_flows.get());
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    if (m_fitToWindow) {
        applyZoom(fitZoom(), std::nullopt);
        return;
    }
    if (!m_scene) {
        updateScrollBars();
        return;
    }
    // Keep what the user was looking at: the pending anchor, else the old viewport's centre.
    std::optional<Anchor> anchor = m_anchor;
    if (!anchor && event->oldSize().isValid()) {
        const QPointF oldCentre = QRectF(QPointF(0, 0), QSizeF(event->oldSize())).center();
        const QPointF scene =
            (oldCentre - contentOrigin(event->oldSize()) - QPointF(Margin, Margin)) / m_zoom +
            m_scene->bounds().topLeft();
        anchor = Anchor{scene, oldCentre, true};
    }
    updateScrollBars();
    if (anchor) {
        scrollSoThat(anchor->scene,
                     anchor->centred ? QRectF(viewport()->rect()).center() : anchor->viewport,
                     anchor->centred);
    }
}

void TopologyView::showEvent(QShowEvent *event)
{
    QAbstractScrollArea::showEvent(event);
    if (m_fitToWindow)
        applyZoom(fitZoom(), std::nullopt);
}

void TopologyView::scrollContentsBy(int, int)
{
    if (!m_positioning)
        m_anchor.reset(); // the user scrolled: from now on they decide what is in view
    viewport()->update();
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const QPoint delta = event->angleDelta();
        const int steps = delta.y() != 0 ? delta.y() : delta.x();
        if (steps != 0)
            setZoom(m_zoom * std::pow(1.0015, steps), event->position());
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    const Qt::MouseButton button = event->button();
    if (button != Qt::LeftButton && button != Qt::MiddleButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_dragButton = button;
    m_pressPosition = event->position().toPoint();
    m_pressScroll = QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value());
    m_dragMode = button == Qt::MiddleButton ? DragMode::Panning : DragMode::Pending;
    if (m_dragMode == DragMode::Panning)
        viewport()->setCursor(Qt::ClosedHandCursor);
    event->accept();
}

void TopologyView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragMode == DragMode::None) {
        QAbstractScrollArea::mouseMoveEvent(event);
        return;
    }
    const QPoint delta = event->position().toPoint() - m_pressPosition;
    if (m_dragMode == DragMode::Pending &&
        delta.manhattanLength() >= QApplication::startDragDistance()) {
        m_dragMode = DragMode::Panning;
        viewport()->setCursor(Qt::ClosedHandCursor);
    }
    if (m_dragMode == DragMode::Panning) {
        horizontalScrollBar()->setValue(m_pressScroll.x() - delta.x());
        verticalScrollBar()->setValue(m_pressScroll.y() - delta.y());
    }
    event->accept();
}

void TopologyView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragMode == DragMode::None || event->button() != m_dragButton) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    if (m_dragMode == DragMode::Pending && m_scene)
        setSelectedShape(m_scene->shapeAt(mapToScene(event->position())));
    m_dragMode = DragMode::None;
    m_dragButton = Qt::NoButton;
    viewport()->unsetCursor();
    event->accept();
}

void TopologyView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_scene) {
        QAbstractScrollArea::mouseDoubleClickEvent(event);
        return;
    }
    const qsizetype shape = m_scene->shapeAt(mapToScene(event->position()));
    if (shape >= 0) {
        setSelectedShape(shape);
        zoomToShape(shape);
    }
    event->accept();
}

void TopologyView::keyPressEvent(QKeyEvent *event)
{
    if (event->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier)) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
        zoomOut();
        break;
    case Qt::Key_Escape:
        if (m_highlight.selected < 0) {
            QAbstractScrollArea::keyPressEvent(event);
            return;
        }
        setSelectedShape(-1);
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

bool TopologyView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_scene) {
        auto *help = static_cast<QHelpEvent *>(event);
        const qsizetype shape = m_scene->shapeAt(mapToScene(help->pos()));
        if (shape >= 0) {
            const diagram::Shape &target = m_scene->shapes().at(shape);
            QString text =
                QStringLiteral("<b>") + target.label.toHtmlEscaped() + QStringLiteral("</b>");
            if (!target.detail.isEmpty())
                text += QStringLiteral("<br>") + target.detail.toHtmlEscaped();
            QToolTip::showText(help->globalPos(), text, viewport());
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace cartograph::app

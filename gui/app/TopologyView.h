#pragma once

#include "DiagramPainter.h"
#include "FlowOverlay.h"
#include "SceneDiff.h"
#include "TopologyScene.h"

#include <QAbstractScrollArea>
#include <QPoint>
#include <QSet>
#include <memory>
#include <optional>

namespace cartograph::app {

// Shows a laid-out TopologyScene. A scroll area that paints only what the viewport exposes
// (through paintScene and the scene's spatial grid), not a QGraphicsView with one item per
// pod: the cost of a frame follows what is on screen, not the size of the cluster.
//
// Scroll bar values are pixels of the zoomed content (scene bounds × zoom plus a margin).
class TopologyView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    explicit TopologyView(QWidget *parent = nullptr);
    ~TopologyView() override;

    // Replaces the scene, clears selection and matches, and fits it to the window.
    void setScene(std::shared_ptr<const diagram::TopologyScene> scene);
    // A newer layout of the same cluster (a live update): what is at the viewport's centre stays
    // there at the same zoom (clamped when the scene shrank; a view that fits the window is
    // fitted again), the selection and search hits follow their objects (selectionChanged with
    // the new index, or -1 when the selected object is gone), the flow overlay is dropped (its
    // shape indices belong to the old scene), and only what changed is repainted: the whole
    // viewport only when the scene moved on screen. Without a current scene: setScene().
    // `changes`, when given, is diffScenes(*base, *scene) worked out off the GUI thread; it is
    // used while `base` is still the scene shown, else the diff is worked out here.
    void replaceScene(std::shared_ptr<const diagram::TopologyScene> scene,
                      std::shared_ptr<const diagram::SceneDiff> changes = {},
                      const std::weak_ptr<const diagram::TopologyScene> &base = {});
    const std::shared_ptr<const diagram::TopologyScene> &scene() const { return m_scene; }

    void setDiagramStyle(const diagram::DiagramStyle &style);
    const diagram::DiagramStyle &diagramStyle() const { return m_style; }
    void setPlaceholderText(const QString &text);

    qreal zoom() const { return m_zoom; }
    qreal minimumZoom() const;
    static constexpr qreal MaximumZoom = 8.0;
    // Pixels around a repainted part of the scene (beyond diagram::PaintOverhang, which is in
    // scene units): anti-aliasing, and hairlines held at about a pixel when zoomed far out.
    static constexpr int RepaintMargin = 3;
    // Zooms keeping the scene point under `anchor` (viewport coordinates) in place; the
    // viewport centre when no anchor is given.
    void setZoom(qreal zoom, std::optional<QPointF> anchor = std::nullopt);
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void resetZoom(); // 100 %
    bool isFitToWindow() const { return m_fitToWindow; }
    // Zooms so the rectangle (scene coordinates) fills the viewport, with some context around.
    void zoomToRect(const QRectF &sceneRect, qreal maximumZoom = 3.0);
    void zoomToShape(qsizetype shape);

    void centerOn(const QPointF &scenePoint);
    // Scrolls as little as possible so the rectangle is in view.
    void ensureVisible(const QRectF &sceneRect);

    QPointF mapToScene(const QPointF &viewportPoint) const;
    QPointF mapFromScene(const QPointF &scenePoint) const;
    QRectF mapRectFromScene(const QRectF &sceneRect) const;
    QRectF visibleSceneRect() const;

    qsizetype selectedShape() const { return m_highlight.selected; }
    void setSelectedShape(qsizetype shape); // emits selectionChanged when it changes
    const QSet<qsizetype> &searchMatches() const { return m_highlight.matches; }
    void setSearchMatches(const QSet<qsizetype> &matches);
    // Observed traffic painted over the diagram; null for none.
    void setFlowOverlay(std::shared_ptr<const diagram::FlowOverlay> overlay);
    const std::shared_ptr<const diagram::FlowOverlay> &flowOverlay() const { return m_flows; }

    QSize sizeHint() const override;

signals:
    void selectionChanged(qsizetype shape);
    void zoomChanged(qreal zoom);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    static constexpr int Margin = 24; // pixels around the scene at every zoom
    // More changed rectangles than this on screen are repainted as their bounding rectangle:
    // a QRegion of thousands of rectangles costs more than the pixels it saves.
    static constexpr qsizetype MaximumRepaintRects = 64;

    QSizeF contentSize() const;
    // Viewport position of the content's top-left corner, for a viewport of the given size.
    QPointF contentOrigin(const QSize &port) const;
    QPointF contentOrigin() const { return contentOrigin(viewport()->size()); }
    qreal fitZoom() const;
    void updateScrollBars();
    void scrollSoThat(const QPointF &scenePoint, const QPointF &viewportPoint,
                      bool centred = false);
    std::optional<QPointF> cursorAnchor() const;
    // The viewport pixels a repaint of the scene rectangle must cover.
    QRect repaintRect(const QRectF &sceneRect) const;
    void updateSceneRects(const QList<QRectF> &sceneRects);
    void applyZoom(qreal zoom, std::optional<QPointF> anchor);

    std::shared_ptr<const diagram::TopologyScene> m_scene;
    diagram::DiagramStyle m_style = diagram::DiagramStyle::light();
    diagram::Highlight m_highlight;
    std::shared_ptr<const diagram::FlowOverlay> m_flows;
    QString m_placeholder;
    qreal m_zoom = 1.0;
    bool m_fitToWindow = true; // re-fit on resize until the user zooms

    // The last programmatic positioning (zoom around the cursor, centre on a shape) holds
    // until the user scrolls: scroll bars that appear or vanish because of it resize the
    // viewport afterwards (queued by QAbstractScrollArea), and must not move what is in view.
    struct Anchor
    {
        QPointF scene;
        QPointF viewport;
        bool centred = false;
    };
    std::optional<Anchor> m_anchor;
    bool m_positioning = false; // scroll bar changes made by scrollSoThat, not by the user

    enum class DragMode
    {
        None,
        Pending, // button down, not yet moved far enough to be a pan
        Panning
    };
    DragMode m_dragMode = DragMode::None;
    Qt::MouseButton m_dragButton = Qt::NoButton;
    QPoint m_pressPosition;
    QPoint m_pressScroll;
};

} // namespace cartograph::app

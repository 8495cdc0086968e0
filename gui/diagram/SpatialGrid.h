#pragma once

#include <QList>
#include <QPointF>
#include <QRectF>
#include <cstdint>
#include <vector>

namespace cartograph::diagram {

// A uniform grid of buckets over a fixed rectangle: items are entered by the cells their
// rectangle (or line segment) touches, and a query visits only the cells under the query
// rectangle. Built once (insert…, then build()), read-only afterwards, so concurrent queries
// are safe. Memory is one 32-bit entry per (item, cell) pair plus one offset per cell.
class SpatialGrid
{
public:
    // `itemHint` sizes the grid (about one cell per `itemsPerCell` items), never more than
    // `maxCellsPerSide` cells per side, and no cell smaller than `minCellSize`.
    SpatialGrid(const QRectF &bounds, qsizetype itemHint, qreal itemsPerCell = 2.0,
                int maxCellsPerSide = 1024, qreal minCellSize = 48.0);

    void insertRect(qint32 item, const QRectF &rect);
    // Enters only the cells the segment passes through (not its bounding box), so a long
    // diagonal edge costs a few hundred cells, not the whole grid.
    void insertSegment(qint32 item, const QPointF &a, const QPointF &b);
    void build();

    // Items entered in any cell the rectangle touches; sorted, without duplicates. A superset
    // of what intersects: callers test the exact geometry.
    QList<qsizetype> candidates(const QRectF &rect) const;
    QList<qsizetype> candidatesAt(const QPointF &point) const;

    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    qreal cellSize() const { return m_cellSize; }
    qsizetype entryCount() const { return qsizetype(m_items.size()); }

private:
    int columnOf(qreal x) const;
    int rowOf(qreal y) const;
    void add(int column, int row, qint32 item);

    QRectF m_bounds;
    qreal m_cellSize = 1.0;
    int m_columns = 1;
    int m_rows = 1;
    std::vector<std::pair<std::uint32_t, qint32>> m_pending; // (cell, item) before build()
    std::vector<std::uint32_t> m_offsets;                    // cell → first entry; size cells+1
    std::vector<qint32> m_items;
};

} // namespace cartograph::diagram

#include "SpatialGrid.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cartograph::diagram {

SpatialGrid::SpatialGrid(const QRectF &bounds, qsizetype itemHint, qreal itemsPerCell,
                         int maxCellsPerSide, qreal minCellSize)
    : m_bounds(bounds.normalized())
{
    const qreal width = std::max<qreal>(m_bounds.width(), 1.0);
    const qreal height = std::max<qreal>(m_bounds.height(), 1.0);
    const qreal targetCells = std::max<qreal>(1.0, qreal(itemHint) / std::max(itemsPerCell, 0.01));
    qreal cell = std::sqrt(width * height / targetCells);
    cell = std::max({cell, minCellSize, width / maxCellsPerSide, height / maxCellsPerSide});
    m_cellSize = cell;
    m_columns = std::max(1, int(std::ceil(width / cell)));
    m_rows = std::max(1, int(std::ceil(height / cell)));
}

int SpatialGrid::columnOf(qreal x) const
{
    const qreal c = std::floor((x - m_bounds.left()) / m_cellSize);
    return int(std::clamp<qreal>(c, 0, m_columns - 1));
}

int SpatialGrid::rowOf(qreal y) const
{
    const qreal r = std::floor((y - m_bounds.top()) / m_cellSize);
    return int(std::clamp<qreal>(r, 0, m_rows - 1));
}

void SpatialGrid::add(int column, int row, qint32 item)
{
    m_pending.emplace_back(std::uint32_t(row) * std::uint32_t(m_columns) + std::uint32_t(column),
                           item);
}

void SpatialGrid::insertRect(qint32 item, const QRectF &rect)
{
    const QRectF r = rect.normalized();
    const int c0 = columnOf(r.left()), c1 = columnOf(r.right());
    const int r0 = rowOf(r.top()), r1 = rowOf(r.bottom());
    for (int row = r0; row <= r1; ++row) {
        for (int column = c0; column <= c1; ++column)
            add(column, row, item);
    }
}

void SpatialGrid::insertSegment(qint32 item, const QPointF &a, const QPointF &b)
{
    // Amanatides & Woo grid traversal, in cell units.
    const double x0 = (a.x() - m_bounds.left()) / m_cellSize;
    const double y0 = (a.y() - m_bounds.top()) / m_cellSize;
    const double x1 = (b.x() - m_bounds.left()) / m_cellSize;
    const double y1 = (b.y() - m_bounds.top()) / m_cellSize;
    int column = columnOf(a.x()), row = rowOf(a.y());
    const int endColumn = columnOf(b.x()), endRow = rowOf(b.y());
    const int stepX = x1 > x0 ? 1 : (x1 < x0 ? -1 : 0);
    const int stepY = y1 > y0 ? 1 : (y1 < y0 ? -1 : 0);
    const double dx = std::abs(x1 - x0), dy = std::abs(y1 - y0);
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double fx = x0 - std::floor(x0), fy = y0 - std::floor(y0);
    double tMaxX = stepX == 0 ? inf : (stepX > 0 ? 1.0 - fx : fx) / dx;
    double tMaxY = stepY == 0 ? inf : (stepY > 0 ? 1.0 - fy : fy) / dy;
    const double tDeltaX = stepX == 0 ? inf : 1.0 / dx;
    const double tDeltaY = stepY == 0 ? inf : 1.0 / dy;
    // The guard only matters for points outside the bounds, where clamping bends the walk.
    const int maxSteps = std::abs(endColumn - column) + std::abs(endRow - row) + 2;
    for (int step = 0; step <= maxSteps; ++step) {
        add(column, row, item);
        if (column == endColumn && row == endRow)
            break;
        if (tMaxX < tMaxY) {
            if (column != endColumn)
                column += stepX;
            else
                row += stepY;
            tMaxX += tDeltaX;
        } else {
            if (row != endRow)
                row += stepY;
            else
                column += stepX;
            tMaxY += tDeltaY;
        }
        column = std::clamp(column, 0, m_columns - 1);
        row = std::clamp(row, 0, m_rows - 1);
    }
}

void SpatialGrid::build()
{
    const std::size_t cells = std::size_t(m_columns) * std::size_t(m_rows);
    m_offsets.assign(cells + 1, 0);
    for (const auto &[cell, item] : m_pending)
        ++m_offsets[cell + 1];
    for (std::size_t i = 0; i < cells; ++i)
        m_offsets[i + 1] += m_offsets[i];
    m_items.resize(m_pending.size());
    std::vector<std::uint32_t> fill(m_offsets.begin(), m_offsets.end() - 1);
    // Entries were added in item order, so each cell's list stays sorted by item.
    for (const auto &[cell, item] : m_pending)
        m_items[fill[cell]++] = item;
    m_pending.clear();
    m_pending.shrink_to_fit();
}

QList<qsizetype> SpatialGrid::candidates(const QRectF &rect) const
{
    QList<qsizetype> result;
    const QRectF r = rect.normalized();
    if (m_offsets.empty() || r.right() < m_bounds.left() || r.left() > m_bounds.right() ||
        r.bottom() < m_bounds.top() || r.top() > m_bounds.bottom())
        return result;
    const int c0 = columnOf(r.left()), c1 = columnOf(r.right());
    const int r0 = rowOf(r.top()), r1 = rowOf(r.bottom());
    for (int row = r0; row <= r1; ++row) {
        for (int column = c0; column <= c1; ++column) {
            const std::size_t cell =
                std::size_t(row) * std::size_t(m_columns) + std::size_t(column);
            for (std::uint32_t i = m_offsets[cell]; i < m_offsets[cell + 1]; ++i)
                result.append(m_items[i]);
        }
    }
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
}

QList<qsizetype> SpatialGrid::candidatesAt(const QPointF &point) const
{
    QList<qsizetype> result;
    if (m_offsets.empty() || !m_bounds.contains(point))
        return result;
    const std::size_t cell =
        std::size_t(rowOf(point.y())) * std::size_t(m_columns) + std::size_t(columnOf(point.x()));
    for (std::uint32_t i = m_offsets[cell]; i < m_offsets[cell + 1]; ++i)
        result.append(m_items[i]);
    return result;
}

} // namespace cartograph::diagram

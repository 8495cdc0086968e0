#pragma once

// Internal to the diagram library: small geometry shared by the scene index and the painter.

#include <QPointF>
#include <QRectF>
#include <algorithm>

namespace cartograph::diagram {

// Liang–Barsky: the parameter range [t0, t1] of the segment a→b inside r; false when the
// segment misses r. Used to cull edges (scene index) and to clip them (painter).
inline bool clipSegment(const QPointF &a, const QPointF &b, const QRectF &r, qreal &t0, qreal &t1)
{
    t0 = 0.0;
    t1 = 1.0;
    const qreal dx = b.x() - a.x(), dy = b.y() - a.y();
    const qreal p[4] = {-dx, dx, -dy, dy};
    const qreal q[4] = {a.x() - r.left(), r.right() - a.x(), a.y() - r.top(), r.bottom() - a.y()};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0)
                return false;
            continue;
        }
        const qreal t = q[i] / p[i];
        if (p[i] < 0.0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    return true;
}

inline bool segmentCrossesRect(const QPointF &a, const QPointF &b, const QRectF &r)
{
    qreal t0 = 0.0, t1 = 1.0;
    return clipSegment(a, b, r, t0, t1);
}

} // namespace cartograph::diagram

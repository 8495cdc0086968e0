#pragma once

// Test support: the regions of the paint events a widget receives, to check what a change
// repainted.

#include <QEvent>
#include <QList>
#include <QObject>
#include <QPaintEvent>
#include <QRegion>
#include <QWidget>

namespace cartograph::testing {

class PaintRecorder : public QObject
{
public:
    explicit PaintRecorder(QWidget *target) { target->installEventFilter(this); }
    QList<QRegion> regions;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            regions.append(static_cast<QPaintEvent *>(event)->region());
        return false;
    }
};

} // namespace cartograph::testing

#pragma once

#include "CaptureReplay.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace cartograph::app {

// The replay timeline: a slider over the capture's time, play/pause, speed (1×, 10×, as fast
// as possible) and what a position selects (everything up to it, or a window before it). A
// QTimer advances a capture::ReplayClock while playing; every change of position or mode
// emits spanChanged, which the flows table, the charts and the topology overlay follow.
class ReplayTimeline : public QWidget
{
    Q_OBJECT

public:
    static constexpr int WindowSeconds = 10;
    static constexpr int FrameMilliseconds = 40;

    explicit ReplayTimeline(QWidget *parent = nullptr);

    // A new capture: the position goes to its end (everything shown), playback stops.
    void setRange(std::int64_t firstUs, std::int64_t lastUs);
    void clear();

    std::int64_t position() const { return m_clock.position(); }
    void seek(std::int64_t positionUs);
    capture::TimelineMode mode() const { return m_mode; }
    void setMode(capture::TimelineMode mode);
    void setSpeed(double speed); // capture::ReplayClock::AsFastAsPossible for the fastest
    double speed() const { return m_clock.speed(); }
    bool isPlaying() const { return m_timer.isActive(); }
    void play();
    void pause();

signals:
    void positionChanged(std::int64_t positionUs);
    void modeChanged();
    void playingChanged(bool playing);

private:
    void tick();
    void updateControls();
    QString formatOffset(std::int64_t us) const;

    capture::ReplayClock m_clock;
    capture::TimelineMode m_mode = capture::TimelineMode::UpTo;
    QTimer m_timer;
    QElapsedTimer m_wall;
    QToolButton *m_play = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_time = nullptr;
    QComboBox *m_speed = nullptr;
    QComboBox *m_modeBox = nullptr;
    bool m_updating = false;
};

} // namespace cartograph::app

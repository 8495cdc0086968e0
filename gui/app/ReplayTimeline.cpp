#include "ReplayTimeline.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

namespace cartograph::app {

namespace {
// The slider counts milliseconds of capture time from its start (int: about 24 days).
constexpr std::int64_t kSliderUnitUs = 1000;
} // namespace

ReplayTimeline::ReplayTimeline(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(8);

    m_play = new QToolButton(this);
    m_play->setObjectName(QStringLiteral("replayPlay"));
    m_play->setAutoRaise(true);
    connect(m_play, &QToolButton::clicked, this, [this] { isPlaying() ? pause() : play(); });

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("replaySlider"));
    m_slider->setToolTip(tr("Replay position: drag to seek"));
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating)
            seek(m_clock.firstUs() + std::int64_t(value) * kSliderUnitUs);
    });

    m_time = new QLabel(this);
    m_time->setObjectName(QStringLiteral("replayTime"));
    m_time->setMinimumWidth(150);
    m_time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    m_speed = new QComboBox(this);
    m_speed->setObjectName(QStringLiteral("replaySpeed"));
    m_speed->setToolTip(tr("Replay speed"));
    m_speed->addItem(tr("1×"), 1.0);
    m_speed->addItem(tr("10×"), 10.0);
    m_speed->addItem(tr("As fast as possible"), capture::ReplayClock::AsFastAsPossible);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_clock.setSpeed(m_speed->itemData(index).toDouble()); });

    m_modeBox = new QComboBox(this);
    m_modeBox->setObjectName(QStringLiteral("replayMode"));
    m_modeBox->setToolTip(tr("What the table, charts and diagram show for the position"));
    m_modeBox->addItem(tr("Traffic up to position"), int(capture::TimelineMode::UpTo));
    m_modeBox->addItem(tr("Last %1 s before position").arg(WindowSeconds),
                       int(capture::TimelineMode::Window));
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        setMode(capture::TimelineMode(m_modeBox->itemData(index).toInt()));
    });

    layout->addWidget(m_play);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_time);
    layout->addWidget(m_speed);
    layout->addWidget(m_modeBox);

    m_timer.setInterval(FrameMilliseconds);
    connect(&m_timer, &QTimer::timeout, this, &ReplayTimeline::tick);
    clear();
}

void ReplayTimeline::setRange(std::int64_t firstUs, std::int64_t lastUs)
{
    pause();
    m_clock.setRange(firstUs, lastUs);
    m_clock.seek(lastUs);
    m_updating = true;
    m_slider->setRange(0, int((m_clock.lastUs() - m_clock.firstUs()) / kSliderUnitUs));
    m_updating = false;
    setEnabled(true);
    updateControls();
    emit positionChanged(m_clock.position());
}

void ReplayTimeline::clear()
{
    pause();
    m_clock.setRange(0, 0);
    setEnabled(false);
    updateControls();
}

void ReplayTimeline::seek(std::int64_t positionUs)
{
    const std::int64_t before = m_clock.position();
    m_clock.seek(positionUs);
    updateControls();
    if (m_clock.position() != before)
        emit positionChanged(m_clock.position());
}

void ReplayTimeline::setMode(capture::TimelineMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    m_updating = true;
    m_modeBox->setCurrentIndex(m_modeBox->findData(int(mode)));
    m_updating = false;
    emit modeChanged();
}

void ReplayTimeline::setSpeed(double speed)
{
    const int index = m_speed->findData(speed);
    if (index >= 0)
        m_speed->setCurrentIndex(index);
    m_clock.setSpeed(speed);
}

void ReplayTimeline::play()
{
    if (isPlaying() || !isEnabled())
        return;
    if (m_clock.atEnd()) // play again from the start
        seek(m_clock.firstUs());
    m_wall.start();
    m_timer.start();
    updateControls();
    emit playingChanged(true);
}

void ReplayTimeline::pause()
{
    if (!isPlaying())
        return;
    m_timer.stop();
    updateControls();
    emit playingChanged(false);
}

void ReplayTimeline::tick()
{
    const std::int64_t wallUs = m_wall.nsecsElapsed() / 1000;
    m_wall.restart();
    const bool more = m_clock.advance(wallUs);
    updateControls();
    emit positionChanged(m_clock.position());
    if (!more)
        pause();
}

QString ReplayTimeline::formatOffset(std::int64_t us) const
{
    const std::int64_t tenths = us / 100000;
    const std::int64_t seconds = tenths / 10;
    return QStringLiteral("%1:%2.%3")
        .arg(seconds / 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'))
        .arg(tenths % 10);
}

void ReplayTimeline::updateControls()
{
    m_play->setIcon(
        style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_play->setToolTip(isPlaying() ? tr("Pause") : tr("Play"));
    m_updating = true;
    m_slider->setValue(int((m_clock.position() - m_clock.firstUs()) / kSliderUnitUs));
    m_updating = false;
    m_time->setText(isEnabled()
                        ? tr("%1 / %2").arg(formatOffset(m_clock.position() - m_clock.firstUs()),
                                            formatOffset(m_clock.lastUs() - m_clock.firstUs()))
                        : tr("No capture"));
}

} // namespace cartograph::app

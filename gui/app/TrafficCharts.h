#pragma once

#include "CaptureReplay.h"

#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

class QBoxLayout;
class QChart;
class QChartView;
class QBarCategoryAxis;
class QHorizontalBarSeries;
class QLineSeries;
class QValueAxis;

namespace cartograph::app {

// Qt Charts panels of a replay: throughput over time (all traffic, the busiest namespaces, and
// the flows selected in the table) drawn up to the timeline position, with a cursor at it; and
// the top talkers inside the timeline's span as a bar chart.
class TrafficCharts : public QWidget
{
    Q_OBJECT

public:
    static constexpr int NamespaceSeries = 4; // the busiest namespaces get their own line
    static constexpr int TalkerCount = 8;

    explicit TrafficCharts(QWidget *parent = nullptr);
    ~TrafficCharts() override;

    void setReplay(std::shared_ptr<const capture::CaptureReplay> replay);
    // Flow indices selected in the table (empty: no selection line).
    void setSelection(const std::vector<std::size_t> &flows);
    void setPosition(std::int64_t positionUs, capture::SecondSpan span);
    // Follows the window's theme (chart backgrounds and text; the series keep their colours).
    void setDarkMode(bool dark);

    // What is drawn, for tests and the status bar: bytes under the "All traffic" line so far,
    // and the talker bars (label, bytes) top first.
    std::uint64_t shownTotalBytes() const { return m_shownTotal; }
    const std::vector<capture::Talker> &talkers() const { return m_talkers; }
    QChartView *throughputView() const { return m_throughputView; }
    QChartView *talkersView() const { return m_talkersView; }
    QLineSeries *totalSeries() const { return m_total; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuildSeries();
    void applySeriesPens();
    void fillSeries(QLineSeries *series, const std::vector<std::uint64_t> &values) const;

    std::shared_ptr<const capture::CaptureReplay> m_replay;
    std::vector<std::uint64_t> m_totalValues;
    std::vector<std::pair<QString, std::vector<std::uint64_t>>> m_namespaceValues;
    std::vector<std::uint64_t> m_selectionValues;
    std::int64_t m_positionSecond = 0;
    std::uint64_t m_shownTotal = 0;
    std::vector<capture::Talker> m_talkers;
    double m_unit = 1; // bytes per axis unit
    bool m_dark = false;
    std::optional<capture::SecondSpan> m_shownSpan;

    QBoxLayout *m_layout = nullptr;
    QChart *m_throughput = nullptr;
    QChartView *m_throughputView = nullptr;
    QValueAxis *m_timeAxis = nullptr;
    QValueAxis *m_rateAxis = nullptr;
    QLineSeries *m_total = nullptr;
    QList<QLineSeries *> m_namespaces;
    QLineSeries *m_selection = nullptr;
    QLineSeries *m_cursor = nullptr;

    QChart *m_talkerChart = nullptr;
    QChartView *m_talkersView = nullptr;
};

} // namespace cartograph::app

#include "TrafficCharts.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <numeric>

namespace cartograph::app {

namespace {

struct RateUnit
{
    double bytes;
    const char *name;
};

RateUnit rateUnit(std::uint64_t maximum)
{
    if (maximum >= 1'000'000'000)
        return {1e9, "GB/s"};
    if (maximum >= 1'000'000)
        return {1e6, "MB/s"};
    if (maximum >= 1'000)
        return {1e3, "kB/s"};
    return {1, "B/s"};
}

QChart *makeChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

} // namespace

TrafficCharts::TrafficCharts(QWidget *parent)
    : QWidget(parent)
{
    m_layout = new QBoxLayout(QBoxLayout::LeftToRight, this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(0);

    m_throughput = makeChart(tr("Throughput"));
    m_timeAxis = new QValueAxis(m_throughput);
    m_timeAxis->setTitleText(tr("seconds into the capture"));
    m_timeAxis->setLabelFormat(QStringLiteral("%d"));
    m_rateAxis = new QValueAxis(m_throughput);
    m_rateAxis->setLabelFormat(QStringLiteral("%.3g"));
    m_throughput->addAxis(m_timeAxis, Qt::AlignBottom);
    m_throughput->addAxis(m_rateAxis, Qt::AlignLeft);

    m_total = new QLineSeries(m_throughput);
    m_total->setName(tr("All traffic"));
    m_selection = new QLineSeries(m_throughput);
    m_selection->setName(tr("Selection"));
    m_cursor = new QLineSeries(m_throughput);
    for (int i = 0; i < NamespaceSeries; ++i)
        m_namespaces << new QLineSeries(m_throughput);
    QList<QLineSeries *> all{m_total};
    all += m_namespaces;
    all << m_selection << m_cursor;
    for (QLineSeries *series : all) {
        m_throughput->addSeries(series);
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_rateAxis);
    }
    m_throughputView = new QChartView(m_throughput, this);
    m_throughputView->setObjectName(QStringLiteral("throughputChart"));
    m_throughputView->setRenderHint(QPainter::Antialiasing);
    m_throughputView->setMinimumSize(260, 180);

    m_talkerChart = makeChart(tr("Top talkers"));
    m_talkerChart->legend()->hide();
    m_talkersView = new QChartView(m_talkerChart, this);
    m_talkersView->setObjectName(QStringLiteral("talkersChart"));
    m_talkersView->setRenderHint(QPainter::Antialiasing);
    m_talkersView->setMinimumSize(260, 180);
    applySeriesPens();

    m_layout->addWidget(m_throughputView, 1);
    m_layout->addWidget(m_talkersView, 1);
    rebuildSeries();
}

TrafficCharts::~TrafficCharts() = default;

void TrafficCharts::setDarkMode(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    // A theme resets every series' pen and the fonts: put ours back.
    m_throughput->setTheme(theme);
    m_talkerChart->setTheme(theme);
    applySeriesPens();
    m_talkers.clear(); // rebuilt with the theme's bar colours replaced by ours
    if (m_replay && m_shownSpan)
        setPosition(m_positionSecond * 1000000, *m_shownSpan);
}

void TrafficCharts::applySeriesPens()
{
    m_total->setPen(QPen(m_dark ? QColor(0xdf, 0xe1, 0xe5) : QColor(0x33, 0x3a, 0x44), 2.0));
    m_selection->setPen(QPen(QColor(0xe0, 0x2f, 0x6b), 2.4));
    m_cursor->setPen(QPen(QColor(0x8a, 0x90, 0x99), 1.0, Qt::DashLine));
    const QColor namespaceColours[NamespaceSeries] = {
        QColor(0x00, 0x72, 0xb2), QColor(0x00, 0x9e, 0x73), QColor(0xd5, 0x5e, 0x00),
        QColor(0xcc, 0x79, 0xa7)};
    for (int i = 0; i < NamespaceSeries; ++i)
        m_namespaces.at(i)->setPen(QPen(namespaceColours[i], 1.4));
}

void TrafficCharts::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Side by side in a wide dock, stacked in a tall one.
    m_layout->setDirection(width() >= height() ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
}

void TrafficCharts::setReplay(std::shared_ptr<const capture::CaptureReplay> replay)
{
    m_replay = std::move(replay);
    m_totalValues.clear();
    m_namespaceValues.clear();
    m_selectionValues.clear();
    m_talkers.clear();
    m_shownTotal = 0;
    if (m_replay) {
        m_totalValues = capture::throughputPerSecond(*m_replay);
        m_positionSecond = m_replay->lastSecond();
        std::map<QString, std::vector<std::uint64_t>> byNamespace =
            capture::throughputByNamespace(*m_replay);
        for (auto &[name, values] : byNamespace)
            m_namespaceValues.emplace_back(name, std::move(values));
        const auto sum = [](const std::vector<std::uint64_t> &v) {
            return std::accumulate(v.begin(), v.end(), std::uint64_t(0));
        };
        std::stable_sort(
            m_namespaceValues.begin(), m_namespaceValues.end(),
            [&sum](const auto &l, const auto &r) { return sum(l.second) > sum(r.second); });
        if (m_namespaceValues.size() > std::size_t(NamespaceSeries))
            m_namespaceValues.resize(NamespaceSeries);
    }
    rebuildSeries();
}

void TrafficCharts::setSelection(const std::vector<std::size_t> &flows)
{
    m_selectionValues.clear();
    if (m_replay && !flows.empty()) {
        std::vector<bool> selected(m_replay->flows().size(), false);
        for (std::size_t flow : flows) {
            if (flow < selected.size())
                selected[flow] = true;
        }
        m_selectionValues = capture::throughputPerSecond(
            *m_replay, [&selected](std::size_t flow) { return bool(selected[flow]); });
    }
    rebuildSeries();
}

void TrafficCharts::setPosition(std::int64_t positionUs, capture::SecondSpan span)
{
    if (!m_replay)
        return;
    m_positionSecond = positionUs >= 0 ? positionUs / 1000000 : -((-positionUs + 999999) / 1000000);
    m_shownSpan = span;
    rebuildSeries();

    std::vector<capture::Talker> talkers = capture::topTalkers(*m_replay, span, TalkerCount);
    const bool same = talkers.size() == m_talkers.size() &&
                      std::equal(talkers.begin(), talkers.end(), m_talkers.begin(),
                                 [](const capture::Talker &l, const capture::Talker &r) {
                                     return l.label == r.label && l.bytes == r.bytes;
                                 });
    if (same && !m_talkerChart->series().isEmpty())
        return;
    m_talkers = std::move(talkers);
    m_talkerChart->removeAllSeries();
    for (QAbstractAxis *axis : m_talkerChart->axes()) {
        m_talkerChart->removeAxis(axis); // hands the axis back to us
        delete axis;
    }
    if (m_talkers.empty())
        return;
    const RateUnit unit = rateUnit(m_talkers.front().bytes);
    auto *set = new QBarSet(tr("Bytes"));
    set->setColor(QColor(0x00, 0x72, 0xb2));
    QStringList labels;
    // Bars are laid out bottom up: the busiest last, so it is drawn on top.
    for (auto it = m_talkers.rbegin(); it != m_talkers.rend(); ++it) {
        *set << double(it->bytes) / unit.bytes;
        labels << (it->label.size() > 34 ? it->label.left(33) + u'…' : it->label);
    }
    auto *series = new QHorizontalBarSeries(m_talkerChart);
    series->append(set);
    series->setBarWidth(0.7);
    m_talkerChart->addSeries(series);
    auto *categories = new QBarCategoryAxis(m_talkerChart);
    categories->append(labels);
    auto *values = new QValueAxis(m_talkerChart);
    values->setTitleText(QString::fromLatin1(unit.name).chopped(2)); // bytes, kB, MB
    values->setLabelFormat(QStringLiteral("%.3g"));
    values->setMin(0);
    m_talkerChart->addAxis(categories, Qt::AlignLeft);
    m_talkerChart->addAxis(values, Qt::AlignBottom);
    series->attachAxis(categories);
    series->attachAxis(values);
}

void TrafficCharts::fillSeries(QLineSeries *series, const std::vector<std::uint64_t> &values) const
{
    QList<QPointF> points;
    const std::int64_t shown =
        m_replay ? std::min<std::int64_t>(std::int64_t(values.size()),
                                          m_positionSecond - m_replay->firstSecond() + 1)
                 : 0;
    points.reserve(qsizetype(std::max<std::int64_t>(shown, 0)));
    for (std::int64_t i = 0; i < shown; ++i)
        points.append(QPointF(double(i), double(values[std::size_t(i)]) / m_unit));
    series->replace(points);
    // A line needs two points: traffic of a single second is drawn as a marker.
    series->setPointsVisible(points.size() == 1);
}

void TrafficCharts::rebuildSeries()
{
    const std::uint64_t maximum =
        m_totalValues.empty() ? 0 : *std::max_element(m_totalValues.begin(), m_totalValues.end());
    const RateUnit unit = rateUnit(maximum);
    m_unit = unit.bytes;
    m_rateAxis->setTitleText(QString::fromLatin1(unit.name));
    m_rateAxis->setRange(0, std::max(1.0, double(maximum) / m_unit * 1.08));
    const double seconds =
        m_replay ? double(std::max<std::int64_t>(m_replay->secondCount(), 1)) : 1;
    const double span = std::max(1.0, seconds - 1);
    m_timeAxis->setRange(0, span);
    // Whole seconds, at most six ticks, 1-2-5 steps: a fixed tick count would put ticks at
    // fractions the whole-second labels round (0 0 0 0 1 on a one-second capture).
    double interval = 1;
    for (double magnitude = 1; interval * 5 < span; magnitude *= 10) {
        for (const double step : {1.0, 2.0, 5.0}) {
            interval = step * magnitude;
            if (interval * 5 >= span)
                break;
        }
    }
    m_timeAxis->setTickType(QValueAxis::TicksDynamic);
    m_timeAxis->setTickAnchor(0);
    m_timeAxis->setTickInterval(interval);

    fillSeries(m_total, m_totalValues);
    m_shownTotal = 0;
    if (m_replay) {
        const std::int64_t shown = std::min<std::int64_t>(
            std::int64_t(m_totalValues.size()), m_positionSecond - m_replay->firstSecond() + 1);
        for (std::int64_t i = 0; i < shown; ++i)
            m_shownTotal += m_totalValues[std::size_t(i)];
    }
    for (int i = 0; i < NamespaceSeries; ++i) {
        QLineSeries *series = m_namespaces.at(i);
        if (std::size_t(i) < m_namespaceValues.size()) {
            series->setName(tr("ns %1").arg(m_namespaceValues[std::size_t(i)].first));
            fillSeries(series, m_namespaceValues[std::size_t(i)].second);
            series->setVisible(true);
        } else {
            series->clear();
            series->setVisible(false);
        }
    }
    fillSeries(m_selection, m_selectionValues);
    m_selection->setVisible(!m_selectionValues.empty());
    if (m_replay) {
        const double x = double(m_positionSecond - m_replay->firstSecond());
        m_cursor->replace({QPointF(x, 0), QPointF(x, m_rateAxis->max())});
    } else {
        m_cursor->clear();
    }
    // The cursor is no data series: keep it out of the legend.
    const QList<QLegendMarker *> markers = m_throughput->legend()->markers(m_cursor);
    for (QLegendMarker *marker : markers)
        marker->setVisible(false);
}

} // namespace cartograph::app

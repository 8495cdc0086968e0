#include "LiveCaptureDialog.h"

#include "LiveSource.h"
#include "WhenFinished.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <utility>

namespace cartograph::app {

LiveCaptureDialog::LiveCaptureDialog(QWidget *parent)
    : QDialog(parent)
    , m_attributor(std::make_shared<capture::EndpointAttributor>())
{
    setWindowTitle(tr("Live Capture"));
    qRegisterMetaType<cartograph::capture::CaptureUpdatePtr>();
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    auto *interfaceRow = new QHBoxLayout;
    m_interface = new QComboBox;
    m_interface->setMinimumContentsLength(18);
    interfaceRow->addWidget(m_interface, 1);
    auto *refresh = new QPushButton(tr("Refresh"));
    connect(refresh, &QPushButton::clicked, this, &LiveCaptureDialog::refreshInterfaces);
    interfaceRow->addWidget(refresh);
    form->addRow(tr("Interface:"), interfaceRow);
    m_interfaceInfo = new QLabel;
    m_interfaceInfo->setWordWrap(true);
    form->addRow(QString(), m_interfaceInfo);
    connect(m_interface, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_interfaceInfo->setText(
            index < 0 ? QString() : m_interface->itemData(index, Qt::ToolTipRole).toString());
    });

    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("BPF filter, e.g. udp port 8472 or tcp port 443"));
    form->addRow(tr("Filter:"), m_filter);

    auto *saveRow = new QHBoxLayout;
    m_save = new QCheckBox(tr("Also save every packet to"));
    m_save->setChecked(true);
    saveRow->addWidget(m_save);
    m_savePath = new QLineEdit(QDir::home().filePath(QStringLiteral("cartograph-capture.pcapng")));
    saveRow->addWidget(m_savePath, 1);
    auto *browse = new QPushButton(tr("…"));
    connect(browse, &QPushButton::clicked, this, &LiveCaptureDialog::chooseSavePath);
    saveRow->addWidget(browse);
    form->addRow(tr("Keep:"), saveRow);
    layout->addLayout(form);

    m_status = new QLabel(tr("Not capturing"));
    layout->addWidget(m_status);
    m_drops = new QLabel;
    layout->addWidget(m_drops);
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    layout->addWidget(m_error);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    m_start = new QPushButton(tr("Start"));
    m_stop = new QPushButton(tr("Stop"));
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &LiveCaptureDialog::stop);
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    auto *close = new QPushButton(tr("Close"));
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    buttons->addWidget(close);
    layout->addLayout(buttons);
    refreshInterfaces();
    updateButtons();
}

LiveCaptureDialog::~LiveCaptureDialog() = default;

void LiveCaptureDialog::setAttributor(std::shared_ptr<const capture::EndpointAttributor> attributor)
{
    if (attributor)
        m_attributor = std::move(attributor);
}

void LiveCaptureDialog::refreshInterfaces()
{
    const QString previous = m_interface->currentText();
    m_interface->clear();
    Result<std::vector<capture::CaptureInterface>> interfaces = capture::listCaptureInterfaces();
    if (!interfaces) {
        showError(tr("Cannot list interfaces: %1").arg(describe(interfaces.error())));
        return;
    }
    for (const capture::CaptureInterface &entry : *interfaces) {
        QStringList facts;
        facts << (entry.up ? tr("up") : tr("down"));
        if (entry.running)
            facts << tr("running");
        if (entry.loopback)
            facts << tr("loopback");
        if (!entry.addresses.isEmpty())
            facts << entry.addresses.join(QStringLiteral(", "));
        if (!entry.description.isEmpty())
            facts << entry.description;
        m_interface->addItem(entry.name);
        m_interface->setItemData(m_interface->count() - 1, facts.join(QStringLiteral(" · ")),
                                 Qt::ToolTipRole);
    }
    const int index = m_interface->findText(previous);
    if (index >= 0)
        m_interface->setCurrentIndex(index);
}

bool LiveCaptureDialog::start()
{
    if (isCapturing())
        return false;
    m_error->clear();
    capture::CaptureSessionOptions options;
    options.live.interfaceName = m_interface->currentText();
    options.live.filter = m_filter->text().trimmed();
    if (m_save->isChecked())
        options.pcapngPath = m_savePath->text().trimmed();
    if (m_attributor->hasSnapshot())
        capture::addSnapshotTunnelPorts(m_attributor->snapshot(), options.analysis.decode);
    if (options.live.interfaceName.isEmpty()) {
        showError(tr("Choose an interface to capture on."));
        return false;
    }
    m_ended.clear();
    m_pendingFlows.reset();
    ++m_flowsGeneration; // a build still running for an earlier capture is not shown
    m_savedPath = options.pcapngPath;
    m_session = std::make_unique<capture::CaptureSession>();
    connect(m_session.get(), &capture::CaptureSession::updated, this, &LiveCaptureDialog::onUpdate);
    connect(m_session.get(), &capture::CaptureSession::finished, this,
            &LiveCaptureDialog::onFinished);
    const Status started = m_session->start(options);
    if (!started) {
        m_session.reset();
        showError(describe(started.error()));
        updateButtons();
        return false;
    }
    m_status->setText(
        tr("Capturing on %1 (%2)…")
            .arg(options.live.interfaceName, m_session->backend() == capture::CaptureBackend::Helper
                                                 ? tr("through cartograph-capture-helper")
                                                 : tr("directly")));
    updateButtons();
    emit captureStarted(options.live.interfaceName);
    return true;
}

void LiveCaptureDialog::stop()
{
    if (m_session)
        m_session->stop();
}

bool LiveCaptureDialog::isCapturing() const
{
    return m_session && m_session->isRunning();
}

QString LiveCaptureDialog::statusText() const
{
    return m_status->text();
}

QString LiveCaptureDialog::dropText() const
{
    return m_drops->text();
}

QString LiveCaptureDialog::errorText() const
{
    return m_error->text();
}

void LiveCaptureDialog::onUpdate(const capture::CaptureUpdatePtr &update)
{
    const capture::CaptureProgress &progress = update->progress;
    if (!update->endedFlows.empty()) {
        m_ended.push_back(
            {update->sequence,
             std::make_shared<const std::vector<capture::FlowRecord>>(update->endedFlows)});
    }
    const std::size_t flows = update->summary.flows;
    m_status->setText(tr("%1 packets captured, %2 decoded into %3; %4 written; %5 s")
                          .arg(progress.captured)
                          .arg(progress.decoded)
                          .arg(tr("%n flow(s)", nullptr, int(flows)))
                          .arg(progress.written)
                          .arg(double(progress.elapsed.count()) / 1000.0, 0, 'f', 1));
    const capture::CaptureDrops &drops = progress.drops;
    m_drops->setText(tr("Dropped: %1 (kernel %2, interface %3, our queue %4)")
                         .arg(drops.total())
                         .arg(drops.kernel)
                         .arg(drops.interface)
                         .arg(drops.queue));
    m_drops->setStyleSheet(drops.total() > 0 ? QStringLiteral("QLabel { color: #b00020; }")
                                             : QString());
    // The views are rebuilt from the flows only when the update carries the table: a large
    // one is copied less often than updates come (capture::nextFlowSnapshot()).
    if (!update->flowsIncluded)
        return;
    m_pendingFlows = update;
    if (!m_buildingFlows)
        buildFlows();
}

void LiveCaptureDialog::buildFlows()
{
    capture::CaptureUpdatePtr update = std::exchange(m_pendingFlows, nullptr);
    if (!update)
        return;
    m_buildingFlows = true;
    auto job = QtConcurrent::run([update, ended = m_ended] {
        // The flows that had left the table by this update's copy of it (later updates' ended
        // flows are still in that copy).
        auto flows = std::make_shared<capture::FlowReport>();
        for (const EndedFlows &part : ended) {
            if (part.sequence > update->sequence)
                break;
            flows->flows.insert(flows->flows.end(), part.flows->begin(), part.flows->end());
        }
        flows->flows.insert(flows->flows.end(), update->activeFlows.begin(),
                            update->activeFlows.end());
        flows->summary = update->summary;
        return std::shared_ptr<const capture::FlowReport>(std::move(flows));
    });
    whenFinished(job, this,
                 [this, generation = m_flowsGeneration](
                     const std::shared_ptr<const capture::FlowReport> &flows) {
                     m_buildingFlows = false;
                     // Not shown once the capture has ended (its last flows are out) or another
                     // has started.
                     if (generation == m_flowsGeneration)
                         emit flowsUpdated(flows);
                     buildFlows(); // the newest update that came meanwhile, if any
                 });
}

void LiveCaptureDialog::onFinished(const capture::CaptureUpdatePtr &update)
{
    QString error;
    if (update->error) {
        error = describe(*update->error);
        showError(error);
    }
    // Builds still running are not shown: these are the capture's last flows.
    ++m_flowsGeneration;
    m_pendingFlows.reset();
    if (update->report)
        emit flowsUpdated(update->report);
    m_status->setText(m_status->text() + QStringLiteral(" — ") + tr("stopped"));
    updateButtons();
    emit captureFinished(m_savedPath, error);
}

void LiveCaptureDialog::chooseSavePath()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save the capture as"), m_savePath->text(), tr("pcapng captures (*.pcapng)"));
    if (!path.isEmpty())
        m_savePath->setText(path);
}

void LiveCaptureDialog::showError(const QString &text)
{
    m_error->setText(text);
}

void LiveCaptureDialog::updateButtons()
{
    const bool capturing = isCapturing();
    m_start->setEnabled(!capturing);
    m_stop->setEnabled(capturing);
    m_interface->setEnabled(!capturing);
    m_filter->setEnabled(!capturing);
    m_save->setEnabled(!capturing);
    m_savePath->setEnabled(!capturing);
}

} // namespace cartograph::app

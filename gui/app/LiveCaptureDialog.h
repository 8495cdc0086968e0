#pragma once

#include "CaptureReplay.h"
#include "CaptureSession.h"
#include "FlowAttribution.h"

#include <QDialog>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace cartograph::app {

// Capture ▸ Live Capture: pick an interface, an optional BPF filter and a pcapng to keep
// everything captured, then start and stop. The counters (captured, flows, and the drops by the
// kernel, the interface and our own queue, never hidden) update with the session's batched
// updates, at most ten a second; each update that carries the flow table also hands the flows
// so far to the window, which shows them like a replayed file (table, charts, topology).
// Capturing needs root or the cartograph-capture-helper installed with file capabilities;
// without either the dialog says so and how to fix it. Closing the dialog only hides it: a capture
// goes on until Stop, and the pcapng stays complete.
class LiveCaptureDialog : public QDialog
{
    Q_OBJECT

public:
    explicit LiveCaptureDialog(QWidget *parent = nullptr);
    ~LiveCaptureDialog() override;

    // The snapshot the flows are attributed to (pods, services, nodes); shared, read-only.
    void setAttributor(std::shared_ptr<const capture::EndpointAttributor> attributor);

    // Fills the interface list (libpcap's, no privileges needed).
    void refreshInterfaces();
    bool start(); // with the dialog's settings; false with the reason shown
    void stop();
    bool isCapturing() const;

    QComboBox *interfaceBox() const { return m_interface; }
    QLineEdit *filterField() const { return m_filter; }
    QCheckBox *saveBox() const { return m_save; }
    QLineEdit *savePathField() const { return m_savePath; }
    QString statusText() const;
    QString dropText() const;
    QString errorText() const;
    capture::CaptureSession *session() const { return m_session.get(); }

signals:
    // A capture started on the interface.
    void captureStarted(const QString &interfaceName);
    // The flows captured so far (ended and active, unordered) and the summary; at most ten a
    // second. The receiver sorts and attributes them (to the snapshot it shows). The last one,
    // the session's report with every flow of the capture, comes before captureFinished().
    void flowsUpdated(std::shared_ptr<const cartograph::capture::FlowReport> flows);
    // The capture ended (stopped, or the interface went away); pcapngPath is empty when nothing
    // was saved.
    void captureFinished(const QString &pcapngPath, const QString &error);

private:
    void onUpdate(const capture::CaptureUpdatePtr &update);
    void onFinished(const capture::CaptureUpdatePtr &update);
    void chooseSavePath();
    void showError(const QString &text);
    void updateButtons();

    void buildFlows();

    std::unique_ptr<capture::CaptureSession> m_session;
    std::shared_ptr<const capture::EndpointAttributor> m_attributor;
    // The flows that left the table, kept for the views: each update's endedFlows, in order,
    // shared and immutable so a worker can read them (copied out of the update, which would
    // otherwise keep its copy of the flow table alive too).
    struct EndedFlows
    {
        std::uint64_t sequence; // of the update that brought them
        std::shared_ptr<const std::vector<capture::FlowRecord>> flows;
    };
    std::vector<EndedFlows> m_ended;
    // The flows so far are gathered on a worker (a million records to copy): one at a time,
    // from the newest update that carries the flow table; results of a capture that has ended
    // or been replaced since are dropped.
    capture::CaptureUpdatePtr m_pendingFlows;
    bool m_buildingFlows = false;
    quint64 m_flowsGeneration = 0;
    QString m_savedPath;

    QComboBox *m_interface = nullptr;
    QLabel *m_interfaceInfo = nullptr;
    QLineEdit *m_filter = nullptr;
    QCheckBox *m_save = nullptr;
    QLineEdit *m_savePath = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_drops = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace cartograph::app

#include "DiagnosticsPanel.h"

#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

namespace cartograph::app {

namespace {

QString severityColour(kube::Severity severity)
{
    switch (severity) {
    case kube::Severity::Error:
        return QStringLiteral("#c62828");
    case kube::Severity::Warning:
        return QStringLiteral("#e65100");
    case kube::Severity::Info:
        break;
    }
    return QStringLiteral("#1565c0");
}

QString paragraphs(const QString &text)
{
    return text.toHtmlEscaped().replace(u'\n', QStringLiteral("<br>"));
}

} // namespace

DiagnosticsPanel::DiagnosticsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_summary = new QLabel;
    layout->addWidget(m_summary);
    m_text = new QTextBrowser;
    m_text->setOpenExternalLinks(false);
    m_text->setOpenLinks(false);
    layout->addWidget(m_text, 1);
    setFindings({});
}

void DiagnosticsPanel::setFindings(const QList<kube::Finding> &findings)
{
    m_findings = findings;
    std::stable_sort(m_findings.begin(), m_findings.end(),
                     [](const kube::Finding &a, const kube::Finding &b) {
                         return int(a.severity) > int(b.severity);
                     });
    QString html;
    for (const kube::Finding &finding : std::as_const(m_findings)) {
        html += QStringLiteral("<p><b style=\"color:%1\">%2</b> <b>%3</b>")
                    .arg(severityColour(finding.severity),
                         kube::severityName(finding.severity).toHtmlEscaped(),
                         finding.title.toHtmlEscaped());
        if (!finding.subject.isEmpty())
            html += QStringLiteral(" <i>(%1)</i>").arg(finding.subject.toHtmlEscaped());
        if (!finding.detail.isEmpty())
            html += QStringLiteral("<br>") + paragraphs(finding.detail);
        if (!finding.suggestion.isEmpty())
            html += QStringLiteral("<br><span style=\"color:#2e7d32\">%1</span> <tt>%2</tt>")
                        .arg(tr("What to do:").toHtmlEscaped(), paragraphs(finding.suggestion));
        html += QStringLiteral("</p>");
    }
    if (m_findings.isEmpty())
        html = tr("<p>Nothing to report.</p>");
    m_text->setHtml(html);
    m_summary->setText(summaryText());
    emit summaryChanged(summaryText());
}

QString DiagnosticsPanel::summaryText() const
{
    int errors = 0;
    int warnings = 0;
    int notes = 0;
    for (const kube::Finding &finding : m_findings) {
        (finding.severity == kube::Severity::Error     ? errors
         : finding.severity == kube::Severity::Warning ? warnings
                                                       : notes) += 1;
    }
    return tr("%n error(s)", nullptr, errors) + QStringLiteral(", ") +
           tr("%n warning(s)", nullptr, warnings) + QStringLiteral(", ") +
           tr("%n note(s)", nullptr, notes);
}

} // namespace cartograph::app

// Writes the Calico demo traffic (DemoTraffic.h) to a pcap file: for screenshots and for
// trying the replay by hand (cartograph --demo calico --capture FILE).

#include "DemoTraffic.h"

#include <QFile>
#include <cstdio>

int main(int argc, char *argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: write-demo-capture OUT.pcap\n");
        return 2;
    }
    QFile file(QString::fromLocal8Bit(argv[1]));
    const QByteArray pcap = captest::demoTrafficPcap();
    if (!file.open(QIODevice::WriteOnly) || file.write(pcap) != pcap.size()) {
        std::fprintf(stderr, "write-demo-capture: %s: %s\n", argv[1],
                     file.errorString().toLocal8Bit().constData());
        return 1;
    }
    return 0;
}

// cartograph-pcapgen: writes the capture benchmark's deterministic pcaps.
//
//   cartograph-pcapgen -o FILE [--packets N] [--conversations N] [--encap plain|vxlan|ipip]
//                      [--vxlan-port N] [--seed N] [--snaplen N] [--concurrency N]

#include "PcapGenerator.h"

#include <QCoreApplication>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace cartograph;

namespace {

int usage()
{
    std::fprintf(
        stderr, "usage: cartograph-pcapgen -o FILE [--packets N] [--conversations N]\n"
                "                          [--encap plain|vxlan|ipip] [--vxlan-port N] [--seed N]\n"
                "                          [--snaplen N (0: whole frames)] [--concurrency N]\n");
    return 2;
}

bool parseNumber(const char *text, std::uint64_t max, std::uint64_t &value)
{
    char *end = nullptr;
    errno = 0;
    const unsigned long long parsed = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || parsed > max)
        return false;
    value = parsed;
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    bench::TrafficSpec spec;
    std::string output;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc)
            return usage();
        const char *value = argv[++i];
        std::uint64_t number = 0;
        const auto numeric = [&](std::uint64_t max) {
            if (parseNumber(value, max, number))
                return true;
            std::fprintf(stderr, "cartograph-pcapgen: %s wants a number up to %llu, not \"%s\"\n",
                         arg.c_str(), static_cast<unsigned long long>(max), value);
            return false;
        };
        if (arg == "-o") {
            output = value;
        } else if (arg == "--packets") {
            if (!numeric(UINT64_MAX))
                return 2;
            spec.packets = number;
        } else if (arg == "--conversations") {
            if (!numeric(UINT64_MAX))
                return 2;
            spec.conversations = number;
        } else if (arg == "--seed") {
            if (!numeric(UINT64_MAX))
                return 2;
            spec.seed = number;
        } else if (arg == "--vxlan-port") {
            if (!numeric(65535))
                return 2;
            spec.vxlanPort = std::uint16_t(number);
        } else if (arg == "--snaplen") {
            if (!numeric(262144))
                return 2;
            spec.snaplen = std::uint32_t(number);
        } else if (arg == "--concurrency") {
            if (!numeric(1u << 24))
                return 2;
            spec.concurrency = std::uint32_t(number);
        } else if (arg == "--encap") {
            if (std::strcmp(value, "plain") == 0)
                spec.encapsulation = bench::Encapsulation::None;
            else if (std::strcmp(value, "vxlan") == 0)
                spec.encapsulation = bench::Encapsulation::Vxlan;
            else if (std::strcmp(value, "ipip") == 0)
                spec.encapsulation = bench::Encapsulation::IpIp;
            else
                return usage();
        } else {
            return usage();
        }
    }
    if (output.empty())
        return usage();
    const auto written = bench::writeTrafficPcap(spec, QString::fromLocal8Bit(output.c_str()));
    if (!written) {
        std::fprintf(stderr, "cartograph-pcapgen: %s\n", qPrintable(describe(written.error())));
        return 1;
    }
    std::printf("%s: %llu packets, %llu TCP + %llu UDP conversations, %llu bytes on the wire, "
                "%llu bytes written\n",
                output.c_str(), static_cast<unsigned long long>(written->packets),
                static_cast<unsigned long long>(written->tcpConversations),
                static_cast<unsigned long long>(written->udpConversations),
                static_cast<unsigned long long>(written->wireBytes),
                static_cast<unsigned long long>(written->fileBytes));
    return 0;
}

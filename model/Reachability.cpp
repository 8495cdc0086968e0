#include "Reachability.h"

#include <QHash>
#include <QSet>
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace cartograph {

namespace {

const QString kMetadataNameLabel = QStringLiteral("kubernetes.io/metadata.name");
constexpr int kMaxPort = 65535;
constexpr int kProtocolCount = 3;
constexpr Protocol kProtocols[kProtocolCount] = {Protocol::TCP, Protocol::UDP, Protocol::SCTP};

int protocolSlot(Protocol protocol)
{
    return int(protocol);
}

// --- Bit rows over classes -------------------------------------------------------------------

using Word = std::uint64_t;
constexpr qsizetype kWordBits = 64;
constexpr Word kAllBits = ~Word(0);

qsizetype wordsFor(qsizetype bits)
{
    return (bits + kWordBits - 1) / kWordBits;
}

bool testBit(const Word *row, qsizetype bit)
{
    return (row[bit / kWordBits] >> (bit % kWordBits)) & 1u;
}

void setBit(Word *row, qsizetype bit)
{
    row[bit / kWordBits] |= Word(1) << (bit % kWordBits);
}

template <typename Visit> void forEachBit(const Word *row, qsizetype words, Visit visit)
{
    for (qsizetype i = 0; i < words; ++i) {
        for (Word word = row[i]; word != 0; word &= word - 1)
            visit(i * kWordBits + std::countr_zero(word));
    }
}

// Rows of one width in one allocation.
class BitMatrix
{
public:
    BitMatrix() = default;
    BitMatrix(qsizetype rows, qsizetype bits)
        : m_words(wordsFor(bits))
        , m_data(size_t(rows * m_words))
    {}

    qsizetype words() const { return m_words; }
    // Adds zeroed rows at the end (or drops the last ones).
    void resizeRows(qsizetype rows) { m_data.resize(size_t(rows * m_words), 0); }
    Word *row(qsizetype index) { return m_data.data() + index * m_words; }
    const Word *row(qsizetype index) const { return m_data.data() + index * m_words; }

private:
    qsizetype m_words = 0;
    std::vector<Word> m_data;
};

// Bit c of block[r] becomes bit r of block[c] (a 64×64 bit matrix transposed in place).
void transpose64(Word block[64])
{
    Word mask = 0x00000000FFFFFFFFull;
    for (int width = 32; width != 0; width >>= 1, mask ^= mask << width) {
        for (int k = 0; k < 64; k = ((k | width) + 1) & ~width) {
            const Word swapped = ((block[k] >> width) ^ block[k | width]) & mask;
            block[k] ^= swapped << width;
            block[k | width] ^= swapped;
        }
    }
}

std::uint64_t hashWords(const Word *row, qsizetype words)
{
    std::uint64_t hash = 0x9E3779B97F4A7C15ull;
    for (qsizetype i = 0; i < words; ++i) {
        hash = (hash ^ row[i]) * 0xFF51AFD7ED558CCDull;
        hash ^= hash >> 32;
    }
    return hash;
}

// Keeps each distinct bit row once; the pointers it hands out stay valid as long as its chunks.
// Rows are mostly shared: every class with the same profile, and often several port classes of
// one profile, have the same row.
class RowStore
{
public:
    explicit RowStore(qsizetype words)
        : m_words(words)
        , m_rowsPerChunk(std::max<qsizetype>(1, (qsizetype(1) << 20) / (words * 8)))
    {}

    const Word *intern(const Word *row)
    {
        std::vector<const Word *> &bucket = m_byHash[hashWords(row, m_words)];
        for (const Word *stored : bucket) {
            if (std::equal(row, row + m_words, stored))
                return stored;
        }
        if (m_chunks.empty() || m_usedInChunk == m_rowsPerChunk) {
            m_chunks.push_back(
                std::make_unique_for_overwrite<Word[]>(size_t(m_rowsPerChunk * m_words)));
            m_usedInChunk = 0;
        }
        Word *slot = m_chunks.back().get() + m_usedInChunk++ * m_words;
        std::copy(row, row + m_words, slot);
        bucket.push_back(slot);
        ++m_rowCount;
        return slot;
    }

    qsizetype rowCount() const { return m_rowCount; }
    std::vector<std::unique_ptr<Word[]>> takeChunks() { return std::move(m_chunks); }

private:
    qsizetype m_words;
    qsizetype m_rowsPerChunk;
    qsizetype m_usedInChunk = 0;
    qsizetype m_rowCount = 0;
    std::vector<std::unique_ptr<Word[]>> m_chunks;
    std::unordered_map<std::uint64_t, std::vector<const Word *>> m_byHash;
};

// --- Work on every core ----------------------------------------------------------------------

int workerCount()
{
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

// Calls work(index, worker) for every index in [0, count) on all cores; indices are handed out
// in chunks of `grain`, so uneven items balance. worker is in [0, workerCount()).
template <typename Work> void parallelFor(qsizetype count, qsizetype grain, const Work &work)
{
    const qsizetype chunks = (count + grain - 1) / grain;
    const int workers = int(std::min<qsizetype>(workerCount(), chunks));
    if (workers <= 1) {
        for (qsizetype i = 0; i < count; ++i)
            work(i, 0);
        return;
    }
    std::atomic<qsizetype> next{0};
    const auto run = [&](int worker) {
        for (;;) {
            const qsizetype begin = next.fetch_add(grain);
            if (begin >= count)
                return;
            const qsizetype end = std::min(count, begin + grain);
            for (qsizetype i = begin; i < end; ++i)
                work(i, worker);
        }
    };
    std::vector<std::thread> threads;
    for (int worker = 1; worker < workers; ++worker)
        threads.emplace_back(run, worker);
    run(0);
    for (std::thread &thread : threads)
        thread.join();
}

// --- Addresses as 128-bit numbers ------------------------------------------------------------

// An address as a number (IPv4 in the low 32 bits), so that CIDRs become intervals.
struct AddressKey
{
    std::uint64_t high = 0;
    std::uint64_t low = 0;

    friend auto operator<=>(const AddressKey &, const AddressKey &) = default;
};

int familySlot(IpAddress::Family family)
{
    return family == IpAddress::Family::V6 ? 1 : 0;
}

IpAddress::Family familyOfSlot(int slot)
{
    return slot == 1 ? IpAddress::Family::V6 : IpAddress::Family::V4;
}

AddressKey keyOf(const IpAddress &address)
{
    AddressKey key;
    const auto &bytes = address.bytes();
    for (int i = 0; i < 8; ++i) {
        key.high = (key.high << 8) | bytes[size_t(i)];
        key.low = (key.low << 8) | bytes[size_t(i + 8)];
    }
    return key;
}

IpAddress addressOf(IpAddress::Family family, const AddressKey &key)
{
    if (family == IpAddress::Family::V4)
        return IpAddress::fromV4(std::uint32_t(key.low));
    std::array<std::uint8_t, 16> bytes{};
    for (int i = 0; i < 8; ++i) {
        bytes[size_t(7 - i)] = std::uint8_t(key.high >> (8 * i));
        bytes[size_t(15 - i)] = std::uint8_t(key.low >> (8 * i));
    }
    return IpAddress::fromV6(bytes);
}

std::uint64_t lowBits(int count)
{
    return count >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << count) - 1;
}

AddressKey lastAddressOf(const Cidr &cidr)
{
    AddressKey key = keyOf(cidr.network());
    const int hostBits = cidr.network().bitWidth() - cidr.prefixLength();
    if (hostBits >= 64) {
        key.low = ~std::uint64_t(0);
        key.high |= lowBits(hostBits - 64);
    } else {
        key.low |= lowBits(hostBits);
    }
    return key;
}

AddressKey lastAddressOf(IpAddress::Family family)
{
    if (family == IpAddress::Family::V4)
        return AddressKey{0, 0xFFFFFFFFull};
    return AddressKey{~std::uint64_t(0), ~std::uint64_t(0)};
}

// The address after `key`, unless key is the family's last.
std::optional<AddressKey> addressAfter(const AddressKey &key, IpAddress::Family family)
{
    if (key == lastAddressOf(family))
        return std::nullopt;
    AddressKey next = key;
    if (++next.low == 0)
        ++next.high;
    return next;
}

// --- Policies, analysed once -----------------------------------------------------------------

// A set of pods that selectors pick: the pods of one namespace (a policy's own podSelector, or a
// peer's podSelector alone), or of every namespace a namespaceSelector matches; narrowed by a
// podSelector when there is one. Identical ones are evaluated once.
struct SelectorItem
{
    int namespaceIndex = -1; // when there is no namespaceSelector
    std::optional<LabelSelector> namespaceSelector;
    std::optional<LabelSelector> podSelector; // absent: every pod there

    friend bool operator==(const SelectorItem &, const SelectorItem &) = default;
};

struct Peer
{
    enum class Kind
    {
        Nothing, // neither selector nor ipBlock: matches no endpoint
        Selector,
        IpBlock,
    };
    Kind kind = Kind::Nothing;
    int index = -1; // into the selector items or the ipBlocks
};

struct Rule
{
    bool everyPeer = false; // no from/to: every source or destination, pods and addresses
    std::vector<Peer> peers;
    QList<NetworkPolicyPort> ports; // shared with the policy (implicitly shared)
    std::vector<int> namedPortIds;  // per port: the named port's id, or -1
};

struct PolicyInfo
{
    int selectionItem = -1;
    bool affectsIngress = false;
    bool affectsEgress = false;
    std::vector<Rule> ingress;
    std::vector<Rule> egress;
    bool egressUsesIpBlocks = false;
    std::vector<int> ingressNamedPortIds; // sorted, distinct
};

struct NamedPort
{
    QString name;
    Protocol protocol = Protocol::TCP;
};

// Which address of a destination pod an egress ipBlock sees. The pair's family is the one of the
// source pod's first IP, or the destination's own first IP's when the source has none (as
// PolicyEngine::check() picks addresses); the destination then shows its first IP of that
// family. The sources' address for ingress ipBlocks is always their first IP (OwnFirstIp).
enum AddressChoice
{
    FirstIpv4 = 0,
    FirstIpv6 = 1,
    OwnFirstIp = 2,
};
constexpr int kAddressChoices = 3;

AddressChoice choiceForSource(IpAddress::Family sourceFamily)
{
    switch (sourceFamily) {
    case IpAddress::Family::V4:
        return FirstIpv4;
    case IpAddress::Family::V6:
        return FirstIpv6;
    case IpAddress::Family::None:
        break;
    }
    return OwnFirstIp;
}

// Whether a rule's ports admit a port class whatever the destination (Every), only on
// destinations whose named port has that number (Named), or not at all.
enum class PortMatch
{
    None,
    Every,
    Named,
};

PortMatch matchRulePorts(const Rule &rule, const PortClass &portClass)
{
    if (rule.ports.isEmpty())
        return PortMatch::Every;
    const int port = portClass.representative();
    bool named = false;
    for (const NetworkPolicyPort &rulePort : rule.ports) {
        if (rulePort.effectiveProtocol() != portClass.protocol)
            continue;
        if (rulePort.portNumber) {
            const int first = *rulePort.portNumber;
            if (port >= first && port <= rulePort.endPort.value_or(first))
                return PortMatch::Every;
        } else if (rulePort.portName) {
            named = true;
        } else {
            return PortMatch::Every; // protocol only: every port of it
        }
    }
    return named ? PortMatch::Named : PortMatch::None;
}

struct IntVectorHash
{
    size_t operator()(const std::vector<int> &values) const noexcept
    {
        std::uint64_t hash = 0x9E3779B97F4A7C15ull ^ values.size();
        for (const int value : values) {
            hash = (hash ^ std::uint32_t(value)) * 0xFF51AFD7ED558CCDull;
            hash ^= hash >> 29;
        }
        return size_t(hash);
    }
};

using IntVectorMap = std::unordered_map<std::vector<int>, int, IntVectorHash>;

int internVector(IntVectorMap &map, const std::vector<int> &key)
{
    const auto [it, inserted] = map.try_emplace(key, int(map.size()));
    return it->second;
}

size_t hashSelector(const LabelSelector &selector, size_t seed)
{
    for (const auto &[key, value] : selector.matchLabels)
        seed = qHashMulti(seed, key, value);
    for (const LabelSelectorRequirement &requirement : selector.matchExpressions) {
        seed = qHashMulti(seed, requirement.key, int(requirement.op));
        for (const QString &value : requirement.values)
            seed = qHash(value, seed);
    }
    return seed;
}

size_t hashSelectorItem(const SelectorItem &item)
{
    size_t seed = ::qHash(item.namespaceIndex);
    seed = item.namespaceSelector ? hashSelector(*item.namespaceSelector, seed + 1) : seed;
    seed = item.podSelector ? hashSelector(*item.podSelector, seed + 2) : seed;
    return seed;
}

QString addressRangeText(const AddressRange &range)
{
    if (range.first == range.last)
        return range.first.toString();
    return range.first.toString() + u'-' + range.last.toString();
}

} // namespace

// --- The result ------------------------------------------------------------------------------

struct Reachability::Data
{
    const ClusterSnapshot *snapshot = nullptr;
    QList<EndpointClass> classes; // pod classes, then address classes
    qsizetype podClassCount = 0;
    std::vector<qint32> classOfPod;
    QStringList namespaces;                            // the namespaces with pods, in class order
    std::vector<qint32> namespaceOfClass;              // pod classes: index into namespaces
    std::vector<qsizetype> namespaceFirstClass;        // namespaces.size() + 1 bounds
    std::array<std::vector<AddressKey>, 2> atomStarts; // per family: elementary address ranges
    std::array<std::vector<qint32>, 2> atomClass;      // their address class
    QList<PortClass> portClasses;
    // Per protocol: where each elementary port range starts, and its port class.
    std::array<std::vector<std::pair<int, qint32>>, kProtocolCount> portClassStarts;

    qsizetype rowWords = 0;
    std::vector<qint32> egressProfileOfClass; // -1 when the class is not isolated for egress
    std::vector<qint32> ingressProfileOfClass;
    qsizetype egressProfileCount = 0;
    qsizetype ingressProfileCount = 0;
    std::vector<const Word *> egressRows; // [profile * portClasses.size() + portClass]
    std::vector<const Word *> ingressRows;
    std::vector<std::unique_ptr<Word[]>> rowStorage;
    qsizetype distinctRows = 0;
    qsizetype distinctSelectors = 0;
    std::array<std::vector<QList<qsizetype>>, 2> selectedByPolicy; // [PolicyType][policy]
    // What the build learnt (analysed policies, pod groups, selector matches), kept so that an
    // edit of a few policies can start from it.
    std::shared_ptr<const Builder> builder;
    // The build whose rows this one shares (an edit reuses the rows of untouched profiles).
    std::shared_ptr<const Data> rowSource;
    std::vector<int> policiesFromBase; // derived: see Reachability::policiesFromBase()
    // Pods by workload, made on first use; shared with the Reachabilities derived from this one
    // (their pods are the same).
    struct WorkloadCache
    {
        std::once_flag once;
        Workloads workloads;
    };
    std::shared_ptr<WorkloadCache> workloadCache = std::make_shared<WorkloadCache>();
    // The pods' labels, named ports and first addresses in flat arrays, made on the first edit
    // and shared with the derived reachabilities: regrouping after an edit reads these instead
    // of chasing every pod's strings.
    struct PodIndex
    {
        std::once_flag once;
        QHash<QString, qint32> stringIds; // label keys and values
        QStringList strings;
        // Per label key (string id): (pod, value string id), ascending by pod.
        std::unordered_map<qint32, std::vector<std::pair<qint32, qint32>>> labelsByKey;
        // Per "protocol/name": (pod, number) of the first port of that name, ascending by pod.
        QHash<QString, std::vector<std::pair<qint32, qint32>>> namedPorts;
        // Per family slot: each pod's first address of that family, and whether it has one.
        std::array<std::vector<AddressKey>, 2> firstAddress;
        std::array<std::vector<char>, 2> hasAddress;
    };
    std::shared_ptr<PodIndex> podIndex = std::make_shared<PodIndex>();
    const PodIndex &indexedPods() const;

    const Word *egressRow(qsizetype classIndex, qsizetype portClass) const
    {
        if (classIndex >= podClassCount || egressProfileOfClass[size_t(classIndex)] < 0)
            return nullptr;
        return egressRows[size_t(egressProfileOfClass[size_t(classIndex)] * portClasses.size() +
                                 portClass)];
    }
    const Word *ingressRow(qsizetype classIndex, qsizetype portClass) const
    {
        if (classIndex >= podClassCount || ingressProfileOfClass[size_t(classIndex)] < 0)
            return nullptr;
        return ingressRows[size_t(ingressProfileOfClass[size_t(classIndex)] * portClasses.size() +
                                  portClass)];
    }

    bool allows(qsizetype from, qsizetype to, qsizetype portClass) const
    {
        if (from >= podClassCount && to >= podClassCount) {
            // Policies do not apply between two addresses; only one family connects.
            return classes[from].family == classes[to].family;
        }
        const Word *egress = egressRow(from, portClass);
        if (egress && !testBit(egress, to))
            return false;
        const Word *ingress = ingressRow(to, portClass);
        return !ingress || testBit(ingress, from);
    }

    qsizetype portClassOf(int port, Protocol protocol) const
    {
        if (port < 1 || port > kMaxPort)
            return -1;
        const auto &starts = portClassStarts[size_t(protocolSlot(protocol))];
        const auto it = std::upper_bound(
            starts.begin(), starts.end(), port,
            [](int value, const std::pair<int, qint32> &start) { return value < start.first; });
        return it == starts.begin() ? -1 : std::prev(it)->second;
    }

    qsizetype classOfAddress(const IpAddress &address) const
    {
        if (address.isNull())
            return -1;
        const int slot = familySlot(address.family());
        const auto &starts = atomStarts[size_t(slot)];
        const auto it = std::upper_bound(starts.begin(), starts.end(), keyOf(address));
        return atomClass[size_t(slot)][size_t(std::distance(starts.begin(), it) - 1)];
    }

    int portFor(qsizetype toPod, const ProbePort &port, Protocol protocol) const
    {
        if (port.name.isEmpty())
            return port.number;
        if (toPod < 0)
            return 0; // a name resolves against a destination pod only
        return snapshot->pods[toPod].namedPort(port.name, protocol);
    }
};

const Reachability::Data::PodIndex &Reachability::Data::indexedPods() const
{
    PodIndex &index = *podIndex;
    std::call_once(index.once, [&] {
        const auto intern = [&](const QString &text) {
            const auto it = index.stringIds.constFind(text);
            if (it != index.stringIds.constEnd())
                return *it;
            const qint32 id = qint32(index.strings.size());
            index.stringIds.insert(text, id);
            index.strings.append(text);
            return id;
        };
        const QList<Pod> &pods = snapshot->pods;
        for (int slot = 0; slot < 2; ++slot) {
            index.firstAddress[size_t(slot)].resize(size_t(pods.size()));
            index.hasAddress[size_t(slot)].resize(size_t(pods.size()));
        }
        QHash<QString, qint32> portSeen; // "protocol/name" → last pod that has it
        for (qsizetype i = 0; i < pods.size(); ++i) {
            const Pod &pod = pods.at(i);
            for (const auto &[key, value] : pod.labels)
                index.labelsByKey[intern(key)].push_back({qint32(i), intern(value)});
            for (const Container &container : pod.containers) {
                for (const ContainerPort &port : container.ports) {
                    if (port.name.isEmpty())
                        continue;
                    const QString name = protocolName(port.protocol) + u'/' + port.name;
                    auto &seen = portSeen[name];
                    if (seen == qint32(i) + 1)
                        continue; // the first port of a name counts, as Pod::namedPort() reads
                    seen = qint32(i) + 1;
                    index.namedPorts[name].push_back({qint32(i), port.containerPort});
                }
            }
            for (const IpAddress &address : pod.podIps) {
                if (address.isNull())
                    continue;
                const int slot = familySlot(address.family());
                if (!index.hasAddress[size_t(slot)][size_t(i)]) {
                    index.hasAddress[size_t(slot)][size_t(i)] = 1;
                    index.firstAddress[size_t(slot)][size_t(i)] = keyOf(address);
                }
            }
        }
    });
    return index;
}

// --- Building it -----------------------------------------------------------------------------

class Reachability::Builder
{
public:
    Builder(const ClusterSnapshot &snapshot, Data &data)
        : m_snapshot(&snapshot)
        , m_data(&data)
    {}

    void run()
    {
        m_data->snapshot = m_snapshot;
        collectNamespaces();
        analysePolicies();
        partitionAddresses();
        groupPods();
        evaluateSelectors();
        refineClasses();
        buildClasses();
        buildClassSets();
        partitionPorts();
        buildNamedPortSets();
        buildProfiles();
        computeRows();
    }

    // This builder's knowledge, re-aimed at `snapshot` (the same pods, other policies) and a
    // new result.
    Builder(const Builder &base, const ClusterSnapshot &snapshot, Data &data);

    void runEdited(const ClusterSnapshot &baseSnapshot);
    const std::vector<int> &policiesInBase() const { return m_policyInBase; }

private:
    // What a pod class shares apart from selector matches: the start of the refinement.
    struct BaseFacts
    {
        int namespaceIndex = -1;
        bool hostNetwork = false;
        IpAddress::Family family = IpAddress::Family::None;
        std::array<int, 2> addressClass{-1, -1}; // local address class of the first IPv4/IPv6
        std::vector<int> namedPortNumbers;       // per named port id; 0 when absent
    };
    struct PodGroup
    {
        qsizetype representative = -1; // a pod
        int base = -1;
    };
    struct LabelKey
    {
        int id = -1;
        QHash<QString, int> values; // the values some selector compares with
    };
    struct IpBlockEntry
    {
        IpBlock block;
        int familySlot = 0;
    };
    struct Profile
    {
        std::vector<int> policies;
        AddressChoice addressChoice = FirstIpv4; // egress
        qsizetype representative = -1;           // ingress: a class, for its named ports
    };

    void collectNamespaces();
    int namespaceIndex(const QString &name);
    void analysePolicies();
    PolicyInfo analysePolicy(const NetworkPolicy &policy);
    int internSelectorItem(SelectorItem item);
    void mentionLabels(const LabelSelector &selector);
    int internNamedPort(const QString &name, Protocol protocol);
    int internIpBlock(const IpBlock &block);
    void partitionAddresses();
    void groupPods();
    void regroupPods(const std::vector<QString> &changedKeys, size_t namedPortsBefore,
                     bool newAddresses);
    void evaluateSelectors();
    void evaluateSelectors(qsizetype firstItem);
    void refineClasses();
    void buildClasses();
    void buildClassSets();
    void partitionPorts();
    void buildNamedPortSets();
    void buildProfiles();
    void computeRows();
    std::vector<int> reusableProfiles(const std::vector<Profile> &profiles, bool egress) const;
    void egressRows(const Profile &profile, qsizetype profileIndex, RowStore &store,
                    std::vector<Word> &scratch) const;
    void ingressRows(const Profile &profile, qsizetype profileIndex, RowStore &store,
                     std::vector<Word> &scratch) const;
    const Word *namedPortSet(int namedPortId, int number) const;
    void peerSets(const std::vector<const Rule *> &rules, AddressChoice choice,
                  std::vector<Word> &scratch) const;

    const ClusterSnapshot *m_snapshot;
    Data *m_data;
    // During an edit: the build it starts from (alive for the call), and per policy the index
    // of the same policy there (-1: analysed anew).
    const Builder *m_base = nullptr;
    std::vector<int> m_policyInBase;
    // The edit left the pod classes as they were (same groups, same refinement, same address
    // classes): selector matches and the rows of untouched profiles carry over.
    bool m_sameClasses = false;

    QHash<QString, int> m_namespaceIndex;
    QStringList m_namespaceNames;
    QList<Labels> m_namespaceLabels; // as a namespaceSelector sees them

    std::vector<PolicyInfo> m_policies;
    std::vector<SelectorItem> m_items;
    std::unordered_map<size_t, std::vector<int>> m_itemsByHash;
    QHash<QString, LabelKey> m_labelKeys;
    std::vector<QString> m_labelKeyNames; // by LabelKey::id
    // Keys that got an id or a new value since the last build: what an edit's regrouping reads.
    QSet<QString> m_changedLabelKeys;
    std::vector<NamedPort> m_namedPorts;
    QHash<QString, int> m_namedPortIds;
    std::vector<IpBlockEntry> m_ipBlocks;
    QHash<QString, int> m_ipBlockIds;
    std::array<std::vector<PortRange>, kProtocolCount> m_portAtoms;

    // Address classes per family, numbered locally until the pod classes are known.
    std::array<std::vector<AddressKey>, 2> m_atomStarts;
    std::array<std::vector<int>, 2> m_atomLocalClass;
    std::array<int, 2> m_addressClassCount{0, 0};
    std::array<qsizetype, 2> m_firstAddressClass{0, 0}; // global index of local class 0
    std::vector<std::vector<char>> m_blockHolds; // [ipBlock][local address class of its family]

    std::vector<BaseFacts> m_bases;
    std::vector<PodGroup> m_groups;
    std::vector<int> m_groupOfPod;
    std::vector<std::vector<int>> m_groupsByNamespace;
    BitMatrix m_itemGroups; // [selector item] → groups it matches
    std::vector<int> m_classOfGroup;
    std::vector<int> m_baseOfClass;
    qsizetype m_classCount = 0; // pod and address classes

    BitMatrix m_itemClasses;  // [selector item] → classes
    BitMatrix m_blockClasses; // [ipBlock * kAddressChoices + choice] → classes
    std::vector<Word> m_everyClass;
    std::unordered_map<std::uint64_t, std::vector<Word>> m_namedPortSets; // (id, number) → classes

    std::vector<Profile> m_egressProfiles;
    std::vector<Profile> m_ingressProfiles;
    IntVectorMap m_egressProfileIds;  // profile key (policies, then address choice or named-port
    IntVectorMap m_ingressProfileIds; // numbers) → profile
};

int Reachability::Builder::namespaceIndex(const QString &name)
{
    const auto it = m_namespaceIndex.constFind(name);
    if (it != m_namespaceIndex.constEnd())
        return *it;
    const int index = int(m_namespaceNames.size());
    m_namespaceIndex.insert(name, index);
    m_namespaceNames.append(name);
    Labels labels;
    labels.insert(kMetadataNameLabel, name); // what the API server sets on every namespace
    m_namespaceLabels.append(labels);
    return index;
}

void Reachability::Builder::collectNamespaces()
{
    for (const Namespace &ns : m_snapshot->namespaces) {
        const int index = namespaceIndex(ns.name);
        Labels labels = ns.labels;
        labels.insert(kMetadataNameLabel, ns.name);
        m_namespaceLabels[index] = std::move(labels);
    }
    const QString *previous = nullptr;
    for (const Pod &pod : m_snapshot->pods) {
        if (!previous || pod.namespaceName != *previous)
            namespaceIndex(pod.namespaceName);
        previous = &pod.namespaceName;
    }
    for (const NetworkPolicy &policy : m_snapshot->networkPolicies)
        namespaceIndex(policy.namespaceName);
}

int Reachability::Builder::internSelectorItem(SelectorItem item)
{
    // Equal hashes may still differ; equality decides.
    std::vector<int> &candidates = m_itemsByHash[hashSelectorItem(item)];
    for (const int candidate : candidates) {
        if (m_items[size_t(candidate)] == item)
            return candidate;
    }
    const int index = int(m_items.size());
    m_items.push_back(std::move(item));
    candidates.push_back(index);
    return index;
}

void Reachability::Builder::mentionLabels(const LabelSelector &selector)
{
    const auto key = [&](const QString &name) -> LabelKey & {
        LabelKey &entry = m_labelKeys[name];
        if (entry.id < 0) {
            entry.id = int(m_labelKeys.size()) - 1;
            m_labelKeyNames.push_back(name);
            m_changedLabelKeys.insert(name);
        }
        return entry;
    };
    const auto value = [this](LabelKey &entry, const QString &text) {
        if (!entry.values.contains(text)) {
            entry.values.insert(text, int(entry.values.size()));
            m_changedLabelKeys.insert(m_labelKeyNames[size_t(entry.id)]);
        }
    };
    for (const auto &[name, text] : selector.matchLabels)
        value(key(name), text);
    for (const LabelSelectorRequirement &requirement : selector.matchExpressions) {
        LabelKey &entry = key(requirement.key);
        for (const QString &text : requirement.values)
            value(entry, text);
    }
}

int Reachability::Builder::internNamedPort(const QString &name, Protocol protocol)
{
    const QString key = protocolName(protocol) + u'/' + name;
    const auto it = m_namedPortIds.constFind(key);
    if (it != m_namedPortIds.constEnd())
        return *it;
    const int id = int(m_namedPorts.size());
    m_namedPorts.push_back(NamedPort{name, protocol});
    m_namedPortIds.insert(key, id);
    return id;
}

int Reachability::Builder::internIpBlock(const IpBlock &block)
{
    QList<Cidr> except = block.except;
    std::sort(except.begin(), except.end());
    except.erase(std::unique(except.begin(), except.end()), except.end());
    QString key = block.cidr.toString();
    for (const Cidr &cidr : std::as_const(except))
        key += u' ' + cidr.toString();
    const auto it = m_ipBlockIds.constFind(key);
    if (it != m_ipBlockIds.constEnd())
        return *it;
    const int id = int(m_ipBlocks.size());
    m_ipBlocks.push_back(
        IpBlockEntry{IpBlock{block.cidr, except}, familySlot(block.cidr.network().family())});
    m_ipBlockIds.insert(key, id);
    return id;
}

void Reachability::Builder::analysePolicies()
{
    m_policies.reserve(size_t(m_snapshot->networkPolicies.size()));
    for (const NetworkPolicy &policy : m_snapshot->networkPolicies)
        m_policies.push_back(analysePolicy(policy));
    m_data->distinctSelectors = qsizetype(m_items.size());
}

PolicyInfo Reachability::Builder::analysePolicy(const NetworkPolicy &policy)
{
    {
        PolicyInfo info;
        const int ownNamespace = namespaceIndex(policy.namespaceName);
        info.selectionItem = internSelectorItem(SelectorItem{ownNamespace, {}, policy.podSelector});
        mentionLabels(policy.podSelector);
        info.affectsIngress = policy.affectsIngress();
        info.affectsEgress = policy.affectsEgress();
        for (const PolicyType direction : {PolicyType::Ingress, PolicyType::Egress}) {
            const bool ingress = direction == PolicyType::Ingress;
            for (const NetworkPolicyRule &source : ingress ? policy.ingress : policy.egress) {
                Rule rule;
                rule.everyPeer = source.peers.isEmpty();
                rule.ports = source.ports;
                for (const NetworkPolicyPeer &peer : source.peers) {
                    // Validation keeps ipBlock apart from the selectors; like PolicyEngine, an
                    // ipBlock decides alone.
                    if (peer.ipBlock) {
                        rule.peers.push_back(
                            Peer{Peer::Kind::IpBlock, internIpBlock(*peer.ipBlock)});
                        info.egressUsesIpBlocks |= !ingress;
                    } else if (!peer.podSelector && !peer.namespaceSelector) {
                        rule.peers.push_back(Peer{Peer::Kind::Nothing, -1});
                    } else {
                        SelectorItem item;
                        if (peer.namespaceSelector)
                            item.namespaceSelector = peer.namespaceSelector;
                        else
                            item.namespaceIndex = ownNamespace; // podSelector alone
                        item.podSelector = peer.podSelector;
                        if (peer.podSelector)
                            mentionLabels(*peer.podSelector);
                        rule.peers.push_back(Peer{Peer::Kind::Selector, internSelectorItem(item)});
                    }
                }
                for (const NetworkPolicyPort &port : source.ports) {
                    const Protocol protocol = port.effectiveProtocol();
                    if (port.portNumber) {
                        rule.namedPortIds.push_back(-1);
                        const int first = *port.portNumber;
                        m_portAtoms[size_t(protocolSlot(protocol))].push_back(
                            PortRange{first, port.endPort.value_or(first)});
                    } else if (port.portName) {
                        const int id = internNamedPort(*port.portName, protocol);
                        rule.namedPortIds.push_back(id);
                        if (ingress)
                            info.ingressNamedPortIds.push_back(id);
                    } else {
                        rule.namedPortIds.push_back(-1);
                    }
                }
                (ingress ? info.ingress : info.egress).push_back(std::move(rule));
            }
        }
        std::sort(info.ingressNamedPortIds.begin(), info.ingressNamedPortIds.end());
        info.ingressNamedPortIds.erase(
            std::unique(info.ingressNamedPortIds.begin(), info.ingressNamedPortIds.end()),
            info.ingressNamedPortIds.end());
        return info;
    }
}

// Every CIDR and except bounds elementary ranges ("atoms") of its family; atoms that the same
// ipBlocks hold form one address class. A pod's ipBlock memberships are then its first IPs'
// address classes, and addresses outside the pod network are those classes themselves.
void Reachability::Builder::partitionAddresses()
{
    m_blockHolds.resize(m_ipBlocks.size());
    for (int slot = 0; slot < 2; ++slot) {
        const IpAddress::Family family = familyOfSlot(slot);
        std::vector<AddressKey> &starts = m_atomStarts[size_t(slot)];
        starts.push_back(AddressKey{});
        const auto addBounds = [&](const Cidr &cidr) {
            starts.push_back(keyOf(cidr.network()));
            if (const auto next = addressAfter(lastAddressOf(cidr), family))
                starts.push_back(*next);
        };
        for (const IpBlockEntry &entry : m_ipBlocks) {
            if (entry.familySlot != slot)
                continue;
            addBounds(entry.block.cidr);
            for (const Cidr &except : entry.block.except) {
                if (except.network().family() == family)
                    addBounds(except);
            }
        }
        std::sort(starts.begin(), starts.end());
        starts.erase(std::unique(starts.begin(), starts.end()), starts.end());

        const auto atomsOf = [&](const Cidr &cidr) {
            const auto index = [&](const AddressKey &key) {
                return size_t(std::lower_bound(starts.begin(), starts.end(), key) - starts.begin());
            };
            const auto next = addressAfter(lastAddressOf(cidr), family);
            return std::pair{index(keyOf(cidr.network())), next ? index(*next) : starts.size()};
        };
        std::vector<std::vector<int>> blocksOfAtom(starts.size());
        for (size_t b = 0; b < m_ipBlocks.size(); ++b) {
            const IpBlockEntry &entry = m_ipBlocks[b];
            if (entry.familySlot != slot)
                continue;
            const auto [first, end] = atomsOf(entry.block.cidr);
            std::vector<char> excluded(end - first);
            for (const Cidr &except : entry.block.except) {
                if (except.network().family() != family)
                    continue;
                const auto [exceptFirst, exceptEnd] = atomsOf(except);
                for (size_t a = std::max(first, exceptFirst); a < std::min(end, exceptEnd); ++a)
                    excluded[a - first] = 1;
            }
            for (size_t a = first; a < end; ++a) {
                if (!excluded[a - first])
                    blocksOfAtom[a].push_back(int(b));
            }
        }
        IntVectorMap classes;
        std::vector<int> &localClass = m_atomLocalClass[size_t(slot)];
        localClass.reserve(starts.size());
        std::vector<const std::vector<int> *> blocksOfClass;
        for (const std::vector<int> &blocks : blocksOfAtom) {
            const int cls = internVector(classes, blocks);
            if (cls == int(blocksOfClass.size()))
                blocksOfClass.push_back(&blocks);
            localClass.push_back(cls);
        }
        m_addressClassCount[size_t(slot)] = int(classes.size());
        for (size_t b = 0; b < m_ipBlocks.size(); ++b) {
            if (m_ipBlocks[b].familySlot == slot)
                m_blockHolds[b].assign(classes.size(), 0);
        }
        for (size_t cls = 0; cls < blocksOfClass.size(); ++cls) {
            for (const int b : *blocksOfClass[cls])
                m_blockHolds[size_t(b)][cls] = 1;
        }
    }
}

// Pods that agree on namespace, host network, IP family, address classes, named-port numbers and
// their labels projected onto what selectors read (the keys they mention; a value no selector
// names is as good as any other) cannot be told apart: one group, evaluated once.
void Reachability::Builder::groupPods()
{
    const qsizetype podCount = m_snapshot->pods.size();
    const auto addressClassOf = [&](const IpAddress &address) {
        const int slot = familySlot(address.family());
        const auto &starts = m_atomStarts[size_t(slot)];
        const auto it = std::upper_bound(starts.begin(), starts.end(), keyOf(address));
        return m_atomLocalClass[size_t(slot)][size_t(std::distance(starts.begin(), it) - 1)];
    };

    // Each pod's key, computed in chunks on every core:
    // [namespace, hostNetwork, family, IPv4 class, IPv6 class, named-port numbers..., then
    // (label key, value) pairs of the projected labels]. The part before the labels is the
    // "base" the refinement starts from.
    constexpr qsizetype kChunk = 4096;
    constexpr size_t kFixedFields = 5;
    const size_t baseLength = kFixedFields + m_namedPorts.size();
    struct ChunkKeys
    {
        std::vector<int> values;
        std::vector<size_t> ends; // per pod of the chunk: where its key ends in values
    };
    std::vector<ChunkKeys> chunks(size_t((podCount + kChunk - 1) / kChunk));
    parallelFor(qsizetype(chunks.size()), 1, [&](qsizetype chunkIndex, int) {
        ChunkKeys &chunk = chunks[size_t(chunkIndex)];
        const qsizetype first = chunkIndex * kChunk;
        const qsizetype end = std::min(podCount, first + kChunk);
        chunk.values.reserve(size_t(end - first) * (baseLength + 8));
        chunk.ends.reserve(size_t(end - first));
        // The previous pod's labels, each with its key's entry (null when no selector reads
        // it) and its value's id: pods of one workload differ in few labels, if any, so most
        // lookups are a string comparison with the previous pod.
        const Labels *previousLabels = nullptr;
        std::vector<std::pair<const LabelKey *, int>> previousProjection;
        std::vector<std::pair<const LabelKey *, int>> projection;
        const QString *previousNamespace = nullptr;
        int namespaceIndex = -1;
        for (qsizetype i = first; i < end; ++i) {
            const Pod &pod = m_snapshot->pods[i];
            if (!previousNamespace || pod.namespaceName != *previousNamespace)
                namespaceIndex = m_namespaceIndex.value(pod.namespaceName);
            previousNamespace = &pod.namespaceName;
            std::array<int, 2> addressClass{-1, -1}; // of the first IP of each family
            for (const IpAddress &address : pod.podIps) {
                int &cls = addressClass[size_t(familySlot(address.family()))];
                if (!address.isNull() && cls < 0)
                    cls = addressClassOf(address);
            }
            const IpAddress::Family family =
                pod.podIps.isEmpty() ? IpAddress::Family::None : pod.podIps.first().family();
            chunk.values.insert(chunk.values.end(),
                                {namespaceIndex, int(pod.hostNetwork), int(family), addressClass[0],
                                 addressClass[1]});
            for (const NamedPort &named : m_namedPorts)
                chunk.values.push_back(pod.namedPort(named.name, named.protocol));
            projection.clear();
            for (qsizetype e = 0; e < pod.labels.size(); ++e) {
                const auto &[name, value] = pod.labels.entries()[e];
                const Labels::Entry *before = nullptr;
                if (previousLabels && e < previousLabels->size())
                    before = &previousLabels->entries()[e];
                const LabelKey *labelKey = nullptr;
                if (before && before->first == name) {
                    labelKey = previousProjection[size_t(e)].first;
                    if (labelKey && before->second == value) {
                        projection.push_back(previousProjection[size_t(e)]);
                        continue;
                    }
                } else {
                    const auto found = m_labelKeys.constFind(name);
                    labelKey = found == m_labelKeys.constEnd() ? nullptr : &*found;
                }
                projection.push_back({labelKey, labelKey ? labelKey->values.value(value, -1) : -1});
            }
            for (const auto &[labelKey, valueId] : projection) {
                if (labelKey) {
                    chunk.values.push_back(labelKey->id);
                    chunk.values.push_back(valueId);
                }
            }
            previousLabels = &pod.labels;
            std::swap(previousProjection, projection);
            chunk.ends.push_back(chunk.values.size());
        }
    });

    m_groupOfPod.resize(size_t(podCount));
    IntVectorMap baseIds;
    IntVectorMap groupIds;
    std::vector<int> key;
    int previousGroup = -1;
    qsizetype pod = 0;
    for (const ChunkKeys &chunk : chunks) {
        size_t begin = 0;
        for (const size_t end : chunk.ends) {
            const int *values = chunk.values.data() + begin;
            const size_t length = end - begin;
            begin = end;
            // Neighbours with the same key (one workload) skip the hash lookup.
            if (previousGroup >= 0 && key.size() == length &&
                std::equal(key.begin(), key.end(), values)) {
                m_groupOfPod[size_t(pod++)] = previousGroup;
                continue;
            }
            key.assign(values, values + length);
            const auto [it, inserted] = groupIds.try_emplace(key, int(m_groups.size()));
            if (inserted) {
                const std::vector<int> baseKey(key.begin(), key.begin() + qsizetype(baseLength));
                const int base = internVector(baseIds, baseKey);
                if (base == int(m_bases.size())) {
                    BaseFacts facts;
                    facts.namespaceIndex = key[0];
                    facts.hostNetwork = key[1] != 0;
                    facts.family = IpAddress::Family(key[2]);
                    facts.addressClass = {key[3], key[4]};
                    facts.namedPortNumbers.assign(key.begin() + kFixedFields,
                                                  key.begin() + qsizetype(baseLength));
                    m_bases.push_back(std::move(facts));
                }
                m_groups.push_back(PodGroup{pod, base});
            }
            previousGroup = it->second;
            m_groupOfPod[size_t(pod++)] = previousGroup;
        }
    }
    m_groupsByNamespace.resize(size_t(m_namespaceNames.size()));
    for (size_t g = 0; g < m_groups.size(); ++g)
        m_groupsByNamespace[size_t(m_bases[size_t(m_groups[g].base)].namespaceIndex)].push_back(
            int(g));
}

void Reachability::Builder::evaluateSelectors()
{
    m_itemGroups = BitMatrix(qsizetype(m_items.size()), qsizetype(m_groups.size()));
    evaluateSelectors(0);
}

// Fills the rows of the items from `firstItem` on; m_itemGroups has a row for every item.
void Reachability::Builder::evaluateSelectors(qsizetype firstItem)
{
    // An edit may name a namespace without pods: it has no groups.
    m_groupsByNamespace.resize(size_t(m_namespaceNames.size()));
    std::vector<int> namespacesWithPods;
    for (size_t ns = 0; ns < m_groupsByNamespace.size(); ++ns) {
        if (!m_groupsByNamespace[ns].empty())
            namespacesWithPods.push_back(int(ns));
    }
    parallelFor(qsizetype(m_items.size()) - firstItem, 16, [&](qsizetype task, int) {
        const qsizetype itemIndex = firstItem + task;
        const SelectorItem &item = m_items[size_t(itemIndex)];
        Word *row = m_itemGroups.row(itemIndex);
        const auto scan = [&](int ns) {
            for (const int g : m_groupsByNamespace[size_t(ns)]) {
                const Pod &pod = m_snapshot->pods[m_groups[size_t(g)].representative];
                if (!item.podSelector || item.podSelector->matches(pod.labels))
                    setBit(row, g);
            }
        };
        if (item.namespaceSelector) {
            for (const int ns : namespacesWithPods) {
                if (item.namespaceSelector->matches(m_namespaceLabels.at(ns)))
                    scan(ns);
            }
        } else if (item.namespaceIndex >= 0) {
            scan(item.namespaceIndex);
        }
    });
}

// Partition refinement: start from the groups' base facts and split every class by every
// selector item into the part it matches and the rest. The result is the coarsest partition in
// which no selector separates two members of a class.
void Reachability::Builder::refineClasses()
{
    const qsizetype groupCount = qsizetype(m_groups.size());
    m_classOfGroup.resize(size_t(groupCount));
    std::vector<int> classSize(m_bases.size(), 0);
    for (qsizetype g = 0; g < groupCount; ++g) {
        m_classOfGroup[size_t(g)] = m_groups[size_t(g)].base;
        ++classSize[size_t(m_groups[size_t(g)].base)];
    }
    m_baseOfClass.resize(m_bases.size());
    for (size_t b = 0; b < m_bases.size(); ++b)
        m_baseOfClass[b] = int(b);

    std::vector<int> stamp(classSize.size(), -1);
    std::vector<int> hits(classSize.size(), 0);
    std::vector<int> matchedPart(classSize.size(), -1);
    std::vector<int> touched;
    // Only the selectors of the current policies split classes; an edit may have left others.
    std::vector<char> live(m_items.size(), 0);
    for (const PolicyInfo &policy : m_policies) {
        live[size_t(policy.selectionItem)] = 1;
        for (const auto *rules : {&policy.ingress, &policy.egress}) {
            for (const Rule &rule : *rules) {
                for (const Peer &peer : rule.peers) {
                    if (peer.kind == Peer::Kind::Selector)
                        live[size_t(peer.index)] = 1;
                }
            }
        }
    }
    const qsizetype words = m_itemGroups.words();
    for (qsizetype item = 0; item < qsizetype(m_items.size()); ++item) {
        if (!live[size_t(item)])
            continue;
        const Word *row = m_itemGroups.row(item);
        touched.clear();
        forEachBit(row, words, [&](qsizetype g) {
            const int cls = m_classOfGroup[size_t(g)];
            if (stamp[size_t(cls)] != item) {
                stamp[size_t(cls)] = int(item);
                hits[size_t(cls)] = 0;
                touched.push_back(cls);
            }
            ++hits[size_t(cls)];
        });
        for (const int cls : touched) {
            if (hits[size_t(cls)] == classSize[size_t(cls)]) {
                matchedPart[size_t(cls)] = cls; // matched whole: nothing to split
                continue;
            }
            const int part = int(classSize.size());
            classSize[size_t(cls)] -= hits[size_t(cls)];
            classSize.push_back(hits[size_t(cls)]);
            stamp.push_back(int(item));
            hits.push_back(0);
            matchedPart.push_back(part);
            m_baseOfClass.push_back(m_baseOfClass[size_t(cls)]);
            matchedPart[size_t(cls)] = part;
        }
        forEachBit(row, words, [&](qsizetype g) {
            int &cls = m_classOfGroup[size_t(g)];
            cls = matchedPart[size_t(cls)];
        });
    }
}

// Orders the pod classes by namespace, then by their first pod, and appends the address classes.
void Reachability::Builder::buildClasses()
{
    const size_t refined = m_baseOfClass.size();
    std::vector<qsizetype> firstPod(refined, -1);
    for (qsizetype i = 0; i < m_snapshot->pods.size(); ++i) {
        qsizetype &first = firstPod[size_t(m_classOfGroup[size_t(m_groupOfPod[size_t(i)])])];
        if (first < 0)
            first = i;
    }
    std::vector<int> order(refined);
    for (size_t c = 0; c < refined; ++c)
        order[c] = int(c);
    const auto namespaceOf = [&](int cls) {
        return m_bases[size_t(m_baseOfClass[size_t(cls)])].namespaceIndex;
    };
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return std::pair{namespaceOf(a), firstPod[size_t(a)]} <
               std::pair{namespaceOf(b), firstPod[size_t(b)]};
    });
    std::vector<int> renumbered(refined);
    std::vector<int> baseOfClass(refined);
    for (size_t position = 0; position < refined; ++position) {
        renumbered[size_t(order[position])] = int(position);
        baseOfClass[position] = m_baseOfClass[size_t(order[position])];
    }
    m_baseOfClass = std::move(baseOfClass);
    for (int &cls : m_classOfGroup)
        cls = renumbered[size_t(cls)];

    QList<EndpointClass> &classes = m_data->classes;
    classes.resize(qsizetype(refined));
    m_data->podClassCount = qsizetype(refined);
    m_data->classOfPod.resize(size_t(m_snapshot->pods.size()));
    m_data->namespaceOfClass.resize(refined);
    std::vector<int> namespaceOrder(size_t(m_namespaceNames.size()), -1);
    for (size_t c = 0; c < refined; ++c) {
        const BaseFacts &facts = m_bases[size_t(m_baseOfClass[c])];
        EndpointClass &cls = classes[qsizetype(c)];
        cls.kind = EndpointClass::Kind::Pods;
        cls.namespaceName = m_namespaceNames.at(facts.namespaceIndex);
        cls.hostNetwork = facts.hostNetwork;
        cls.family = facts.family;
        int &position = namespaceOrder[size_t(facts.namespaceIndex)];
        if (position < 0) {
            position = int(m_data->namespaces.size());
            m_data->namespaces.append(cls.namespaceName);
            m_data->namespaceFirstClass.push_back(qsizetype(c));
        }
        m_data->namespaceOfClass[c] = position;
    }
    m_data->namespaceFirstClass.push_back(qsizetype(refined));
    for (qsizetype i = 0; i < m_snapshot->pods.size(); ++i) {
        const int cls = m_classOfGroup[size_t(m_groupOfPod[size_t(i)])];
        m_data->classOfPod[size_t(i)] = cls;
        classes[cls].pods.append(i);
    }

    for (int slot = 0; slot < 2; ++slot) {
        const IpAddress::Family family = familyOfSlot(slot);
        const qsizetype first = classes.size();
        m_firstAddressClass[size_t(slot)] = first;
        for (int local = 0; local < m_addressClassCount[size_t(slot)]; ++local) {
            EndpointClass cls;
            cls.kind = EndpointClass::Kind::Addresses;
            cls.family = family;
            classes.append(cls);
        }
        const std::vector<AddressKey> &starts = m_atomStarts[size_t(slot)];
        std::vector<qint32> &atomClass = m_data->atomClass[size_t(slot)];
        for (size_t a = 0; a < starts.size(); ++a) {
            const qint32 global = qint32(first + m_atomLocalClass[size_t(slot)][a]);
            atomClass.push_back(global);
            const AddressKey last = a + 1 < starts.size()
                                        ? AddressKey{starts[a + 1].high - (starts[a + 1].low == 0),
                                                     starts[a + 1].low - 1}
                                        : lastAddressOf(family);
            QList<AddressRange> &ranges = classes[global].addresses;
            const IpAddress lastAddress = addressOf(family, last);
            if (!ranges.isEmpty() && addressAfter(keyOf(ranges.last().last), family) == starts[a])
                ranges.last().last = lastAddress;
            else
                ranges.append(AddressRange{addressOf(family, starts[a]), lastAddress});
        }
        m_data->atomStarts[size_t(slot)] = starts;
    }
    m_classCount = classes.size();
    m_data->rowWords = wordsFor(m_classCount);
}

void Reachability::Builder::buildClassSets()
{
    const qsizetype words = m_data->rowWords;
    m_everyClass.assign(size_t(words), 0);
    for (qsizetype c = 0; c < m_classCount; ++c)
        setBit(m_everyClass.data(), c);

    qsizetype firstItem = 0;
    if (m_sameClasses) {
        m_itemClasses = m_base->m_itemClasses;
        firstItem = qsizetype(m_base->m_items.size());
        m_itemClasses.resizeRows(qsizetype(m_items.size()));
    } else {
        m_itemClasses = BitMatrix(qsizetype(m_items.size()), m_classCount);
    }
    parallelFor(qsizetype(m_items.size()) - firstItem, 64, [&](qsizetype task, int) {
        const qsizetype item = firstItem + task;
        Word *row = m_itemClasses.row(item);
        forEachBit(m_itemGroups.row(item), m_itemGroups.words(),
                   [&](qsizetype g) { setBit(row, m_classOfGroup[size_t(g)]); });
    });

    m_blockClasses = BitMatrix(qsizetype(m_ipBlocks.size()) * kAddressChoices, m_classCount);
    const qsizetype podClasses = m_data->podClassCount;
    for (size_t b = 0; b < m_ipBlocks.size(); ++b) {
        const int slot = m_ipBlocks[b].familySlot;
        const std::vector<char> &holds = m_blockHolds[b];
        for (int choice = 0; choice < kAddressChoices; ++choice) {
            Word *row = m_blockClasses.row(qsizetype(b) * kAddressChoices + choice);
            for (qsizetype c = 0; c < podClasses; ++c) {
                const BaseFacts &facts = m_bases[size_t(m_baseOfClass[size_t(c)])];
                int addressSlot = choice == FirstIpv4 ? 0 : 1;
                if (choice == OwnFirstIp) {
                    if (facts.family == IpAddress::Family::None)
                        continue;
                    addressSlot = familySlot(facts.family);
                }
                const int cls = facts.addressClass[size_t(addressSlot)];
                if (addressSlot == slot && cls >= 0 && holds[size_t(cls)])
                    setBit(row, c);
            }
            // An address outside the pod network is matched by its own address, whatever the
            // source's family.
            for (int local = 0; local < m_addressClassCount[size_t(slot)]; ++local) {
                if (holds[size_t(local)])
                    setBit(row, m_firstAddressClass[size_t(slot)] + local);
            }
        }
    }
}

// Port numbers, endPort ranges and the numbers named ports resolve to bound elementary ranges;
// ranges that the same numeric rule ports hold (and that are no named-port number) form one
// port class.
void Reachability::Builder::partitionPorts()
{
    for (int slot = 0; slot < kProtocolCount; ++slot) {
        const Protocol protocol = kProtocols[slot];
        std::vector<PortRange> atoms = m_portAtoms[size_t(slot)];
        std::sort(atoms.begin(), atoms.end(), [](const PortRange &a, const PortRange &b) {
            return std::pair{a.first, a.last} < std::pair{b.first, b.last};
        });
        atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
        std::vector<int> namedNumbers;
        for (size_t id = 0; id < m_namedPorts.size(); ++id) {
            if (m_namedPorts[id].protocol != protocol)
                continue;
            for (const BaseFacts &facts : m_bases) {
                const int number = facts.namedPortNumbers[id];
                if (number >= 1 && number <= kMaxPort)
                    namedNumbers.push_back(number);
            }
        }
        std::sort(namedNumbers.begin(), namedNumbers.end());
        namedNumbers.erase(std::unique(namedNumbers.begin(), namedNumbers.end()),
                           namedNumbers.end());

        std::vector<int> bounds{1, kMaxPort + 1};
        for (const PortRange &atom : atoms) {
            const int first = std::max(atom.first, 1);
            const int last = std::min(atom.last, kMaxPort);
            if (first > last)
                continue; // endPort below port: the rule port admits nothing
            bounds.push_back(first);
            bounds.push_back(last + 1);
        }
        for (const int number : namedNumbers) {
            bounds.push_back(number);
            bounds.push_back(number + 1);
        }
        std::sort(bounds.begin(), bounds.end());
        bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());

        IntVectorMap signatures;
        std::vector<qint32> classOfSignature;
        std::vector<int> signature;
        for (size_t i = 0; i + 1 < bounds.size(); ++i) {
            const int first = bounds[i];
            const int last = bounds[i + 1] - 1;
            signature.clear();
            for (size_t a = 0; a < atoms.size(); ++a) {
                if (atoms[a].first <= first && first <= atoms[a].last)
                    signature.push_back(int(a));
            }
            const bool named = std::binary_search(namedNumbers.begin(), namedNumbers.end(), first);
            // A named-port number is a class of its own: pods differ in what it means to them.
            signature.push_back(named ? -first : 0);
            const int index = internVector(signatures, signature);
            if (index == int(classOfSignature.size())) {
                PortClass portClass;
                portClass.protocol = protocol;
                portClass.namedPortNumber = named;
                classOfSignature.push_back(qint32(m_data->portClasses.size()));
                m_data->portClasses.append(portClass);
            }
            const qint32 global = classOfSignature[size_t(index)];
            QList<PortRange> &ranges = m_data->portClasses[global].ranges;
            if (!ranges.isEmpty() && ranges.last().last + 1 == first)
                ranges.last().last = last;
            else
                ranges.append(PortRange{first, last});
            m_data->portClassStarts[size_t(slot)].push_back({first, global});
        }
    }
}

void Reachability::Builder::buildNamedPortSets()
{
    for (qsizetype c = 0; c < m_data->podClassCount; ++c) {
        const BaseFacts &facts = m_bases[size_t(m_baseOfClass[size_t(c)])];
        for (size_t id = 0; id < m_namedPorts.size(); ++id) {
            const int number = facts.namedPortNumbers[id];
            if (number <= 0)
                continue;
            std::vector<Word> &set =
                m_namedPortSets[(std::uint64_t(id) << 32) | std::uint32_t(number)];
            if (set.empty())
                set.assign(size_t(m_data->rowWords), 0);
            setBit(set.data(), c);
        }
    }
}

const Word *Reachability::Builder::namedPortSet(int namedPortId, int number) const
{
    const auto it =
        m_namedPortSets.find((std::uint64_t(namedPortId) << 32) | std::uint32_t(number));
    return it == m_namedPortSets.end() ? nullptr : it->second.data();
}

// A class's rows depend only on the policies that select it for that direction (and, for
// egress ipBlocks, its IP family; for ingress named ports, its named-port numbers): one profile
// per distinct combination, computed once.
void Reachability::Builder::buildProfiles()
{
    const qsizetype podClasses = m_data->podClassCount;
    std::vector<std::vector<int>> egressPolicies(static_cast<size_t>(podClasses));
    std::vector<std::vector<int>> ingressPolicies(static_cast<size_t>(podClasses));
    for (auto &perPolicy : m_data->selectedByPolicy)
        perPolicy.resize(m_policies.size());
    for (size_t p = 0; p < m_policies.size(); ++p) {
        const PolicyInfo &policy = m_policies[p];
        forEachBit(m_itemClasses.row(policy.selectionItem), m_itemClasses.words(),
                   [&](qsizetype c) {
                       if (policy.affectsIngress) {
                           ingressPolicies[size_t(c)].push_back(int(p));
                           m_data->selectedByPolicy[size_t(PolicyType::Ingress)][p].append(c);
                       }
                       if (policy.affectsEgress) {
                           egressPolicies[size_t(c)].push_back(int(p));
                           m_data->selectedByPolicy[size_t(PolicyType::Egress)][p].append(c);
                       }
                   });
    }

    IntVectorMap &egressIds = m_egressProfileIds;
    IntVectorMap &ingressIds = m_ingressProfileIds;
    std::vector<int> key;
    m_data->egressProfileOfClass.assign(size_t(m_classCount), -1);
    m_data->ingressProfileOfClass.assign(size_t(m_classCount), -1);
    std::vector<int> namedIds;
    for (qsizetype c = 0; c < podClasses; ++c) {
        const BaseFacts &facts = m_bases[size_t(m_baseOfClass[size_t(c)])];
        if (const std::vector<int> &policies = egressPolicies[size_t(c)]; !policies.empty()) {
            const bool ipBlocks = std::any_of(policies.begin(), policies.end(), [&](int p) {
                return m_policies[size_t(p)].egressUsesIpBlocks;
            });
            const AddressChoice choice = ipBlocks ? choiceForSource(facts.family) : FirstIpv4;
            key = policies;
            key.push_back(choice);
            const int id = internVector(egressIds, key);
            if (id == int(m_egressProfiles.size()))
                m_egressProfiles.push_back(Profile{policies, choice, c});
            m_data->egressProfileOfClass[size_t(c)] = id;
        }
        if (const std::vector<int> &policies = ingressPolicies[size_t(c)]; !policies.empty()) {
            namedIds.clear();
            for (const int p : policies) {
                const auto &ids = m_policies[size_t(p)].ingressNamedPortIds;
                namedIds.insert(namedIds.end(), ids.begin(), ids.end());
            }
            std::sort(namedIds.begin(), namedIds.end());
            namedIds.erase(std::unique(namedIds.begin(), namedIds.end()), namedIds.end());
            key = policies;
            key.push_back(-1); // policies end here; the named-port numbers follow
            for (const int id : namedIds)
                key.push_back(facts.namedPortNumbers[size_t(id)]);
            const int id = internVector(ingressIds, key);
            if (id == int(m_ingressProfiles.size()))
                m_ingressProfiles.push_back(Profile{policies, FirstIpv4, c});
            m_data->ingressProfileOfClass[size_t(c)] = id;
        }
    }
    m_data->egressProfileCount = qsizetype(m_egressProfiles.size());
    m_data->ingressProfileCount = qsizetype(m_ingressProfiles.size());
}

// Fills scratch with a zeroed row, then per rule the union of its peers' classes (every class
// for a rule without peers); ipBlocks are matched with the given address choice.
void Reachability::Builder::peerSets(const std::vector<const Rule *> &rules, AddressChoice choice,
                                     std::vector<Word> &scratch) const
{
    const qsizetype words = m_data->rowWords;
    scratch.assign(size_t(words * (1 + qsizetype(rules.size()))), 0);
    for (size_t r = 0; r < rules.size(); ++r) {
        Word *set = scratch.data() + (r + 1) * size_t(words);
        const Rule &rule = *rules[r];
        if (rule.everyPeer) {
            std::copy(m_everyClass.begin(), m_everyClass.end(), set);
            continue;
        }
        for (const Peer &peer : rule.peers) {
            const Word *peerSet = nullptr;
            if (peer.kind == Peer::Kind::Selector)
                peerSet = m_itemClasses.row(peer.index);
            else if (peer.kind == Peer::Kind::IpBlock)
                peerSet = m_blockClasses.row(qsizetype(peer.index) * kAddressChoices + choice);
            if (!peerSet)
                continue;
            for (qsizetype w = 0; w < words; ++w)
                set[w] |= peerSet[w];
        }
    }
}

void Reachability::Builder::egressRows(const Profile &profile, qsizetype profileIndex,
                                       RowStore &store, std::vector<Word> &scratch) const
{
    const qsizetype words = m_data->rowWords;
    const qsizetype portClasses = m_data->portClasses.size();
    std::vector<const Rule *> rules;
    for (const int p : profile.policies) {
        for (const Rule &rule : m_policies[size_t(p)].egress)
            rules.push_back(&rule);
    }
    // scratch: the row being built, then each rule's destinations (its peers' union).
    peerSets(rules, profile.addressChoice, scratch);
    Word *row = scratch.data();
    for (qsizetype k = 0; k < portClasses; ++k) {
        const PortClass &portClass = m_data->portClasses[k];
        std::fill(row, row + words, 0);
        for (size_t r = 0; r < rules.size(); ++r) {
            const Rule &rule = *rules[r];
            const Word *destinations = scratch.data() + (r + 1) * size_t(words);
            switch (matchRulePorts(rule, portClass)) {
            case PortMatch::None:
                break;
            case PortMatch::Every:
                for (qsizetype w = 0; w < words; ++w)
                    row[w] |= destinations[w];
                break;
            case PortMatch::Named:
                // A named port in an egress rule is the destination pod's port of that name.
                for (qsizetype i = 0; i < rule.ports.size(); ++i) {
                    const int id = rule.namedPortIds[size_t(i)];
                    if (id < 0 || rule.ports.at(i).effectiveProtocol() != portClass.protocol)
                        continue;
                    if (const Word *pods = namedPortSet(id, portClass.representative())) {
                        for (qsizetype w = 0; w < words; ++w)
                            row[w] |= destinations[w] & pods[w];
                    }
                }
                break;
            }
        }
        m_data->egressRows[size_t(profileIndex * portClasses + k)] = store.intern(row);
    }
}

void Reachability::Builder::ingressRows(const Profile &profile, qsizetype profileIndex,
                                        RowStore &store, std::vector<Word> &scratch) const
{
    const qsizetype words = m_data->rowWords;
    const qsizetype portClasses = m_data->portClasses.size();
    const BaseFacts &facts = m_bases[size_t(m_baseOfClass[size_t(profile.representative)])];
    std::vector<const Rule *> rules;
    for (const int p : profile.policies) {
        for (const Rule &rule : m_policies[size_t(p)].ingress)
            rules.push_back(&rule);
    }
    // scratch: the row being built, then each rule's sources (its peers' union).
    peerSets(rules, OwnFirstIp, scratch);
    Word *row = scratch.data();
    for (qsizetype k = 0; k < portClasses; ++k) {
        const PortClass &portClass = m_data->portClasses[k];
        std::fill(row, row + words, 0);
        for (size_t r = 0; r < rules.size(); ++r) {
            const Rule &rule = *rules[r];
            bool admits = false;
            switch (matchRulePorts(rule, portClass)) {
            case PortMatch::None:
                break;
            case PortMatch::Every:
                admits = true;
                break;
            case PortMatch::Named:
                for (qsizetype i = 0; i < rule.ports.size() && !admits; ++i) {
                    const int id = rule.namedPortIds[size_t(i)];
                    admits = id >= 0 &&
                             rule.ports.at(i).effectiveProtocol() == portClass.protocol &&
                             facts.namedPortNumbers[size_t(id)] == portClass.representative();
                }
                break;
            }
            if (!admits)
                continue;
            const Word *sources = scratch.data() + (r + 1) * size_t(words);
            for (qsizetype w = 0; w < words; ++w)
                row[w] |= sources[w];
        }
        m_data->ingressRows[size_t(profileIndex * portClasses + k)] = store.intern(row);
    }
}

// During an edit with the classes and port classes unchanged: for each profile, the base's
// profile with the same key when every policy of it is unchanged (its rows are then the same
// bits), else -1.
std::vector<int> Reachability::Builder::reusableProfiles(const std::vector<Profile> &profiles,
                                                         bool egress) const
{
    std::vector<int> reuse(profiles.size(), -1);
    if (!m_base || !m_sameClasses)
        return reuse;
    const QList<PortClass> &mine = m_data->portClasses;
    const QList<PortClass> &theirs = m_base->m_data->portClasses;
    if (mine.size() != theirs.size())
        return reuse;
    for (qsizetype k = 0; k < mine.size(); ++k) {
        if (mine[k].protocol != theirs[k].protocol || mine[k].ranges != theirs[k].ranges ||
            mine[k].namedPortNumber != theirs[k].namedPortNumber)
            return reuse;
    }
    const IntVectorMap &baseIds = egress ? m_base->m_egressProfileIds : m_base->m_ingressProfileIds;
    const IntVectorMap &ids = egress ? m_egressProfileIds : m_ingressProfileIds;
    // The keys by profile index, to translate them.
    std::vector<const std::vector<int> *> keys(profiles.size(), nullptr);
    for (const auto &[key, id] : ids)
        keys[size_t(id)] = &key;
    std::vector<int> translated;
    for (size_t p = 0; p < profiles.size(); ++p) {
        translated.clear();
        bool known = true;
        for (const int policy : profiles[p].policies) {
            const int base = m_policyInBase[size_t(policy)];
            if (base < 0) {
                known = false;
                break;
            }
            translated.push_back(base);
        }
        if (!known)
            continue;
        // What follows the policies (address choice, or -1 and the named-port numbers) has the
        // same meaning in both builds.
        const std::vector<int> &key = *keys[p];
        translated.insert(translated.end(), key.begin() + qsizetype(profiles[p].policies.size()),
                          key.end());
        if (const auto it = baseIds.find(translated); it != baseIds.end())
            reuse[p] = it->second;
    }
    return reuse;
}

void Reachability::Builder::computeRows()
{
    const qsizetype portClasses = m_data->portClasses.size();
    const qsizetype egressCount = qsizetype(m_egressProfiles.size());
    const qsizetype ingressCount = qsizetype(m_ingressProfiles.size());
    m_data->egressRows.resize(size_t(egressCount * portClasses));
    m_data->ingressRows.resize(size_t(ingressCount * portClasses));

    const int workers = workerCount();
    std::vector<RowStore> stores;
    stores.reserve(size_t(workers));
    for (int w = 0; w < workers; ++w)
        stores.emplace_back(m_data->rowWords);
    std::vector<std::vector<Word>> scratch(static_cast<size_t>(workers));
    const std::vector<int> egressReuse = reusableProfiles(m_egressProfiles, true);
    const std::vector<int> ingressReuse = reusableProfiles(m_ingressProfiles, false);
    parallelFor(egressCount + ingressCount, 4, [&](qsizetype task, int worker) {
        RowStore &store = stores[size_t(worker)];
        const bool egress = task < egressCount;
        const qsizetype profile = egress ? task : task - egressCount;
        if (const int from = (egress ? egressReuse : ingressReuse)[size_t(profile)]; from >= 0) {
            const auto &baseRows =
                egress ? m_base->m_data->egressRows : m_base->m_data->ingressRows;
            auto &rows = egress ? m_data->egressRows : m_data->ingressRows;
            std::copy_n(baseRows.begin() + from * portClasses, portClasses,
                        rows.begin() + profile * portClasses);
            return;
        }
        if (task < egressCount)
            egressRows(m_egressProfiles[size_t(task)], task, store, scratch[size_t(worker)]);
        else
            ingressRows(m_ingressProfiles[size_t(task - egressCount)], task - egressCount, store,
                        scratch[size_t(worker)]);
    });
    for (RowStore &store : stores) {
        m_data->distinctRows += store.rowCount();
        for (auto &chunk : store.takeChunks())
            m_data->rowStorage.push_back(std::move(chunk));
    }
}

// --- Deriving it after an edit -------------------------------------------------------------

// What an edit starts from: the analysis, the interned tables, the pod groups and the selectors'
// matches. The class-level results are rebuilt (and rows reused from the base where they cannot
// have changed), so they are not copied.
Reachability::Builder::Builder(const Builder &base, const ClusterSnapshot &snapshot, Data &data)
    : m_snapshot(&snapshot)
    , m_data(&data)
    , m_base(&base)
    , m_namespaceIndex(base.m_namespaceIndex)
    , m_namespaceNames(base.m_namespaceNames)
    , m_namespaceLabels(base.m_namespaceLabels)
    , m_policies(base.m_policies)
    , m_items(base.m_items)
    , m_itemsByHash(base.m_itemsByHash)
    , m_labelKeys(base.m_labelKeys)
    , m_labelKeyNames(base.m_labelKeyNames)
    , m_namedPorts(base.m_namedPorts)
    , m_namedPortIds(base.m_namedPortIds)
    , m_ipBlocks(base.m_ipBlocks)
    , m_ipBlockIds(base.m_ipBlockIds)
    , m_portAtoms(base.m_portAtoms)
    , m_atomStarts(base.m_atomStarts)
    , m_atomLocalClass(base.m_atomLocalClass)
    , m_addressClassCount(base.m_addressClassCount)
    , m_blockHolds(base.m_blockHolds)
    , m_bases(base.m_bases)
    , m_groups(base.m_groups)
    , m_groupOfPod(base.m_groupOfPod)
    , m_groupsByNamespace(base.m_groupsByNamespace)
    , m_itemGroups(base.m_itemGroups)
{}

// After an edit that mentions new label keys or values, new named ports or new ipBlocks: the old
// groups split by what the new ones read of each pod (the value ids of the keys that changed,
// the numbers of the new named ports, the address classes of the new partition). Work per pod is
// a few lookups, not a full projection; the old groups' facts carry over.
void Reachability::Builder::regroupPods(const std::vector<QString> &changedKeys,
                                        size_t namedPortsBefore, bool newAddresses)
{
    const qsizetype podCount = m_snapshot->pods.size();
    const size_t newNamedPorts = m_namedPorts.size() - namedPortsBefore;
    const size_t length = changedKeys.size() + newNamedPorts + (newAddresses ? 2 : 0);
    const Data::PodIndex &index = m_data->indexedPods();
    // Column by column: a default for every pod, then the pods the index lists.
    std::vector<int> signatures(size_t(podCount) * length);
    size_t column = 0;
    const auto fill = [&](int value) {
        for (qsizetype pod = 0; pod < podCount; ++pod)
            signatures[size_t(pod) * length + column] = value;
    };
    for (const QString &name : changedKeys) {
        const LabelKey &key = *m_labelKeys.constFind(name);
        fill(-2); // the pod has no such label
        const auto postings = index.labelsByKey.find(index.stringIds.value(name, -1));
        if (postings != index.labelsByKey.end()) {
            std::unordered_map<qint32, int> valueIds; // string id → the key's value id
            for (const auto &[pod, text] : postings->second) {
                auto it = valueIds.find(text);
                if (it == valueIds.end())
                    it = valueIds.emplace(text, key.values.value(index.strings.at(text), -1)).first;
                signatures[size_t(pod) * length + column] = it->second;
            }
        }
        ++column;
    }
    for (size_t id = namedPortsBefore; id < m_namedPorts.size(); ++id) {
        fill(0); // no port of that name
        const auto postings = index.namedPorts.constFind(protocolName(m_namedPorts[id].protocol) +
                                                         u'/' + m_namedPorts[id].name);
        if (postings != index.namedPorts.constEnd()) {
            for (const auto &[pod, number] : *postings)
                signatures[size_t(pod) * length + column] = number;
        }
        ++column;
    }
    if (newAddresses) {
        for (int slot = 0; slot < 2; ++slot) {
            const auto &starts = m_atomStarts[size_t(slot)];
            const auto &localClass = m_atomLocalClass[size_t(slot)];
            for (qsizetype pod = 0; pod < podCount; ++pod) {
                int cls = -1;
                if (index.hasAddress[size_t(slot)][size_t(pod)]) {
                    const auto it = std::upper_bound(starts.begin(), starts.end(),
                                                     index.firstAddress[size_t(slot)][size_t(pod)]);
                    cls = localClass[size_t(std::distance(starts.begin(), it) - 1)];
                }
                signatures[size_t(pod) * length + column] = cls;
            }
            ++column;
        }
    }

    const std::vector<BaseFacts> oldBases = std::move(m_bases);
    const std::vector<PodGroup> oldGroups = std::move(m_groups);
    m_bases.clear();
    m_groups.clear();
    m_groupsByNamespace.assign(size_t(m_namespaceNames.size()), {});
    IntVectorMap baseIds;
    IntVectorMap groupIds;
    std::vector<int> key;
    std::vector<int> baseKey;
    int previousGroup = -1;
    for (qsizetype pod = 0; pod < podCount; ++pod) {
        const int *signature = signatures.data() + size_t(pod) * length;
        const int oldGroup = m_groupOfPod[size_t(pod)];
        // Neighbours with the same key (one workload) skip the hash lookup.
        if (previousGroup >= 0 && key[0] == oldGroup &&
            std::equal(key.begin() + 1, key.end(), signature)) {
            m_groupOfPod[size_t(pod)] = previousGroup;
            continue;
        }
        key.assign(1, oldGroup);
        key.insert(key.end(), signature, signature + length);
        const auto [it, inserted] = groupIds.try_emplace(key, int(m_groups.size()));
        if (inserted) {
            BaseFacts facts = oldBases[size_t(oldGroups[size_t(oldGroup)].base)];
            const int *extra = signature + changedKeys.size();
            facts.namedPortNumbers.insert(facts.namedPortNumbers.end(), extra,
                                          extra + newNamedPorts);
            if (newAddresses)
                facts.addressClass = {extra[newNamedPorts], extra[newNamedPorts + 1]};
            baseKey.assign({facts.namespaceIndex, int(facts.hostNetwork), int(facts.family),
                            facts.addressClass[0], facts.addressClass[1]});
            baseKey.insert(baseKey.end(), facts.namedPortNumbers.begin(),
                           facts.namedPortNumbers.end());
            const int base = internVector(baseIds, baseKey);
            if (base == int(m_bases.size()))
                m_bases.push_back(std::move(facts));
            m_groupsByNamespace[size_t(m_bases[size_t(base)].namespaceIndex)].push_back(
                int(m_groups.size()));
            m_groups.push_back(PodGroup{pod, base});
        }
        previousGroup = it->second;
        m_groupOfPod[size_t(pod)] = previousGroup;
    }
}

// The policies of `snapshot` whose analysis is reused from `baseSnapshot` are those with the same
// namespace/name and the same effect (selectors, types, rules); the others are analysed anew,
// extending the interned selectors, labels, named ports and ipBlocks (nothing is removed: a
// selector only the old version used no longer refines the classes, see refineClasses()).
// New labels, named ports or ipBlocks can tell pods apart that the old groups merged: then the
// pods are grouped again, and the old selectors' matches carry over from each new group's old
// group (new groups only split old ones). Only the new selectors are evaluated on pods. The
// classes, port classes, profiles and rows are then rebuilt from those: work per class and
// profile, not per policy analysed or selector evaluated.
void Reachability::Builder::runEdited(const ClusterSnapshot &baseSnapshot)
{
    m_data->snapshot = m_snapshot;
    QHash<QString, qsizetype> baseByName;
    QSet<QString> repeated;
    for (qsizetype i = 0; i < baseSnapshot.networkPolicies.size(); ++i) {
        const QString name = baseSnapshot.networkPolicies.at(i).qualifiedName();
        if (baseByName.contains(name))
            repeated.insert(name);
        baseByName.insert(name, i);
    }
    std::vector<PolicyInfo> basePolicies = std::move(m_policies);
    m_policies.clear();
    m_policyInBase.clear();
    m_policies.reserve(size_t(m_snapshot->networkPolicies.size()));
    const qsizetype itemsBefore = qsizetype(m_items.size());
    m_changedLabelKeys.clear();
    const size_t namedPortsBefore = m_namedPorts.size();
    const size_t ipBlocksBefore = m_ipBlocks.size();
    for (const NetworkPolicy &policy : m_snapshot->networkPolicies) {
        namespaceIndex(policy.namespaceName);
        const QString name = policy.qualifiedName();
        const auto base = baseByName.constFind(name);
        if (base != baseByName.constEnd() && !repeated.contains(name) &&
            sameNetworkPolicyEffect(baseSnapshot.networkPolicies.at(*base), policy)) {
            m_policies.push_back(std::move(basePolicies[size_t(*base)]));
            m_policyInBase.push_back(int(*base));
        } else {
            m_policies.push_back(analysePolicy(policy));
            m_policyInBase.push_back(-1);
        }
    }
    m_data->distinctSelectors = qsizetype(m_items.size());

    const bool newAddresses = m_ipBlocks.size() != ipBlocksBefore;
    if (newAddresses) {
        for (int slot = 0; slot < 2; ++slot) {
            m_atomStarts[size_t(slot)].clear();
            m_atomLocalClass[size_t(slot)].clear();
            m_addressClassCount[size_t(slot)] = 0;
        }
        m_blockHolds.clear();
        partitionAddresses();
    }
    const bool regrouped =
        newAddresses || !m_changedLabelKeys.isEmpty() || m_namedPorts.size() != namedPortsBefore;
    if (regrouped) {
        std::vector<QString> changedKeys(m_changedLabelKeys.begin(), m_changedLabelKeys.end());
        std::sort(changedKeys.begin(), changedKeys.end());
        const std::vector<int> oldGroupOfPod = m_groupOfPod;
        const BitMatrix oldItemGroups = std::move(m_itemGroups);
        regroupPods(changedKeys, namedPortsBefore, newAddresses);
        const qsizetype groupCount = qsizetype(m_groups.size());
        std::vector<int> parent(static_cast<size_t>(groupCount));
        for (qsizetype g = 0; g < groupCount; ++g)
            parent[size_t(g)] = oldGroupOfPod[size_t(m_groups[size_t(g)].representative)];
        m_itemGroups = BitMatrix(qsizetype(m_items.size()), groupCount);
        parallelFor(itemsBefore, 64, [&](qsizetype item, int) {
            const Word *old = oldItemGroups.row(item);
            Word *row = m_itemGroups.row(item);
            for (qsizetype g = 0; g < groupCount; ++g) {
                if (testBit(old, parent[size_t(g)]))
                    setBit(row, g);
            }
        });
    } else {
        m_itemGroups.resizeRows(qsizetype(m_items.size()));
    }
    evaluateSelectors(itemsBefore);

    m_classOfGroup.clear();
    m_baseOfClass.clear();
    m_namedPortSets.clear();
    m_egressProfiles.clear();
    m_ingressProfiles.clear();
    refineClasses();
    buildClasses();
    m_sameClasses = !regrouped && !newAddresses && m_classOfGroup == m_base->m_classOfGroup &&
                    m_baseOfClass == m_base->m_baseOfClass;
    buildClassSets();
    partitionPorts();
    buildNamedPortSets();
    buildProfiles();
    computeRows();
    m_base = nullptr; // alive only for the call
}

// --- Public API ------------------------------------------------------------------------------

bool PortClass::contains(int port) const
{
    return std::any_of(ranges.begin(), ranges.end(), [port](const PortRange &range) {
        return port >= range.first && port <= range.last;
    });
}

QString PortClass::toString() const
{
    QStringList parts;
    for (const PortRange &range : ranges) {
        parts.append(range.first == range.last
                         ? QString::number(range.first)
                         : QString::number(range.first) + u'-' + QString::number(range.last));
    }
    return protocolName(protocol) + u' ' + parts.join(QStringLiteral(", "));
}

QString EndpointClass::toString() const
{
    if (kind == Kind::Addresses) {
        QStringList parts;
        for (qsizetype i = 0; i < addresses.size() && i < 3; ++i)
            parts.append(addressRangeText(addresses[i]));
        if (addresses.size() > 3)
            parts.append(QStringLiteral("…"));
        return (family == IpAddress::Family::V6 ? QStringLiteral("IPv6 ")
                                                : QStringLiteral("IPv4 ")) +
               parts.join(QStringLiteral(", "));
    }
    return namespaceName + QStringLiteral(": ") + QString::number(pods.size()) +
           (pods.size() == 1 ? QStringLiteral(" pod") : QStringLiteral(" pods"));
}

Reachability::Reachability()
{
    // An empty snapshot still has the address classes, so every query has an answer.
    static const ClusterSnapshot empty;
    auto data = std::make_shared<Data>();
    Builder(empty, *data).run();
    d = std::move(data);
}

Reachability::Reachability(const ClusterSnapshot &snapshot)
{
    auto data = std::make_shared<Data>();
    auto builder = std::make_shared<Builder>(snapshot, *data);
    builder->run();
    data->builder = std::move(builder);
    d = std::move(data);
}

Reachability Reachability::withEditedPolicies(const ClusterSnapshot &edited) const
{
    Q_ASSERT(edited.pods.size() == d->snapshot->pods.size());
    auto data = std::make_shared<Data>();
    data->workloadCache = d->workloadCache;
    data->podIndex = d->podIndex;
    data->rowSource = d;
    auto builder = std::make_shared<Builder>(*d->builder, edited, *data);
    builder->runEdited(*d->snapshot);
    data->policiesFromBase = builder->policiesInBase();
    data->builder = std::move(builder);
    Reachability result;
    result.d = std::move(data);
    return result;
}

const std::vector<int> &Reachability::policiesFromBase() const
{
    return d->policiesFromBase;
}

void Reachability::prepareEdits() const
{
    workloads();
    d->indexedPods();
}

const Reachability::Workloads &Reachability::workloads() const
{
    Data::WorkloadCache &cache = *d->workloadCache;
    std::call_once(cache.once, [&] {
        QHash<QString, qint32> ids;
        const QList<Pod> &pods = d->snapshot->pods;
        cache.workloads.ofPod.resize(size_t(pods.size()));
        const Pod *previous = nullptr;
        qint32 previousId = -1;
        for (qsizetype i = 0; i < pods.size(); ++i) {
            const Pod &pod = pods.at(i);
            // Pods of one workload are usually neighbours: skip the string work for them.
            if (previous && pod.owner && previous->owner && pod.owner->kind != u"ReplicaSet" &&
                pod.owner->kind == previous->owner->kind &&
                pod.owner->name == previous->owner->name &&
                pod.namespaceName == previous->namespaceName) {
                cache.workloads.ofPod[size_t(i)] = previousId;
                previous = &pod;
                continue;
            }
            const QString name = pod.namespaceName + u'/' + workloadOf(pod);
            auto it = ids.constFind(name);
            if (it == ids.constEnd()) {
                it = ids.insert(name, qint32(cache.workloads.names.size()));
                cache.workloads.names.append(workloadOf(pod));
            }
            cache.workloads.ofPod[size_t(i)] = *it;
            previous = &pod;
            previousId = *it;
        }
    });
    return cache.workloads;
}

const ClusterSnapshot &Reachability::snapshot() const
{
    return *d->snapshot;
}

qsizetype Reachability::classCount() const
{
    return d->classes.size();
}

qsizetype Reachability::podClassCount() const
{
    return d->podClassCount;
}

const EndpointClass &Reachability::endpointClass(qsizetype classIndex) const
{
    return d->classes.at(classIndex);
}

qsizetype Reachability::classOfPod(qsizetype podIndex) const
{
    if (podIndex < 0 || podIndex >= qsizetype(d->classOfPod.size()))
        return -1;
    return d->classOfPod[size_t(podIndex)];
}

const QList<qsizetype> &Reachability::members(qsizetype classIndex) const
{
    return d->classes.at(classIndex).pods;
}

qsizetype Reachability::classOfAddress(const IpAddress &address) const
{
    return d->classOfAddress(address);
}

const QList<PortClass> &Reachability::portClasses() const
{
    return d->portClasses;
}

qsizetype Reachability::portClassOf(int port, Protocol protocol) const
{
    return d->portClassOf(port, protocol);
}

bool Reachability::allowedBetweenClasses(qsizetype fromClass, qsizetype toClass,
                                         qsizetype portClass) const
{
    if (fromClass < 0 || toClass < 0 || portClass < 0 || fromClass >= classCount() ||
        toClass >= classCount() || portClass >= d->portClasses.size())
        return false;
    return d->allows(fromClass, toClass, portClass);
}

QList<qsizetype> Reachability::allowedDestinations(qsizetype fromClass, qsizetype portClass) const
{
    QList<qsizetype> result;
    for (qsizetype to = 0; to < classCount(); ++to) {
        if (allowedBetweenClasses(fromClass, to, portClass))
            result.append(to);
    }
    return result;
}

namespace {

// A row (outgoing: every destination of `cls`) or a column (every source of `cls`) of the
// verdict matrix on one port class. Word by word where the matrix is stored that way (the
// class's own egress row, or its ingress row), once per profile for the other direction.
template <typename Data>
std::vector<std::uint64_t> verdictLine(const Data &data, qsizetype cls, qsizetype portClass,
                                       bool outgoing)
{
    const qsizetype classes = data.classes.size();
    const qsizetype words = wordsFor(classes);
    std::vector<std::uint64_t> bits(size_t(words), 0);
    const qsizetype portClasses = data.portClasses.size();
    if (cls < 0 || cls >= classes || portClass < 0 || portClass >= portClasses)
        return bits;
    const qsizetype podClasses = data.podClassCount;
    const auto clear = [&](qsizetype other) {
        bits[size_t(other / kWordBits)] &= ~(Word(1) << (other % kWordBits));
    };
    if (const Word *own =
            outgoing ? data.egressRow(cls, portClass) : data.ingressRow(cls, portClass)) {
        std::copy(own, own + words, bits.begin());
    } else {
        for (qsizetype other = 0; other < classes; ++other)
            setBit(bits.data(), other);
    }
    if (cls >= podClasses) {
        // Between two addresses only the family matters; policies do not apply.
        for (qsizetype other = podClasses; other < classes; ++other) {
            if (data.classes[other].family != data.classes[cls].family)
                clear(other);
        }
    }
    const auto &profileOf = outgoing ? data.ingressProfileOfClass : data.egressProfileOfClass;
    const auto &rows = outgoing ? data.ingressRows : data.egressRows;
    std::vector<signed char> admits(
        size_t(outgoing ? data.ingressProfileCount : data.egressProfileCount), -1);
    for (qsizetype other = 0; other < podClasses; ++other) {
        const qint32 profile = profileOf[size_t(other)];
        if (profile < 0)
            continue;
        signed char &admitted = admits[size_t(profile)];
        if (admitted < 0)
            admitted = testBit(rows[size_t(profile * portClasses + portClass)], cls);
        if (!admitted)
            clear(other);
    }
    return bits;
}

} // namespace

std::vector<std::uint64_t> Reachability::destinationsAllowedFrom(qsizetype fromClass,
                                                                 qsizetype portClass) const
{
    return verdictLine(*d, fromClass, portClass, true);
}

std::vector<std::uint64_t> Reachability::sourcesAllowedTo(qsizetype toClass,
                                                          qsizetype portClass) const
{
    return verdictLine(*d, toClass, portClass, false);
}

bool Reachability::allowed(qsizetype fromPod, qsizetype toPod, const ProbePort &port,
                           Protocol protocol) const
{
    const qsizetype from = classOfPod(fromPod);
    const qsizetype to = classOfPod(toPod);
    if (from < 0 || to < 0)
        return false;
    const qsizetype portClass = d->portClassOf(d->portFor(toPod, port, protocol), protocol);
    return portClass >= 0 && d->allows(from, to, portClass);
}

bool Reachability::allowedToAddress(qsizetype fromPod, const IpAddress &to, int port,
                                    Protocol protocol) const
{
    const qsizetype from = classOfPod(fromPod);
    const qsizetype toClass = d->classOfAddress(to);
    const qsizetype portClass = d->portClassOf(port, protocol);
    return from >= 0 && toClass >= 0 && portClass >= 0 && d->allows(from, toClass, portClass);
}

bool Reachability::allowedFromAddress(const IpAddress &from, qsizetype toPod, const ProbePort &port,
                                      Protocol protocol) const
{
    const qsizetype fromClass = d->classOfAddress(from);
    const qsizetype to = classOfPod(toPod);
    if (fromClass < 0 || to < 0)
        return false;
    const qsizetype portClass = d->portClassOf(d->portFor(toPod, port, protocol), protocol);
    return portClass >= 0 && d->allows(fromClass, to, portClass);
}

QList<qsizetype> Reachability::classesSelectedBy(qsizetype policyIndex, PolicyType direction) const
{
    const auto &perPolicy = d->selectedByPolicy[size_t(direction)];
    if (policyIndex < 0 || policyIndex >= qsizetype(perPolicy.size()))
        return {};
    return perPolicy[size_t(policyIndex)];
}

QList<PairCount> Reachability::namespaceSummary(qsizetype portClass) const
{
    const Data &data = *d;
    const qsizetype classes = data.podClassCount;
    const qsizetype namespaces = data.namespaces.size();
    QList<PairCount> result;
    if (portClass < 0 || portClass >= data.portClasses.size())
        return result;

    // admittedBy[s]: the destinations whose ingress admits source s — the ingress rows
    // transposed, 64×64 bits at a time, so that each source then needs one AND per word.
    const qsizetype words = wordsFor(classes);
    std::vector<Word> admittedBy(static_cast<size_t>(words * kWordBits * words));
    // A destination that no policy isolates admits every source; past the last class, none.
    const std::vector<Word> everySource(size_t(words), kAllBits);
    const std::vector<Word> noSource(size_t(words), 0);
    const Word *rows[kWordBits];
    Word block[kWordBits];
    for (qsizetype destinationWord = 0; destinationWord < words; ++destinationWord) {
        for (qsizetype r = 0; r < kWordBits; ++r) {
            const qsizetype destination = destinationWord * kWordBits + r;
            const Word *row =
                destination < classes ? data.ingressRow(destination, portClass) : noSource.data();
            rows[r] = row ? row : everySource.data();
        }
        for (qsizetype sourceWord = 0; sourceWord < words; ++sourceWord) {
            for (qsizetype r = 0; r < kWordBits; ++r)
                block[r] = rows[r][sourceWord];
            transpose64(block);
            for (qsizetype c = 0; c < kWordBits; ++c)
                admittedBy[size_t((sourceWord * kWordBits + c) * words + destinationWord)] =
                    block[c];
        }
    }

    std::vector<qint64> podsBefore(size_t(classes) + 1, 0); // prefix sums of class sizes
    for (qsizetype c = 0; c < classes; ++c)
        podsBefore[size_t(c) + 1] = podsBefore[size_t(c)] + data.classes[c].pods.size();
    std::vector<qint64> allowedPairs(size_t(namespaces * namespaces), 0);
    std::vector<qint64> reached(static_cast<size_t>(namespaces));
    for (qsizetype source = 0; source < classes; ++source) {
        std::fill(reached.begin(), reached.end(), 0);
        const Word *egress = data.egressRow(source, portClass);
        const Word *ingress = admittedBy.data() + source * words;
        for (qsizetype w = 0; w < words; ++w) {
            Word word = (egress ? egress[w] : kAllBits) & ingress[w];
            const qsizetype first = w * kWordBits;
            if (w == words - 1 && classes % kWordBits != 0)
                word &= (Word(1) << (classes % kWordBits)) - 1;
            if (word == 0)
                continue;
            // Runs of admitted destinations, counted with the prefix sums per namespace: allowed
            // destinations mostly come in runs (a namespace, a block of workloads).
            while (word != 0) {
                const int start = std::countr_zero(word);
                const int length = std::countr_one(word >> start);
                word =
                    start + length == kWordBits ? 0 : word & ~(((Word(1) << length) - 1) << start);
                for (qsizetype destination = first + start, end = destination + length;
                     destination < end;) {
                    const qint32 ns = data.namespaceOfClass[size_t(destination)];
                    const qsizetype stop = std::min(end, data.namespaceFirstClass[size_t(ns) + 1]);
                    reached[size_t(ns)] +=
                        podsBefore[size_t(stop)] - podsBefore[size_t(destination)];
                    destination = stop;
                }
            }
        }
        const qint64 sourcePods = data.classes[source].pods.size();
        const qsizetype fromNamespace = data.namespaceOfClass[size_t(source)];
        for (qsizetype to = 0; to < namespaces; ++to)
            allowedPairs[size_t(fromNamespace * namespaces + to)] +=
                sourcePods * reached[size_t(to)];
    }

    std::vector<qint64> podsIn(static_cast<size_t>(namespaces));
    for (qsizetype ns = 0; ns < namespaces; ++ns) {
        podsIn[size_t(ns)] = podsBefore[size_t(data.namespaceFirstClass[size_t(ns) + 1])] -
                             podsBefore[size_t(data.namespaceFirstClass[size_t(ns)])];
    }
    result.reserve(namespaces * namespaces);
    for (qsizetype from = 0; from < namespaces; ++from) {
        for (qsizetype to = 0; to < namespaces; ++to) {
            const qint64 allowed = allowedPairs[size_t(from * namespaces + to)];
            result.append(PairCount{data.namespaces[from], data.namespaces[to], allowed,
                                    podsIn[size_t(from)] * podsIn[size_t(to)] - allowed});
        }
    }
    std::sort(result.begin(), result.end(), [](const PairCount &a, const PairCount &b) {
        return std::tie(a.from, a.to) < std::tie(b.from, b.to);
    });
    return result;
}

QList<PortClassSummary> Reachability::namespaceSummaries() const
{
    QList<PortClassSummary> result(d->portClasses.size());
    PortClassSummary *summaries = result.data(); // detached once, before the threads write
    parallelFor(d->portClasses.size(), 1, [&](qsizetype k, int) {
        summaries[k] = PortClassSummary{d->portClasses[k], namespaceSummary(k)};
    });
    return result;
}

QList<PairCount> Reachability::workloadSummary(qsizetype portClass, const QString &fromNamespace,
                                               const QString &toNamespace) const
{
    const Data &data = *d;
    const qsizetype from = data.namespaces.indexOf(fromNamespace);
    const qsizetype to = data.namespaces.indexOf(toNamespace);
    if (from < 0 || to < 0 || portClass < 0 || portClass >= data.portClasses.size())
        return {};
    // Each class's pods counted per workload (a class may hold pods of several workloads).
    using WorkloadCounts = std::map<QString, qint64>;
    const auto workloadsOf = [&](qsizetype ns) {
        std::vector<WorkloadCounts> perClass;
        for (qsizetype c = data.namespaceFirstClass[size_t(ns)];
             c < data.namespaceFirstClass[size_t(ns) + 1]; ++c) {
            WorkloadCounts &counts = perClass.emplace_back();
            for (const qsizetype pod : data.classes[c].pods)
                ++counts[workloadOf(data.snapshot->pods[pod])];
        }
        return perClass;
    };
    const std::vector<WorkloadCounts> sources = workloadsOf(from);
    const std::vector<WorkloadCounts> destinations = from == to ? sources : workloadsOf(to);
    std::map<std::pair<QString, QString>, PairCount> pairs;
    for (size_t s = 0; s < sources.size(); ++s) {
        for (size_t t = 0; t < destinations.size(); ++t) {
            const bool allowed =
                data.allows(data.namespaceFirstClass[size_t(from)] + qsizetype(s),
                            data.namespaceFirstClass[size_t(to)] + qsizetype(t), portClass);
            for (const auto &[source, sourcePods] : sources[s]) {
                for (const auto &[destination, destinationPods] : destinations[t]) {
                    PairCount &pair = pairs[{source, destination}];
                    pair.from = source;
                    pair.to = destination;
                    (allowed ? pair.allowed : pair.denied) += sourcePods * destinationPods;
                }
            }
        }
    }
    QList<PairCount> result;
    result.reserve(qsizetype(pairs.size()));
    for (auto &entry : pairs)
        result.append(std::move(entry.second));
    return result;
}

QString Reachability::workloadOf(const Pod &pod)
{
    if (!pod.owner)
        return QStringLiteral("Pod/") + pod.name;
    const OwnerReference &owner = *pod.owner;
    if (owner.kind == u"ReplicaSet") {
        // A Deployment's ReplicaSet is named <deployment>-<pod-template-hash>.
        const auto hash = pod.labels.value(u"pod-template-hash");
        if (hash && !hash->isEmpty() && owner.name.endsWith(u'-' + *hash))
            return QStringLiteral("Deployment/") + owner.name.chopped(hash->size() + 1);
    }
    return owner.kind + u'/' + owner.name;
}

Reachability::Statistics Reachability::statistics() const
{
    Statistics statistics;
    statistics.pods = qsizetype(d->classOfPod.size());
    statistics.podClasses = d->podClassCount;
    statistics.addressClasses = d->classes.size() - d->podClassCount;
    statistics.portClasses = d->portClasses.size();
    statistics.distinctSelectors = d->distinctSelectors;
    statistics.egressProfiles = d->egressProfileCount;
    statistics.ingressProfiles = d->ingressProfileCount;
    statistics.distinctRows = d->distinctRows;
    statistics.rowBytes = qint64(d->distinctRows) * d->rowWords * qint64(sizeof(Word));
    return statistics;
}

} // namespace cartograph

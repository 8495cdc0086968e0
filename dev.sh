#!/usr/bin/env bash
# Cartograph developer entry point. Two commands, both work on a fresh Debian 12:
#   ./dev.sh run [cartograph arguments...]   install what is missing, build, launch the GUI
#   ./dev.sh test                            install what is missing, build, run every test (CTest)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

# Debian 12 packages the build, the tests and the GUI need. Kept in one list so `run` and `test`
# can never disagree.
PACKAGES=(
    build-essential cmake ninja-build pkgconf
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-charts-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libgl-dev libvulkan-dev
    libpcap-dev libyaml-cpp-dev nlohmann-json3-dev
    fonts-dejavu-core python3 binutils xvfb xauth
    tshark tcpdump  # the capture tests check flows against tshark; tcpdump for live-capture peers
    iproute2 libcap2-bin util-linux tcpreplay  # live capture tests: netns/veth/vxlan, setcap, setpriv
    openssl curl  # the test API server makes its CA with openssl; curl is a second real client
)
# tst_apiserver_kubectl checks the test API server with the real kubectl: Debian's
# kubernetes-client only when no kubectl is installed some other way (it would replace it).
if ! command -v kubectl >/dev/null; then
    PACKAGES+=(kubernetes-client)
fi

install_missing() {
    local missing=()
    for package in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    if ((${#missing[@]} == 0)); then
        return
    fi
    echo "dev.sh: installing ${missing[*]}"
    local apt=(apt-get)
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null; then
            echo "dev.sh: these Debian packages are missing and I am not root (and sudo is not installed):" >&2
            echo "  apt-get install ${missing[*]}" >&2
            exit 1
        fi
        apt=(sudo apt-get)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq "${missing[@]}"
}

# The executables of the tests labelled "sanitize" (and the CLI they run).
sanitized_targets() {
    echo cartograph-cli tst_snapshotloader tst_capture tst_kubecollector
}

build() {
    cmake --preset dev >/dev/null
    cmake --build --preset dev -- -j"$(nproc)"
}

command=${1:-}
case "$command" in
run)
    shift
    install_missing
    build
    exec build/dev/gui/app/cartograph "$@"
    ;;
test)
    install_missing
    build
    ctest --preset dev -j"$(nproc)"
    # The bad-input suites (mutated snapshots, truncated and lying captures) again under
    # AddressSanitizer + UndefinedBehaviorSanitizer: an out-of-bounds read must fail CI even
    # where it happens not to crash.
    cmake --preset asan-ubsan >/dev/null
    cmake --build --preset asan-ubsan -- -j"$(nproc)" $(sanitized_targets)
    exec ctest --preset asan-ubsan -L sanitize -j"$(nproc)"
    ;;
*)
    echo "usage: ./dev.sh run [cartograph arguments...] | ./dev.sh test" >&2
    exit 2
    ;;
esac

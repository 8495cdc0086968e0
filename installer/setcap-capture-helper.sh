#!/bin/sh
# Grants cartograph-capture-helper the two capabilities live capture needs, so Cartograph's GUI
# and CLI capture without running as root. Run as root after installing (a package's postinst
# runs it too). The helper drops both capabilities as soon as the interface is open.
#   setcap-capture-helper.sh [PATH-TO-HELPER]
set -eu
helper=${1:-/usr/local/libexec/cartograph/cartograph-capture-helper}
if [ ! -x "$helper" ]; then
    echo "setcap-capture-helper: $helper is not an executable file" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ] || ! command -v setcap >/dev/null 2>&1; then
    echo "setcap-capture-helper: live capture without root needs, as root:" >&2
    echo "  setcap cap_net_raw,cap_net_admin+eip $helper   (setcap is in Debian's libcap2-bin)" >&2
    exit 0
fi
# Every local user may then capture; to limit that, as Debian does for dumpcap, give the helper a
# group (chgrp capture; chmod 750) before running this.
setcap cap_net_raw,cap_net_admin+eip "$helper"
echo "setcap-capture-helper: $(getcap "$helper")"

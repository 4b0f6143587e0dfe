#!/usr/bin/env bash
# Quick start on a fresh Debian/Ubuntu machine, as root: installs what is
# missing, starts a Docker engine if none answers, builds scrc and the
# language images, then runs `make demo`: a worker on librdkafka's
# in-process Kafka judging the simulator's whole language x outcome matrix
# and its problems table, ending with the verdict tables. Exits non-zero if
# any verdict is wrong.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash contrib/install-deps.sh
bash contrib/docker-ensure.sh start
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
	./bootstrap
fi
if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
	./configure --prefix=/usr/local >/dev/null
fi
make -j2
make images
make demo

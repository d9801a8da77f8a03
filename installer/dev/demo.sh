#!/usr/bin/env bash
# Install perfdesk into .venv and start it on its built-in demo document.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
need_apt "${QT_LIBS[@]}"
make_venv "."
exec .venv/bin/perfdesk --demo "$@"

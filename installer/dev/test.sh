#!/usr/bin/env bash
# Install perfdesk with its test dependencies into .venv and run the whole test suite (offscreen Qt).
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
need_apt "${QT_LIBS[@]}" poppler-utils libreoffice-writer
make_venv ".[test]"
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"

#!/bin/sh
# perfdesk launcher: the program lives in /opt/perfdesk (a self-contained bundle).
#
# Chinese input: the bundled Qt brings the ibus and compose input contexts.  UOS and Kylin use
# fcitx, whose Qt 6 plugin comes with the system: make exactly that plugin visible to the bundled
# Qt (through a private plugin folder, never the system's whole Qt plugin folder).  Without it,
# fcitx 5 still serves Qt programs through its ibus frontend.
case "${QT_IM_MODULE:-}" in
  fcitx*)
    found=""
    for f in /usr/lib/*/qt6/plugins/platforminputcontexts/libfcitx5platforminputcontextplugin.so \
             /usr/lib/qt6/plugins/platforminputcontexts/libfcitx5platforminputcontextplugin.so \
             /usr/lib/*/qt6/plugins/platforminputcontexts/libfcitxplatforminputcontextplugin-qt6.so \
             /usr/lib/*/qt6/plugins/platforminputcontexts/libfcitxplatforminputcontextplugin.so; do
      [ -f "$f" ] || continue
      dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/perfdesk/qt-plugins"
      if mkdir -p "$dir/platforminputcontexts" 2>/dev/null && ln -sf "$f" "$dir/platforminputcontexts/" 2>/dev/null; then
        QT_PLUGIN_PATH="$dir${QT_PLUGIN_PATH:+:$QT_PLUGIN_PATH}"
        export QT_PLUGIN_PATH
        found=1
      fi
      break
    done
    if [ -z "$found" ] && command -v pidof >/dev/null 2>&1 && pidof fcitx5 >/dev/null 2>&1; then
      QT_IM_MODULE=ibus
      export QT_IM_MODULE
    fi
    ;;
esac
exec /opt/perfdesk/perfdesk "$@"
